/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The state says what a router granted; only the router says what it
 * has now. A UPnP router is asked (GetSpecificPortMappingEntry, the
 * same question mapkeep asks every 30 s), one record at a time.
 */
#include "agent/cli/maplist.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "lib/netif.h"
#include "nat/upnp.h"

struct maplist {
	struct event_base *base;
	const struct state *st;
	int timeout_ms;
	int next;
	struct upnpprobe *probe, *done;	/* done: freed from the loop */
	struct event *step;
	struct maplist_router router[STATE_MAX_MAPPINGS];
	maplist_cb *cb;
	void *arg;
};

static void maplist_next(struct maplist *l);

static void
maplist_on_step(evutil_socket_t fd, short what, void *arg)
{
	struct maplist *l = arg;

	(void)fd, (void)what;
	upnpprobe_free(l->done);	/* its callback has returned */
	l->done = NULL;
	maplist_next(l);
}

static void
maplist_answered(const struct upnp_result *r, void *arg)
{
	struct maplist *l = arg;
	struct maplist_router *o = &l->router[l->next++];

	o->said = r->done ? MAPLIST_HAS_IT : MAPLIST_GONE;
	if (!r->done)
		memcpy(o->detail, r->map_error, sizeof(o->detail));
	l->done = l->probe;
	l->probe = NULL;
	event_active(l->step, 0, 0);
}

/* The next UPnP mapping asked (not a pinhole: its id is the router's; not
 * an upstream layer: its client is our router, not us). */
static void
maplist_next(struct maplist *l)
{
	for (; l->next < l->st->nmaps; l->next++) {
		const struct map_record *m = &l->st->maps[l->next];
		struct upnp_map_args a = { .op = UPNP_OP_CHECK,
		    .protocol = m->protocol, .internal_port = m->internal_port,
		    .external_port = m->external_port };
		if (m->via != VIA_UPNP || m->gateway.family != AF_INET ||
		    m->chain != 0 || m->external_port == 0)
			continue;
		netif_source_for(&m->gateway, &a.internal_client);
		l->probe = upnpprobe_start(l->base, &m->gateway, true,
		    l->timeout_ms, &a, maplist_answered, l);
		if (l->probe != NULL)
			return;
	}
	l->cb(l->router, l->arg);
}

struct maplist *
maplist_start(struct event_base *base, const struct state *st,
    int timeout_ms, maplist_cb *cb, void *arg)
{
	struct maplist *l = calloc(1, sizeof(*l));

	if (l == NULL || (l->step = event_new(base, -1, 0, maplist_on_step,
	    l)) == NULL) {
		free(l);
		return NULL;
	}
	*l = (struct maplist){ .base = base, .st = st, .timeout_ms = timeout_ms,
	    .step = l->step, .cb = cb, .arg = arg };
	event_active(l->step, 0, 0);	/* cb from the loop, never at once */
	return l;
}

void
maplist_free(struct maplist *l)
{
	if (l == NULL)
		return;
	upnpprobe_free(l->probe);
	upnpprobe_free(l->done);
	event_free(l->step);
	free(l);
}
