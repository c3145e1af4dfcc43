/* This host's own addresses: the "interface" observations. */
#ifndef HOMEREACH_NETIF_H
#define HOMEREACH_NETIF_H

#include <stddef.h>

#include "probes/evidence.h"

/* Add each IPv4 address of an up, non-loopback interface to ev. */
void netif_collect_ipv4(struct evidence *ev);
/* Parse /proc/net/if_inet6 text: the first stable global address (not a
 * temporary privacy address, not deprecated). Returns 0 if found. */
int netif_parse_inet6(const char *text, struct netaddr *out);
void netif_collect_ipv6(struct evidence *ev);
/* The source address the kernel picks toward dst (no packet is sent). */
int netif_source_for(const struct netaddr *dst, struct netaddr *out);

#endif
