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

int
netif_parse_inet6(const char *text, struct netaddr *out)
{
	char hex[33];
	unsigned idx, plen, scope, flags;
	int used;

	while (sscanf(text, "%32s %x %x %x %x %*s%n", hex, &idx, &plen, &scope,
	    &flags, &used) == 5) {
		text += used;
		if (strlen(hex) != 32 || scope != 0 ||
		    (flags & (IFA_FLAG_TEMPORARY | IFA_FLAG_DEPRECATED |
		    IFA_FLAG_TENTATIVE)))
			continue;
		*out = (struct netaddr){ .family = AF_INET6 };
		for (int k = 0; k < 16; k++) {
			unsigned b;
			sscanf(hex + 2 * k, "%2x", &b);
			out->bytes[k] = (uint8_t)b;
		}
		if (addr_is_public(out))
			return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

int
netif_global_ipv6(struct netaddr *out)
{
	char text[8192];
	size_t n;
	FILE *f = fopen("/proc/net/if_inet6", "re");

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
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
