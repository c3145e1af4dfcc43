/* Default route: /proc/net/route is plain text and needs no netlink. */
#include "lib/route.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

int
route_read_default(struct route_default *out, char *why, size_t whylen)
{
	char text[16384];
	size_t n;
	FILE *f = fopen("/proc/net/route", "re");

	if (f == NULL) {
		snprintf(why, whylen, "/proc/net/route: %s", strerror(errno));
		return -errno;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return route_parse_default(text, out, why, whylen);
}
