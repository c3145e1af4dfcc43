/* SPDX-License-Identifier: BSD-2-Clause */
/* IP addresses as plain values, and what kind of address each one is. */
#ifndef HOMEREACH_ADDR_H
#define HOMEREACH_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

struct netaddr {
	int family;		/* AF_INET, AF_INET6, or 0 for none */
	uint8_t bytes[16];	/* network order; IPv4 uses the first 4 */
	uint32_t scope;		/* IPv6 link-local: the interface index */
};

enum addr_scope {
	ADDR_PUBLIC,
	ADDR_PRIVATE,		/* RFC 1918, RFC 4193 ULA */
	ADDR_SHARED,		/* RFC 6598 carrier-grade NAT */
	ADDR_LOOPBACK,
	ADDR_LINKLOCAL,
	ADDR_DOCUMENTATION,
	ADDR_BENCHMARK,
	ADDR_MULTICAST,
	ADDR_RESERVED,		/* anything else special-purpose */
};

/* Parse a numeric IPv4 or IPv6 address; IPv4-mapped IPv6 is unwrapped. */
int addr_parse(const char *text, struct netaddr *out);
/* Format into buf (ADDR_STRLEN bytes); returns buf. */
const char *addr_ntop(const struct netaddr *a, char *buf, size_t len);
/* "192.0.2.1:80" or "[2001:db8::1]:80": where a port is reached. */
#define ADDR_PORT_STRLEN	(ADDR_STRLEN + 8)
const char *addr_ntop_port(const struct netaddr *a, uint16_t port, char *buf,
    size_t len);
void addr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out,
    uint16_t *port);
/* Fill a sockaddr_storage; returns its length. */
socklen_t addr_to_sockaddr(const struct netaddr *a, uint16_t port,
    struct sockaddr_storage *ss);
bool addr_equal(const struct netaddr *a, const struct netaddr *b);
/* Rewrite ::ffff:a.b.c.d as the IPv4 address a.b.c.d. */
void addr_unmap(struct netaddr *a);
enum addr_scope addr_classify(const struct netaddr *a);
/* The RFC that reserves the range holding a, or NULL if public. */
const char *addr_rfc(const struct netaddr *a);
const char *addr_scope_name(enum addr_scope scope);
/* True only for globally reachable unicast addresses. */
bool addr_is_public(const struct netaddr *a);
/* In 192.0.0.0/29, DS-Lite's B4 and AFTR addresses (RFC 6333 5.7). */
bool addr_is_dslite(const struct netaddr *a);
/* Could a host (a router's WAN) hold a? Not "this network", loopback,
 * link-local, multicast, 240/4 with broadcast, nor ::. A router that
 * claims such an address has told us nothing. */
bool addr_is_host(const struct netaddr *a);

#endif
