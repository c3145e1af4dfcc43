/* The host's IPv4 default route, from /proc/net/route. */
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

#endif
