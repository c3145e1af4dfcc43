/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One way in, layer by layer: the intent is recorded (a pending record
 * with the PCP nonce it will use), then the request leaves; the grant is
 * recorded, then the next layer is asked for, toward the port the one
 * before was given. Once every layer is granted, mapkeep keeps them. A
 * request in flight is never freed in its own callback: it is retired and
 * freed at the next retirement.
 */
#include "nat/wayin.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/proc.h"
#include "nat/hold.h"
#include "nat/relayway.h"

/* A router's layers (a mapping, a pinhole): nat/mapping.c asks,
 * nat/mapkeep.c keeps. */
static void *
router_ask(struct event_base *base, const struct netaddr *gateway,
    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb, void *arg)
{
	return mapping_start(base, gateway, spec, timeout_ms, cb, arg);
}

static void
router_ask_free(void *op)
{
	mapping_free(op);
}

static void *
router_keep(struct event_base *base, const struct mapkeep_params *p)
{
	return mapkeep_start(base, p);
}

static void
router_keep_free(void *k)
{
	mapkeep_free(k);
}

static void
router_stop(void *k)
{
	mapkeep_stop(k);
}

static void
router_refresh(void *k, const char *why)
{
	mapkeep_refresh(k, why);
}

static const struct map_record *
router_layer(const void *k, int i)
{
	return mapkeep_layer(k, i);
}

static bool
router_busy(const void *k)
{
	return mapkeep_busy(k);
}

static const struct wayin_ops router_ops = {
	router_ask, router_ask_free, router_keep, router_keep_free, router_stop,
	router_refresh, router_layer, router_busy,
};

/* The kinds of way in. A new kind is one entry here and one file with
 * its operations (the next: a port held through a carrier NAT, a relayed
 * port). */
static const struct wayin_kind_info wayin_kinds[] = {
	[WAYIN_MAPPING] = { "mapping", AF_INET, WAYIN_MAX_LAYERS, &router_ops },
	[WAYIN_PINHOLE] = { "pinhole", AF_INET6, 1, &router_ops },
	[WAYIN_HOLD] = { "hold", AF_INET, 2, &hold_ops },
	[WAYIN_RELAY] = { "relay", AF_INET, 1, &relay_ops },
};

struct wayin {
	struct event_base *base;
	struct wayin_params p;
	enum wayin_kind kind;
	struct netaddr gateways[WAYIN_MAX_LAYERS];
	struct mapping_spec specs[WAYIN_MAX_LAYERS];
	struct map_record recs[WAYIN_MAX_LAYERS];
	struct mapping_grant grants[WAYIN_MAX_LAYERS];
	int n;			/* layers granted and recorded */
	int want;		/* layers to ask for */
	const struct wayin_ops *ops;	/* its kind's */
	void *op, *retired;		/* a layer asked for */
	void *keep;			/* the keeper, once granted */
	bool intending;		/* a pending record is being written */
	bool freed;		/* freed meanwhile: the write's callback frees */
	bool stopping, remove;
};

const struct wayin_kind_info *
wayin_kind(enum wayin_kind kind)
{
	return &wayin_kinds[kind];
}

enum wayin_kind
wayin_kind_of(int family)
{
	return family == AF_INET6 ? WAYIN_PINHOLE : WAYIN_MAPPING;
}

static void
way_retire(struct wayin *w)
{
	w->ops->ask_free(w->retired);
	w->retired = w->op;
	w->op = NULL;
}

/* An upstream layer extends the host's own: its chain is that port. */
static uint16_t
way_chain(const struct wayin *w, int i)
{
	return i == 0 ? 0 : w->p.spec.internal_port;
}

static void
way_save(struct wayin *w, enum wayin_change what, const struct map_record *m,
    wayin_saved_cb *done)
{
	w->p.save(w->p.owner, what, m, done, w);
}

/* Layer i's request: the host's own as asked; an upstream one toward the
 * port the layer inside it was given, for the inner router's WAN address
 * when that is not public (PCP's third-party mapping). A recorded layer is
 * taken over: its external port and nonce, renewed if it was granted. */
