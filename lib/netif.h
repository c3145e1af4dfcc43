/* SPDX-License-Identifier: BSD-2-Clause */
/* This host's own addresses: the "interface" observations. */
#ifndef HOMEREACH_NETIF_H
#define HOMEREACH_NETIF_H

#include <stdbool.h>
#include <stddef.h>

#include <net/if.h>

#include "lib/addr.h"

#define NETIF_MAX	16

struct netif_addr {
	char name[IF_NAMESIZE];
	struct netaddr address;
};

/* A global IPv6 address of this host (public: not ULA, link-local or
 * documentation), and what the kernel says of it. */
struct netif_addr6 {
	char name[IF_NAMESIZE];
	struct netaddr address;
	bool temporary;		/* RFC 4941 privacy address: outbound only */
	bool deprecated;	/* its preferred lifetime is over */
};

/* Each IPv4 address of an up, non-loopback interface, at most max of
 * them; returns how many. */
int netif_ipv4(struct netif_addr *out, int max);
/* Parse /proc/net/if_inet6 text: each public global address (tentative
 * ones are not yet usable), at most max; returns how many. */
int netif_parse_inet6_all(const char *text, struct netif_addr6 *out, int max);
int netif_ipv6(struct netif_addr6 *out, int max);
/* Parse /proc/net/if_inet6 text: the first stable global address (not a
 * temporary privacy address, not deprecated). Returns 0 if found. */
int netif_parse_inet6(const char *text, struct netaddr *out);
/* The host's first stable global IPv6 address: 0, or -1 (out zeroed). */
int netif_global_ipv6(struct netaddr *out);
/* What a pinhole needs: the router's IPv6 address (the default route's
 * gateway) and this host's stable global address. 0, or -1 with why
 * (both zeroed). */
int netif_ipv6_way(struct netaddr *gateway, struct netaddr *host, char *why,
    size_t len);
/* The source address the kernel picks toward dst (no packet is sent). */
int netif_source_for(const struct netaddr *dst, struct netaddr *out);

#endif
