#!/usr/bin/env python3
"""A dyndns2 server for the lab, over HTTPS with the lab's CA.

    dyndns2_fixture.py ADDR PORT CERT KEY USER PASSWORD ANSWERS LOG

Each GET /nic/update is answered with the first line of the file ANSWERS
("CODE" or "STATUS CODE", e.g. "500 911"), which is then removed; with the
file empty, "good <myip>". The request line, the user agent and whether the
credentials matched (never their value) go to LOG, one line a request.
"""
import base64
import http.server
import ssl
import sys
import urllib.parse

addr, port, cert, key, user, password, answers, log = sys.argv[1:9]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def next_answer(self, myip):
        with open(answers) as f:
            lines = f.read().splitlines()
        if not lines:
            return 200, f"good {myip}"
        with open(answers, "w") as f:
            f.write("".join(line + "\n" for line in lines[1:]))
        parts = lines[0].split(" ", 1)
        if parts[0].isdigit() and len(parts) == 2:
            return int(parts[0]), parts[1].replace("MYIP", myip)
        return 200, lines[0].replace("MYIP", myip)

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        myip = query.get("myip", [""])[0]
        want = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        auth_ok = self.headers.get("Authorization") == want
        status, body = self.next_answer(myip) if auth_ok else (401, "badauth")
        with open(log, "a") as f:
            f.write(f"{self.requestline}\tagent={self.headers.get('User-Agent')}"
                    f"\tauth={'ok' if auth_ok else 'bad'}\n")
        data = (body + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = http.server.HTTPServer((addr, int(port)), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
