/* SPDX-License-Identifier: BSD-2-Clause */
/* Default route: /proc/net/route is plain text and needs no netlink. */
#include "lib/route.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include "lib/reason.h"

#define RTF_UP_FLAG	0x0001
#define RTF_GW_FLAG	0x0002

int
route_parse_default(const char *text, struct route_default *out,
    char *why, size_t whylen)
{
	const char *line = strchr(text, '\n');	/* skip the header line */
	unsigned best = ~0u;

	memset(out, 0, sizeof(*out));
	while (line != NULL && *++line != '\0') {
		char ifname[16];
		unsigned dst, gw, flags, metric, mask;
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
		if (sscanf(line, "%15s %x %x %x %*d %*d %u %x", ifname, &dst,
		    &gw, &flags, &metric, &mask) == 6 && dst == 0 && mask == 0 &&
		    (flags & (RTF_UP_FLAG | RTF_GW_FLAG)) ==
		    (RTF_UP_FLAG | RTF_GW_FLAG) && metric < best) {
			uint32_t raw = gw;	/* printed from network order */
			best = metric;
			snprintf(out->ifname, sizeof(out->ifname), "%s", ifname);
			out->gateway.family = AF_INET;
			memcpy(out->gateway.bytes, &raw, 4);
		}
		line = strchr(line, '\n');
	}
	if (best == ~0u)
		return reason(why, whylen, "no IPv4 default route");
	return 0;
}

/* 32 hex digits into an address; -1 if they are not. */
static int
route_hex6(const char *hex, struct netaddr *a)
{
	*a = (struct netaddr){ .family = AF_INET6 };
	for (int i = 0; i < 16; i++) {
		unsigned b;
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		a->bytes[i] = (uint8_t)b;
	}
	return 0;
}

int
route_parse_default6(const char *text, unsigned (*ifindex)(const char *),
    struct route_default *out, char *why, size_t whylen)
{
	unsigned best = ~0u;

	memset(out, 0, sizeof(*out));
	for (const char *line = text; line != NULL && *line != '\0'; ) {
		char dst[33], plen[3], gw[33], ifname[16];
		unsigned metric, flags;
		struct netaddr g;
		/* dst plen src splen nexthop metric refcnt use flags ifname */
		if (sscanf(line, "%32s %2s %*32s %*2s %32s %x %*x %*x %x %15s",
		    dst, plen, gw, &metric, &flags, ifname) == 6 &&
		    strspn(dst, "0") == 32 && !strcmp(plen, "00") &&
		    (flags & (RTF_UP_FLAG | RTF_GW_FLAG)) ==
		    (RTF_UP_FLAG | RTF_GW_FLAG) && metric < best &&
		    strlen(dst) == 32 && strlen(gw) == 32 && route_hex6(gw, &g) == 0) {
			best = metric;
			snprintf(out->ifname, sizeof(out->ifname), "%s", ifname);
			out->gateway = g;
			if (g.bytes[0] == 0xfe && (g.bytes[1] & 0xc0) == 0x80)
				out->gateway.scope = ifindex(ifname);
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (best == ~0u)
		return reason(why, whylen, "no IPv6 default route");
	return 0;
}

/* A /proc file's text, up to len - 1 bytes. */
static int
route_read(const char *path, char *text, size_t len, char *why, size_t whylen)
{
	size_t n;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	n = fread(text, 1, len - 1, f);
	fclose(f);
	text[n] = '\0';
	return 0;
}

int
route_read_default(struct route_default *out, char *why, size_t whylen)
{
	char text[16384];
	int rc = route_read("/proc/net/route", text, sizeof(text), why, whylen);

	return rc < 0 ? rc : route_parse_default(text, out, why, whylen);
}

int
route_read_default6(struct route_default *out, char *why, size_t whylen)
{
	char text[16384];
	int rc = route_read("/proc/net/ipv6_route", text, sizeof(text), why,
	    whylen);

	return rc < 0 ? rc : route_parse_default6(text, if_nametoindex, out, why,
	    whylen);
}
