/* SPDX-License-Identifier: BSD-2-Clause */
/* Which of this host's IPv6 addresses the internet sees: each candidate
 * is asked about from itself, by every observer that may be asked over
 * IPv6. A new address is a hint, as a gateway's announcement is: any LAN
 * host can offer a prefix in a router advertisement (or deprecate ours),
 * and only an outside observer that answers to the address and names it
 * confirms that it leads here. */
#ifndef HOMEREACH_SEEN6_H
#define HOMEREACH_SEEN6_H

#include <stdbool.h>

#include "lib/addr.h"
#include "lib/netif.h"

#define SEEN6_MAX	4	/* candidates asked about at once */

struct event_base;
struct evdns_base;
struct seen6;

struct seen6_result {
	struct netaddr address;	/* family 0: none confirmed */
	bool deprecated;	/* the confirmed one's preferred time is over */
	bool asked;		/* some observer could be asked over IPv6 */
	int ncandidates;
	int ms;			/* from the start to the answer */
};

typedef void seen6_cb(const struct seen6_result *r, void *arg);

/* The candidates in the order they are preferred: stable before
 * deprecated, current first within each (no flapping between two that
 * work); temporary (privacy) addresses never. Pure; returns how many. */
int seen6_rank(const struct netif_addr6 *all, int n,
    const struct netaddr *current, struct netif_addr6 *out, int max);
/* Does the choice need asking again: no current address, or the host no
 * longer holds it, or no longer prefers it. Pure. */
bool seen6_stale(const struct netif_addr6 *all, int n,
    const struct netaddr *current);

/* Ask about this host's addresses now (the STUN servers and HTTP echo
 * URLs as configured; IPv4 literals are skipped). cb runs once, from the
 * loop, with the best-ranked confirmed candidate, as soon as every better
 * one has failed. */
struct seen6 *seen6_start(struct event_base *base, struct evdns_base *dns,
    const char *const *stun, int nstun, const char *const *echo, int necho,
    const struct netaddr *current, int timeout_ms, seen6_cb *cb, void *arg);
void seen6_free(struct seen6 *s);

#endif
