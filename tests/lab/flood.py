#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Connections that hold a server's descriptors, for the lab.

    flood.py hold TARGET PORT SECONDS N [SOURCE...]
        N connections from each SOURCE address (or from the default one),
        held idle for SECONDS; prints how many connected and how many the
        server closed meanwhile. A SOURCE PREFIX/64*K is K addresses of
        that IPv6 /64 (PREFIX::1 to PREFIX::K; the lab routes the /64 to
        lo as local and allows binding addresses it does not hold).
    flood.py trickle TARGET PORT [tls]
        one connection that sends a byte a second (a request head, or a
        TLS ClientHello) until the server closes it; prints the
        milliseconds.
"""
import ipaddress
import socket
import sys
import time


def expand(sources):
    out = []
    for src in sources:
        if "*" not in src:
            out.append(src)
            continue
        net, count = src.split("*")
        base = ipaddress.ip_network(net).network_address
        out += [str(base + i) for i in range(1, int(count) + 1)]
    return out


def hold(target, port, seconds, n, sources):
    socks = []
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    for src in expand(sources) or [None]:
        for _ in range(n):
            s = socket.socket(family)
            s.setblocking(False)
            if src:
                s.bind((src, 0))
            try:
                s.connect((target, port))
            except (BlockingIOError, OSError):
                pass
            socks.append(s)
    end = time.time() + seconds
    closed = set()
    while time.time() < end:
        for s in socks:
            if s in closed:
                continue
            try:
                if s.recv(1, socket.MSG_DONTWAIT) == b"":
                    closed.add(s)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(s)
        time.sleep(0.1)
    connected = sum(1 for s in socks if s.fileno() >= 0)
    print(f"{connected} {len(closed)}")


def client_hello():
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def trickle(target, port, tls):
    data = client_hello() if tls else b"GET / HTTP/1.1\r\nHost: a.b\r\n" * 4
    s = socket.create_connection((target, port))
    t0 = time.time()
    try:
        for b in data[:60]:
            s.send(bytes([b]))
            time.sleep(1)
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    break
            except BlockingIOError:
                pass
            s.setblocking(True)
    except OSError:
        pass
    print(int((time.time() - t0) * 1000))


if sys.argv[1] == "hold":
    hold(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]),
         sys.argv[6:])
else:
    trickle(sys.argv[2], int(sys.argv[3]), sys.argv[4:] == ["tls"])
