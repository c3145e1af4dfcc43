/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/netif.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/route.h"

#define IFA_FLAG_TEMPORARY	0x01	/* linux/if_addr.h IFA_F_TEMPORARY */
#define IFA_FLAG_DEPRECATED	0x20
#define IFA_FLAG_TENTATIVE	0x40

int
netif_ipv4(struct netif_addr *out, int max)
{
	struct ifaddrs *list, *i;
	int n = 0;

	if (getifaddrs(&list) < 0)
		return 0;
	for (i = list; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", i->ifa_name);
		addr_from_sockaddr(i->ifa_addr, &out[n].address, NULL);
		n++;
	}
	freeifaddrs(list);
	return n;
}

/* One line of /proc/net/if_inet6: 1 a public global address (into out),
 * 0 another, -1 the end of the text. */
static int
netif_inet6_line(const char **text, struct netif_addr6 *out)
{
	char hex[33], name[IF_NAMESIZE + 1];
	unsigned idx, plen, scope, flags;
	int used;

	if (sscanf(*text, "%32s %x %x %x %x %16s%n", hex, &idx, &plen, &scope,
	    &flags, name, &used) != 6)
		return -1;
	*text += used;
	if (strlen(hex) != 32 || scope != 0 || (flags & IFA_FLAG_TENTATIVE))
		return 0;
	*out = (struct netif_addr6){ .address.family = AF_INET6,
	    .temporary = flags & IFA_FLAG_TEMPORARY,
	    .deprecated = flags & IFA_FLAG_DEPRECATED };
	snprintf(out->name, sizeof(out->name), "%s", name);
	for (int k = 0; k < 16; k++) {
		unsigned b;
		sscanf(hex + 2 * k, "%2x", &b);
		out->address.bytes[k] = (uint8_t)b;
	}
	return addr_is_public(&out->address);
}

int
netif_parse_inet6_all(const char *text, struct netif_addr6 *out, int max)
{
	int n = 0, rc;

	while (n < max && (rc = netif_inet6_line(&text, &out[n])) >= 0)
		n += rc;
	return n;
}

int
netif_parse_inet6(const char *text, struct netaddr *out)
{
	struct netif_addr6 list[NETIF_MAX];
	int n = netif_parse_inet6_all(text, list, NETIF_MAX);

	for (int i = 0; i < n; i++)
		if (!list[i].temporary && !list[i].deprecated) {
			*out = list[i].address;
			return 0;
		}
	memset(out, 0, sizeof(*out));
	return -1;
}

/* /proc/net/if_inet6 into text (len bytes at most); 0, or -1. */
static int
netif_read_inet6(char *text, size_t len)
{
	size_t n;
	FILE *f = fopen("/proc/net/if_inet6", "re");

	text[0] = '\0';
	if (f == NULL)
		return -1;
	n = fread(text, 1, len - 1, f);
	fclose(f);
	text[n] = '\0';
	return 0;
}

int
netif_ipv6(struct netif_addr6 *out, int max)
{
	char text[8192];

	if (netif_read_inet6(text, sizeof(text)) < 0)
		return 0;
	return netif_parse_inet6_all(text, out, max);
}

int
netif_global_ipv6(struct netaddr *out)
{
	char text[8192];

	memset(out, 0, sizeof(*out));
	if (netif_read_inet6(text, sizeof(text)) < 0)
		return -1;
	return netif_parse_inet6(text, out);
}

int
netif_source_for(const struct netaddr *dst, struct netaddr *out)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(dst, 9, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
			addr_from_sockaddr((struct sockaddr *)&ss, out, NULL);
			rc = 0;
		}
	}
	close(fd);
	return rc;
}

int
netif_ipv6_way(struct netaddr *gateway, struct netaddr *host, char *why,
    size_t len)
{
	struct route_default rt;

	if (route_read_default6(&rt, why, len) == 0 &&
	    netif_global_ipv6(host) == 0) {
		*gateway = rt.gateway;
		return 0;
	}
	if (rt.gateway.family)
		snprintf(why, len, "this host has no stable global IPv6 address");
	memset(gateway, 0, sizeof(*gateway));
	memset(host, 0, sizeof(*host));
	return -1;
}