static void
way_spec(struct wayin *w, int i, struct mapping_spec *s)
{
	const struct mapping_grant *in = i > 0 ? &w->grants[i - 1] : NULL;
	const struct map_record *m = w->p.adopt[i];

	*s = w->p.spec;
	if (in != NULL) {
		s->internal_port = in->external_port;
		if (s->external_port == 0)
			s->external_port = in->external_port;
		s->upstream = true;
		s->has_nonce = false;
		s->renew = false;
		s->pinhole_id = 0;
		if (s->via == VIA_ANY && !addr_is_public(&in->external))
			s->client = in->external;
		s->via = VIA_ANY;
	}
	if (m == NULL)
		return;
	s->external_port = m->external_port;
	s->has_nonce = m->has_nonce;
	memcpy(s->nonce, m->nonce, sizeof(s->nonce));
	s->renew = m->via != VIA_ANY;
	s->pinhole_id = m->pinhole_id;
}

static void
way_fail(struct wayin *w, const char *why)
{
	struct mapping_grant g = { .gateway = w->gateways[w->n] };

	snprintf(g.error, sizeof(g.error), "%s", why);
	w->p.ev.failed(w, w->n, &g, w->p.arg);
}

static void way_wind_down(struct wayin *w);
static void way_answered(const struct mapping_grant *g, void *arg);

static void
way_send(struct wayin *w)
{
	int i = w->n;

	w->op = w->ops->ask(w->base, &w->gateways[i], &w->specs[i],
	    w->p.timeout_ms, way_answered, w);
	if (w->op == NULL)
		way_fail(w, "cannot start a mapping request");
}

static void
way_intended(int rc, void *arg)
{
	struct wayin *w = arg;

	w->intending = false;
	if (w->freed) {
		free(w);
		return;
	}
	if (w->stopping)
		way_wind_down(w);
	else if (rc < 0)
		way_fail(w, "the state file cannot be written, so nothing was "
		    "asked");
	else
		way_send(w);
}

/* The intent first: whatever happens once the request has left (kill -9),
 * the next start finds the record and removes or keeps what it names. */
static void
way_next(struct wayin *w)
{
	int i = w->n;
	struct mapping_spec *s = &w->specs[i];
	struct map_record rec;

	way_spec(w, i, s);
	if (w->p.adopt[i] != NULL) {	/* on record already */
		way_send(w);
		return;
	}
	if (mapping_choose_nonce(s) < 0) {
		way_fail(w, "no random numbers for the PCP nonce");
		return;
	}
	maprec_pending(s, &w->gateways[i], way_chain(w, i), &rec);
	w->intending = true;
	way_save(w, WAYIN_INTEND, &rec, way_intended);
}

static void
way_undone(const struct mapping_grant *g, void *arg)
{
	struct wayin *w = arg;
	char why[REASON_LEN];

	way_retire(w);
	snprintf(why, sizeof(why), "the state file cannot be written, so the "
	    "grant %s", g->ok ? "was removed again" : "could not be recorded, "
	    "nor removed again");
	way_fail(w, why);
}

/* A grant that cannot be recorded is not kept: nobody would know of it. */
static void
way_undo(struct wayin *w)
{
	struct mapping_spec s;

	maprec_spec(&w->recs[w->n], &s);
	s.remove = true;
	w->op = w->ops->ask(w->base, &w->gateways[w->n], &s, w->p.timeout_ms,
	    way_undone, w);
	if (w->op == NULL)
		way_fail(w, "the state file cannot be written");
}

static void
way_stored(int rc, void *arg)
{
	struct wayin *w = arg;

	if (rc < 0) {
		way_undo(w);
		return;
	}
	w->n++;
	if (w->stopping)
		way_wind_down(w);
	else if (w->n < w->want)
		way_next(w);
	else if (!w->p.keep || wayin_keep(w) == 0)
		w->p.ev.granted(w, w->p.arg);
	else
		way_fail(w, "out of memory for its timers");
}

static void
way_answered(const struct mapping_grant *g, void *arg)
{
	struct wayin *w = arg;
	struct map_record *m = &w->recs[w->n];

	way_retire(w);
	w->grants[w->n] = *g;
	if (!g->ok) {
		if (w->stopping)
			way_wind_down(w);
		else
			w->p.ev.failed(w, w->n, g, w->p.arg);
		return;
	}
	maprec_of_grant(g, &w->specs[w->n], way_chain(w, w->n), m);
	if (w->p.owned) {
		m->owner_pid = getpid();
		m->owner_start = proc_start_time(m->owner_pid);
	}
	way_save(w, WAYIN_STORE, m, way_stored);
}

