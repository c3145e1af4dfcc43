#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""DDNS provider fixtures for the lab, over HTTPS with the lab's CA.

    dyndns2_fixture.py ADDR PORT CERT KEY USER PASSWORD ANSWERS LOG

dyndns2: each GET /nic/update is answered with the first line of the file
ANSWERS ("CODE" or "STATUS CODE", e.g. "500 911"), which is then removed;
with the file empty, "good <myip>". Custom: GET /custom?...&token=PASSWORD
answers "OK" (or the next answer). Cloudflare: /client/v4/... with bearer
token PASSWORD, one zone example.com, records kept in memory. The request
line (without its query for /custom, which holds a token; GET / echoes
the caller's address), the user agent
and whether the credentials matched (never their value) go to LOG.
"""
import base64
import http.server
import json
import os
import ssl
import subprocess
import sys
import urllib.parse

addr, port, cert, key, user, password, answers, log = sys.argv[1:9]
# "SERVER KEYNAME SECRET": also write good updates into that DNS server.
FORWARD = os.environ.get("DYNDNS2_FORWARD", "")


ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
RECORDS = {}  # id -> record


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_request_line(self, line, auth_ok):
        with open(log, "a") as f:
            f.write(f"{line}\tagent={self.headers.get('User-Agent')}"
                    f"\tauth={'ok' if auth_ok else 'bad'}\n")

    def reply(self, status, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def cloudflare(self, method):
        ok = self.headers.get("Authorization") == f"Bearer {password}"
        self.log_request_line(f"{method} {self.path}", ok)
        if not ok:
            return self.reply(403, json.dumps({"success": False, "errors": [
                {"code": 9109, "message": "Invalid access token"}]}), "application/json")
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        parts = [p for p in url.path.split("/")[3:] if p]  # after /client/v4
        result = None
        if parts == ["zones"]:
            result = [{"id": ZONE_ID, "name": "example.com"}] if q.get("name") == ["example.com"] else []
        elif parts[:3] == ["zones", ZONE_ID, "dns_records"] and method == "GET":
            result = [r for r in RECORDS.values()
                      if [r["type"]] == q.get("type") and [r["name"]] == q.get("name")]
        elif parts[:3] == ["zones", ZONE_ID, "dns_records"] and method == "DELETE":
            result = RECORDS.pop(parts[3], None) if len(parts) > 3 else None
            with open(answers + ".cloudflare", "w") as f:
                json.dump(list(RECORDS.values()), f)
        elif parts[:3] == ["zones", ZONE_ID, "dns_records"]:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            rid = parts[3] if len(parts) > 3 else f"{len(RECORDS) + 1:032x}"
            RECORDS.setdefault(rid, {"id": rid})
            RECORDS[rid].update(body)
            result = RECORDS[rid]
            if FORWARD and "name" in result and "content" in result:
                self.forward_record(result.get("type", "A"), result["name"],
                                    result["content"])
            with open(answers + ".cloudflare", "w") as f:
                json.dump(list(RECORDS.values()), f)
        self.reply(200 if result is not None else 404, json.dumps(
            {"success": result is not None, "errors": [], "result": result}),
            "application/json")

    def do_POST(self):
        self.cloudflare("POST")

    def do_PATCH(self):
        self.cloudflare("PATCH")

    def do_DELETE(self):
        self.cloudflare("DELETE")

    def next_answer(self, myip):
        with open(answers) as f:
            lines = f.read().splitlines()
        if not lines:
            hosts = max(1, len(self.hostnames))
            return 200, "\n".join([f"good {myip}"] * hosts)
        with open(answers, "w") as f:
            f.write("".join(line + "\n" for line in lines[1:]))
        parts = lines[0].split(" ", 1)
        if parts[0].isdigit() and len(parts) == 2:
            return int(parts[0]), parts[1].replace("MYIP", myip)
        return 200, lines[0].replace("MYIP", myip)

    def do_GET(self):
        if self.path == "/":  # an HTTPS echo (ddclient asks here with ssl=yes)
            self.log_request_line("GET / (echo)", True)
            return self.reply(200, self.client_address[0] + "\n")
        if self.path.startswith("/client/v4/"):
            return self.cloudflare("GET")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        # ddclient sends all its hosts in one request, one reply line each.
        self.hostnames = query.get("hostname", [""])[0].split(",")
        if self.path.startswith("/custom"):
            ok = query.get("token") == [password]
            self.log_request_line(f"GET /custom host={query.get('host')} ip={query.get('ip')}", ok)
            status, body = self.next_answer("") if ok else (200, "KO")
            if FORWARD and ok and body.startswith("good"):
                self.forward_record("AAAA" if ":" in query.get("ip", [""])[0] else "A",
                                    query.get("host", [""])[0], query.get("ip", [""])[0])
            return self.reply(status, body.replace("good ", "OK") if body.startswith("good ") else body)
        myip = query.get("myip", [""])[0]
        want = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        auth_ok = self.headers.get("Authorization") == want
        status, body = self.next_answer(myip) if auth_ok else (401, "badauth")
        self.log_request_line(self.requestline, auth_ok)
        if FORWARD and body.startswith("good"):
            self.forward(myip)
        self.reply(status, body + "\n")

    def forward(self, myip):
        """bench/ip-change: write what was accepted into knot, as a real
        provider's DNS would serve it (AAAA for an IPv6 myip)."""
        rtype = "AAAA" if ":" in myip else "A"
        for h in self.hostnames:
            self.forward_record(rtype, h, myip)

    def forward_record(self, rtype, name, content):
        server, key, secret = FORWARD.split()
        lines = [f"server {server}", "zone example.com.",
                 f"key hmac-sha256:{key} {secret}",
                 f"update delete {name}. {rtype}",
                 f"update add {name}. 60 {rtype} {content}"]
        subprocess.run(["knsupdate"], input="\n".join(lines + ["send", ""]),
                       text=True, check=False)


server = http.server.ThreadingHTTPServer((addr, int(port)), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
