#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""webhook_receiver.py PORT SECRET LOG: a webhook's far end for the lab.

POST /ok: 204, and one line to LOG: "ok EVENT NAME OLD NEW valid|invalid"
(the X-Homereach-Signature checked with SECRET). POST /fail: 500, and
"fail EVENT" to LOG. GET /ping: 200, "ping" to LOG."""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, secret, log = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]


def note(line):
    with open(log, "a") as f:
        f.write(line + "\n")


class Hook(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        e = json.loads(body)
        if self.path == "/fail":
            note("fail %s" % e["event"])
            self.send_response(500)
            self.end_headers()
            return
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get("X-Homereach-Signature", "")
        ok = hmac.compare_digest(want, got)
        note("ok %s %s %s %s %s" % (e["event"], e["name"] or "-", e["old"] or "-",
                                    e["new"] or "-", "valid" if ok else "invalid"))
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        note("ping")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


HTTPServer(("127.0.0.1", port), Hook).serve_forever()
