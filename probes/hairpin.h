/* SPDX-License-Identifier: BSD-2-Clause */
/* NAT loopback ("hairpinning", RFC 5382 REQ-9): does a connection from
 * this LAN to the house's public address and port come back in to the
 * service, as one from outside does? */
#ifndef HOMEREACH_HAIRPIN_H
#define HOMEREACH_HAIRPIN_H

#include <stdint.h>

#include "lib/addr.h"

enum hairpin_kind {
	HAIRPIN_YES,		/* the public address answers from the LAN */
	HAIRPIN_NO,		/* it does not: the router loops nothing back */
	HAIRPIN_UNKNOWN,	/* the router itself answers on that port, so
				 * an answer proves nothing */
};

struct hairpin_result {
	enum hairpin_kind kind;
	struct netaddr public;
	uint16_t port;
	char detail[64];	/* what the public address answered */
};

struct event_base;
struct hairpin;
typedef void hairpin_cb(const struct hairpin_result *r, void *arg);

/* TCP only (a UDP service need not answer a stranger's datagram). router:
 * the home router's LAN address, the second witness: a router that
 * answers on the port itself would look like a loopback. cb runs once,
 * from the loop. NULL if the connects cannot start. */
struct hairpin *hairpin_start(struct event_base *base,
    const struct netaddr *public, uint16_t port,
    const struct netaddr *router, int timeout_ms, hairpin_cb *cb, void *arg);
void hairpin_free(struct hairpin *h);
const char *hairpin_name(enum hairpin_kind kind);

#endif
