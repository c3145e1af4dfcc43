/* SPDX-License-Identifier: BSD-2-Clause */
/* Sockets toward a gateway's port 5351 (NAT-PMP and PCP), and the
 * multicast listeners for what gateways announce. */
#ifndef HOMEREACH_PORTSOCK_H
#define HOMEREACH_PORTSOCK_H

#include <stdint.h>

#include <natpmp.h>

#include "lib/addr.h"

/* A non-blocking UDP socket connected to gateway:5351, sending from from
 * (NULL: the kernel's choice; an IPv6 pinhole is for the host's stable
 * address, not the temporary one the kernel prefers); client gets our own
 * address toward it (PCP puts it in every request). -1 on error. */
int portsock_open(const struct netaddr *gateway, const struct netaddr *from,
    struct netaddr *client);
/* A non-blocking UDP socket on port, shared with other listeners, in the
 * IPv4 multicast group (network order) on the interface of local (or any
 * if local is NULL). -1 on error, logged. */
int portsock_multicast(uint16_t port, uint32_t group,
    const struct netaddr *local);
/* libnatpmp's socket to gateway (IPv4 only); 0 or -1. */
int portsock_natpmp(natpmp_t *n, const struct netaddr *gateway);

#endif
