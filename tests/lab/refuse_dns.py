#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A DNS server that refuses everything, unsigned, as PowerDNS 4.7 answers
an UPDATE signed with a key it does not know.

    refuse_dns.py ADDRESS PORT
"""
import socket
import struct
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    q, peer = s.recvfrom(4096)
    if len(q) < 12:
        continue
    qid, flags = struct.unpack("!HH", q[:4])
    end = 12
    while end < len(q) and q[end] != 0:
        end += q[end] + 1
    end += 5                               # the root label, type, class
    opcode = flags & 0x7800
    head = struct.pack("!HHHHHH", qid, 0x8000 | opcode | 5, 1, 0, 0, 0)
    s.sendto(head + q[12:end], peer)       # the zone (question), no TSIG
