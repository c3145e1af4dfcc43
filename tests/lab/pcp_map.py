#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A PCP MAP request (RFC 6887 section 11), written here from the RFC and
not from homereach's codec: pcp_map.py SERVER CLIENT tcp|udp INTERNAL
LIFETIME [SUGGESTED]. Prints "RESULT PORT ADDRESS EPOCH", or "silence"."""
import os, socket, struct, sys

server, client, proto, internal, lifetime = sys.argv[1:6]
suggested = int(sys.argv[6]) if len(sys.argv) > 6 else 0
mapped = b"\0" * 10 + b"\xff\xff" + socket.inet_aton(client)
nonce = os.urandom(12)
req = (struct.pack("!BBHI", 2, 1, 0, int(lifetime)) + mapped + nonce +
       struct.pack("!B3xHH", 6 if proto == "tcp" else 17, int(internal),
                   suggested) + b"\0" * 16)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((client, 0))
s.settimeout(1)
for _ in range(3):
    s.sendto(req, (server, 5351))
    try:
        r = s.recv(1100)
    except socket.timeout:
        continue
    if len(r) < 60 or r[1] != 0x81 or r[24:36] != nonce:
        continue
    print(r[3], struct.unpack("!H", r[42:44])[0], socket.inet_ntoa(r[56:60]),
          struct.unpack("!I", r[8:12])[0])
    sys.exit(0)
print("silence")