struct wayin *
wayin_start(struct event_base *base, const struct wayin_params *p)
{
	struct wayin *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->base = base;
	w->p = *p;
	w->kind = p->kind;
	w->ops = wayin_kinds[w->kind].ops;
	w->gateways[0] = p->gateway;
	w->gateways[1] = p->upstream;
	w->want = p->upstream.family && wayin_kinds[w->kind].max_layers > 1 ?
	    2 : 1;
	way_next(w);
	return w;
}

void
wayin_extend(struct wayin *w, const struct netaddr *upstream)
{
	if (w->n >= wayin_kinds[w->kind].max_layers || w->keep != NULL) {
		way_fail(w, "no more layers can be added");
		return;
	}
	w->gateways[w->n] = *upstream;
	w->want = w->n + 1;
	way_next(w);
}

/* --- kept --- */

static void
way_keep_save(enum mapkeep_change what, const struct map_record *m, void *arg)
{
	struct wayin *w = arg;

	w->p.save(w->p.owner, what == MAPKEEP_STORE ? WAYIN_STORE : WAYIN_DROP,
	    m, NULL, NULL);
}

static void
way_kept(int status, void *arg)
{
	struct wayin *w = arg;

	w->p.ev.done(status, w->p.arg);
}

static void
way_lost(int layer, const char *why, void *arg)
{
	struct wayin *w = arg;

	if (w->p.ev.lost != NULL)
		w->p.ev.lost(layer, why, w->p.arg);
}

static void
way_regranted(int layer, bool ok, void *arg)
{
	struct wayin *w = arg;

	if (w->p.ev.regranted != NULL)
		w->p.ev.regranted(layer, ok, w->p.arg);
}

int
wayin_keep(struct wayin *w)
{
	struct mapkeep_params k = { .recs = w->recs, .specs = w->specs,
	    .n = w->n, .timeout_ms = w->p.timeout_ms, .check_s = w->p.check_s,
	    .save = way_keep_save, .granted = way_regranted, .lost = way_lost,
	    .done = way_kept, .arg = w };

	if (w->keep != NULL)
		return 0;
	w->keep = w->ops->keep(w->base, &k);
	return w->keep != NULL ? 0 : -1;
}

/* Stopping, and nothing in flight: remove what is granted, or leave it
 * on record for the next keeper. */
static void
way_wind_down(struct wayin *w)
{
	if (w->remove && w->n > 0 && wayin_keep(w) == 0) {
		w->ops->stop(w->keep);
		return;
	}
	for (int i = 0; i < w->n; i++)
		way_save(w, WAYIN_DISOWN, wayin_layer(w, i), NULL);
	w->p.ev.done(1, w->p.arg);
}

void
wayin_stop(struct wayin *w, bool remove)
{
	if (w->stopping)
		return;
	w->stopping = true;
	w->remove = remove;
	if (w->op == NULL && !w->intending)
		way_wind_down(w);
}

void
wayin_refresh(struct wayin *w, const char *why)
{
	if (w->keep != NULL)
		w->ops->refresh(w->keep, why);
}

void
wayin_free(struct wayin *w)
{
	if (w == NULL)
		return;
	if (w->keep != NULL)
		w->ops->keep_free(w->keep);
	w->ops->ask_free(w->op);
	w->ops->ask_free(w->retired);
	w->keep = NULL, w->op = w->retired = NULL;
	if (w->intending)
		w->freed = true;	/* way_intended frees it */
	else
		free(w);
}

/* --- what it holds --- */

const struct map_record *
wayin_layer(const struct wayin *w, int i)
{
	if (w->keep != NULL)
		return w->ops->layer(w->keep, i);
	return i < w->n ? &w->recs[i] : NULL;
}

int
wayin_layers(const struct wayin *w)
{
	return w->n;
}

const struct map_record *
wayin_outer(const struct wayin *w)
{
	return w->n > 0 ? wayin_layer(w, w->n - 1) : NULL;
}

const struct mapping_grant *
wayin_grant(const struct wayin *w, int i)
{
	return &w->grants[i];
}

bool
wayin_busy(const struct wayin *w)
{
	return w->op != NULL || w->intending ||
	    (w->keep != NULL && w->ops->busy(w->keep));
}

bool
wayin_kept(const struct wayin *w)
{
	return w->keep != NULL;
}

const struct wayin_kind_info *
wayin_kind_info(const struct wayin *w)
{
	return &wayin_kinds[w->kind];
}
