/* SPDX-License-Identifier: BSD-2-Clause */
/* This host's address and route changes, from the kernel over netlink. */
#ifndef HOMEREACH_NETLINK_H
#define HOMEREACH_NETLINK_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/addr.h"

struct event_base;
struct netlink;
/* What changed: bits of changes, and the first of them in words. */
enum { NL_CHANGED_ROUTE = 1, NL_CHANGED_IPV4 = 2, NL_CHANGED_IPV6 = 4 };
typedef void netlink_cb(const char *what, unsigned changes, void *arg);

/* cb runs once a burst of RTM_NEWADDR/DELADDR/NEWROUTE/DELROUTE messages
 * has settled and the host's addresses or default route really differ
 * from before: an IPv6 lifetime refresh is not a change. */
struct netlink *netlink_start(struct event_base *base, netlink_cb *cb,
    void *arg);
/* stirred runs at the first message of a burst that may change the stable
 * IPv6 address (netlink_parse_stirs), before it settles. cb then runs
 * with the change as soon as there is one, or with what NULL 300 ms after
 * the stir if nothing changed after all. */
void netlink_on_stir(struct netlink *n, void (*stirred)(void *arg));
/* Does this datagram of kernel messages hold an IPv6 global address
 * (not temporary) that appears and is not known, or known that goes or
 * is deprecated? Pure (netlink_parse.c). */
bool netlink_parse_stirs(const void *buf, size_t len,
    const struct netaddr *known);
/* The IPv4 addresses of ifname (a tunnel of this process's own) are no
 * change of the host's. */
void netlink_ignore(struct netlink *n, const char *ifname);
void netlink_free(struct netlink *n);

#endif
