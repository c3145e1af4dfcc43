/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The records are copied when the reclaim starts: the state may change
 * under it. A removal in flight is never freed in its own callback.
 */
#include "nat/reclaim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/names.h"

struct reclaim {
	struct event_base *base;
	struct reclaim_params p;
	struct map_record recs[RECLAIM_MAX];
	int n, next;
	struct mapping_op *op, *retired;
	struct event *finish;
};

static bool
reclaim_expired(const struct map_record *m, int64_t now)
{
	return m->lifetime != 0 && m->granted_at + m->lifetime < now;
}

static void reclaim_next(struct reclaim *r);

static void
reclaim_removed(const struct mapping_grant *g, void *arg)
{
	struct reclaim *r = arg;
	const struct map_record *m = &r->recs[r->next++];

	mapping_free(r->retired);
	r->retired = r->op;
	r->op = NULL;
	if (g->ok) {
		log_info("removed %u/%s, left by process %d", m->internal_port,
		    proto_name(m->protocol), m->owner_pid);
		r->p.save(r->p.owner, WAYIN_DROP, m, NULL, NULL);
	} else
		log_warnx("cannot remove %u/%s, left by process %d: %s; trying "
		    "again at the next start", m->internal_port,
		    proto_name(m->protocol), m->owner_pid, g->error);
	reclaim_next(r);
}

static void
reclaim_next(struct reclaim *r)
{
	for (; r->next < r->n; r->next++) {
		const struct map_record *m = &r->recs[r->next];
		struct mapping_spec s;
		maprec_spec(m, &s);
		s.remove = true;
		r->op = mapping_start(r->base, &m->gateway, &s, r->p.timeout_ms,
		    reclaim_removed, r);
		if (r->op != NULL)
			return;
	}
	event_active(r->finish, 0, 0);
}

static void
reclaim_on_finish(evutil_socket_t fd, short what, void *arg)
{
	struct reclaim *r = arg;

	(void)fd, (void)what;
	if (r->p.done != NULL)
		r->p.done(r->p.arg);
}

/* Which records are a dead keeper's and wanted by nobody; the expired
 * ones are forgotten at once (from a copy: forgetting changes recs). */
static void
reclaim_pick(struct reclaim *r, const struct map_record *recs, int n)
{
	struct map_record copy[RECLAIM_MAX];
	int64_t now = (int64_t)time(NULL);

	n = n < RECLAIM_MAX ? n : RECLAIM_MAX;
	memcpy(copy, recs, sizeof(*recs) * (size_t)n);
	for (int i = 0; i < n; i++) {
		const struct map_record *m = &copy[i];
		bool orphan = m->owner_pid != 0 && !maprec_owner_alive(m);
		if (r->p.family && m->gateway.family != r->p.family)
			continue;
		if ((reclaim_expired(m, now) && (m->owner_pid == 0 || orphan)) ||
		    (orphan && (m->via == VIA_HOLD ||	/* gone with its flow */
		    m->via == VIA_RELAY)))		/* or its tunnel */
			r->p.save(r->p.owner, WAYIN_DROP, m, NULL, NULL);
		else if (orphan &&
		    (r->p.wanted == NULL || !r->p.wanted(m, r->p.arg)))
			r->recs[r->n++] = *m;
	}
}

struct reclaim *
reclaim_start(struct event_base *base, const struct map_record *recs, int n,
    const struct reclaim_params *p)
{
	struct reclaim *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->finish = event_new(base, -1, 0, reclaim_on_finish,
	    r)) == NULL) {
		free(r);
		return NULL;
	}
	r->base = base;
	r->p = *p;
	reclaim_pick(r, recs, n);
	reclaim_next(r);
	return r;
}

void
reclaim_free(struct reclaim *r)
{
	if (r == NULL)
		return;
	mapping_free(r->op);
	mapping_free(r->retired);
	event_free(r->finish);
	free(r);
}
