/* SPDX-License-Identifier: BSD-2-Clause */
/* What a dead keeper left: its layers removed from their routers, unless
 * a keeper now wants them; records whose lease has ended forgotten. One
 * rule for `map` and the agent. */
#ifndef HOMEREACH_RECLAIM_H
#define HOMEREACH_RECLAIM_H

#include <stdbool.h>

#include "nat/wayin.h"

#define RECLAIM_MAX	64

struct event_base;
struct reclaim;
/* Does a keeper take this record over (then it is left alone)? */
typedef bool reclaim_wanted_fn(const struct map_record *m, void *arg);
typedef void reclaim_done_cb(void *arg);

struct reclaim_params {
	int family;			/* of the gateways looked at; 0: all */
	reclaim_wanted_fn *wanted;	/* NULL: nobody wants any */
	wayin_save_fn *save;
	void *owner;
	int timeout_ms;
	reclaim_done_cb *done;		/* NULL: nobody waits */
	void *arg;
};

/* One removal at a time; done runs from the loop when all have answered
 * (a removal that fails keeps its record: the next start tries again). */
struct reclaim *reclaim_start(struct event_base *base,
    const struct map_record *recs, int n, const struct reclaim_params *p);
void reclaim_free(struct reclaim *r);

#endif
