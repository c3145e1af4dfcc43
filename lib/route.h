/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's default routes, from /proc/net/route and
 * /proc/net/ipv6_route. */
#ifndef HOMEREACH_ROUTE_H
#define HOMEREACH_ROUTE_H

#include <stddef.h>

#include "lib/addr.h"

struct route_default {
	char ifname[16];
	struct netaddr gateway;
};

/* Parse the text of /proc/net/route; picks the lowest-metric default. */
int route_parse_default(const char *text, struct route_default *out,
    char *why, size_t whylen);
int route_read_default(struct route_default *out, char *why, size_t whylen);
/* The same for IPv6 (/proc/net/ipv6_route): the gateway of the default
 * route with the lowest metric; a link-local one (fe80::/10, as most
 * home routers advertise) carries the interface index as its scope, the
 * ifindex argument resolving the name (if_nametoindex; tests pass one). */
int route_parse_default6(const char *text, unsigned (*ifindex)(const char *),
    struct route_default *out, char *why, size_t whylen);
int route_read_default6(struct route_default *out, char *why, size_t whylen);

#endif
