/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach map list: the state's records, and what each UPnP router says
 * of its own entry (another program may have deleted it). */
#ifndef HOMEREACH_MAPLIST_H
#define HOMEREACH_MAPLIST_H

#include "agent/config/state.h"

struct event_base;
struct maplist;

/* What a router said of a record. PCP and NAT-PMP cannot be asked
 * without asking for the mapping again: they are not asked. */
enum maplist_said { MAPLIST_NOT_ASKED, MAPLIST_HAS_IT, MAPLIST_GONE };

struct maplist_router {
	enum maplist_said said;
	char detail[REASON_LEN];	/* MAPLIST_GONE: what it said */
};

typedef void maplist_cb(const struct maplist_router *router, void *arg);

/* Ask each UPnP router about st's records in turn; cb runs once, from
 * the loop, with one answer per record (st must outlive it). */
struct maplist *maplist_start(struct event_base *base, const struct state *st,
    int timeout_ms, maplist_cb *cb, void *arg);
void maplist_free(struct maplist *l);

#endif
