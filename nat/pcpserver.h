/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the carrier's PCP server is, without guessing: what the carrier's
 * DHCP server said (RFC 7291: DHCPv4 option 158, DHCPv6 option 86), as a
 * DHCP client on this host kept it in its lease files, and the well-known
 * anycast address (RFC 7723: 192.0.0.9). A carrier that maps is cheaper
 * than a held port, and is asked first.
 */
#ifndef HOMEREACH_PCPSERVER_H
#define HOMEREACH_PCPSERVER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define PCPSERVER_ANYCAST4	"192.0.0.9"	/* RFC 7723 */
#define PCPSERVER_MAX		4

/*
 * The parsers, pure: each adds the IPv4 PCP servers it finds to out
 * (n of max used; duplicates and addresses that are no unicast host are
 * skipped) and returns the new count, or -1 with why naming what was
 * wrong and where.
 *  - option 158's value (RFC 7291 section 4): lists, each a length octet
 *    and that many octets of addresses;
 *  - a DHCPv4 message (dhcpcd's lease files: the server's ACK as sent),
 *    its option 158 (RFC 3396: instances concatenated);
 *  - a DHCPv6 message (dhcpcd's .lease6 files), option 86's IPv4-mapped
 *    addresses (RFC 7291 section 3; native IPv6 ones map no IPv4 port);
 *  - ISC dhclient's lease text: its last lease's
 *    "option unknown-158 4:c0:0:0:9;".
 */
int pcpserver_option158(const uint8_t *v, size_t len, struct netaddr *out,
    int n, int max, char *why, size_t whylen);
int pcpserver_dhcp4(const uint8_t *msg, size_t len, struct netaddr *out,
    int n, int max, char *why, size_t whylen);
int pcpserver_dhcp6(const uint8_t *msg, size_t len, struct netaddr *out,
    int n, int max, char *why, size_t whylen);
int pcpserver_dhclient(const char *text, size_t len, struct netaddr *out,
    int n, int max, char *why, size_t whylen);

/* The lease files' PCP servers, then the anycast address: the count. A
 * file that cannot be read or parsed is said at debug level and skipped. */
int pcpserver_candidates(struct netaddr *out, int max);

#endif
