#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A hostile UPnP-IGD for the lab: answers SSDP like a router, then lies.

    fakeigd.py ADDR MODE LOG [ARG]

ADDR is the router's LAN address (SSDP replies name http://ADDR:5000/).
Every HTTP request line it receives goes to LOG, with the address it
arrived on. MODE:
  wan ADDR        a well-formed IGD whose GetExternalIPAddress is ADDR
  endless-desc    the description never ends (megabytes a second)
  endless-soap    every SOAP reply never ends
  offgw OTHER     the description's URLBase points at http://OTHER:5000/,
                  where this fixture also listens and logs what arrives
"""
import http.server
import socket
import sys
import threading

addr, mode, log = sys.argv[1:4]
arg = sys.argv[4] if len(sys.argv) > 4 else ""
PORT = 5000
IGD = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"
WANIP = "urn:schemas-upnp-org:service:WANIPConnection:1"
lock = threading.Lock()


def note(line):
    with lock, open(log, "a") as f:
        f.write(line + "\n")


def description():
    base = f"<URLBase>http://{arg}:{PORT}/</URLBase>" if mode == "offgw" else ""
    return f"""<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">{base}
<device><deviceType>{IGD}</deviceType><friendlyName>Fake</friendlyName>
<manufacturer>Lab</manufacturer><modelName>Liar</modelName>
<deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
<deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
<serviceList><service><serviceType>{WANIP}</serviceType>
<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL>
<SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>
"""


def soap(action):
    values = {"GetStatusInfo": "<NewConnectionStatus>Connected</NewConnectionStatus>"
              "<NewLastConnectionError>ERROR_NONE</NewLastConnectionError>"
              "<NewUptime>100</NewUptime>",
              "GetExternalIPAddress": f"<NewExternalIPAddress>{arg}</NewExternalIPAddress>"}
    return ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org'
            '/soap/envelope/"><s:Body>'
            f'<u:{action}Response xmlns:u="{WANIP}">{values.get(action, "")}'
            f'</u:{action}Response></s:Body></s:Envelope>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def endless(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        chunk = b"<!-- " + b"x" * 65536 + b" -->"
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            note(f"{self.server.server_address[0]} client stopped reading")

    def reply(self, body, status=200):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        note(f"{self.server.server_address[0]} {self.requestline}")
        if mode == "endless-desc":
            return self.endless()
        self.reply(description())

    def do_POST(self):
        note(f"{self.server.server_address[0]} {self.requestline} "
             f"{self.headers.get('SOAPAction', '')}")
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if mode == "endless-soap":
            return self.endless()
        action = self.headers.get("SOAPAction", "").strip('"').split("#")[-1]
        self.reply(soap(action))


def ssdp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 1900))
    while True:
        data, peer = s.recvfrom(2048)
        if not data.startswith(b"M-SEARCH"):
            continue
        s.sendto((f"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: {IGD}\r\n"
                  f"USN: uuid:fake::{IGD}\r\nEXT:\r\nSERVER: Linux UPnP/1.1 fake/1\r\n"
                  f"LOCATION: http://{addr}:{PORT}/rootDesc.xml\r\n\r\n").encode(), peer)


for where in [addr] + ([arg] if mode == "offgw" else []):
    server = http.server.ThreadingHTTPServer((where, PORT), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
ssdp()
