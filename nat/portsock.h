/* Sockets toward a gateway's port 5351 (NAT-PMP and PCP). */
#ifndef HOMEREACH_PORTSOCK_H
#define HOMEREACH_PORTSOCK_H

#include <natpmp.h>

#include "probes/addr.h"

/* A non-blocking UDP socket connected to gateway:5351; client gets our
 * own address toward it (PCP puts it in every request). -1 on error. */
int portsock_open(const struct netaddr *gateway, struct netaddr *client);
/* libnatpmp's socket to gateway (IPv4 only); 0 or -1. */
int portsock_natpmp(natpmp_t *n, const struct netaddr *gateway);

#endif
