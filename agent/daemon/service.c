/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each service has a way in (nat/wayin.c) on each way: its layers are
 * made (taking over the records a dead agent left: same external port,
 * same PCP nonce), then kept: renewed, watched, made again after a
 * reboot. A way that fails is made anew with back-off.
 * Objects are never freed inside their own callbacks: an entry that is
 * done is marked and reaped from the loop.
 */
#include "agent/daemon/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/daemon/ctlmsg.h"
#include "agent/daemon/store.h"
#include "agent/daemon/timeline.h"
#include "agent/config/state.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/proc.h"
#include "nat/hold.h"
#include "nat/reclaim.h"
#include "nat/wayin.h"
#include "lib/names.h"

#define SVC_LIFETIME	7200	/* asked for; renewed at half */
#define SVC_CHECK_S	30	/* UPnP: how often a mapping is looked up */
#define SVC_RETRY_MIN	1000	/* ms, doubling to SVC_RETRY_MAX */
#define SVC_RETRY_MAX	(300 * 1000)
#define SVC_MAX		(2 * CONFIG_MAX_SERVICES)

struct services;

struct svc {
	struct services *set;
	struct service_config cfg;
	enum wayin_kind kind;
	struct netaddr gateway, upstream;
	struct mapping_spec spec;	/* the host's own layer */
	struct wayin *way;
	struct event *retry;
	int retry_ms;
	char error[REASON_LEN];
	bool failed;		/* its way failed: made anew at the retry */
	bool stopping, gone, remake;
	bool lost;		/* lost from the router: restored is news */
	struct netaddr checked;	/* a hold: where the outside check last
				 * tried it (port 0: not yet), its answer */
	uint16_t checked_port;
	bool checked_open;
};

struct services {
	struct event_base *base;
	struct store *store;
	struct timeline *timeline;
	int timeout_ms;
	struct svc *list[SVC_MAX];
	int n;
	struct event *reap;
	struct reclaim *reclaim[2];	/* IPv4, IPv6 */
	services_cb *refreshed, *stopped;
	void *refreshed_arg, *stopped_arg;
	services_changed_cb *changed;
	void *changed_arg;
	services_settled_cb *settled;
	void *settled_arg;
	bool holds_trusted;	/* the carrier's last test: strangers get in */
	bool behind;		/* a NAT in front that maps nothing */
	bool outside_first;	/* check_url: a held port answers it first */
	services_moved_cb *hold_moved;
	void *hold_moved_arg;
};

/* One way a service is kept open: its kind, a gateway (and the router in
 * front of it, if it maps too; for a hold, the STUN server its flow goes
 * to), and for a pinhole the address it opens (family 0 otherwise). */
struct svc_way {
	enum wayin_kind kind;
	struct netaddr gateway, client, upstream;
};

/* The agent's store writes it; nothing waits for the file but the intent
 * (the request leaves once the file holds it). */
static void
svc_way_save(void *owner, enum wayin_change what, const struct map_record *m,
    wayin_saved_cb *done, void *done_arg)
{
	struct services *set = owner;

	if (what == WAYIN_INTEND) {
		store_change(set->store, state_store_new, (void *)m, done,
		    done_arg);
		return;
	}
	store_change(set->store, state_way_change(what), (void *)m, NULL, NULL);
	if (done != NULL)
		done(0, done_arg);
}

static void
svc_finished(struct svc *e)
{
	e->gone = true;
	event_active(e->set->reap, 0, 0);
}

static bool
svc_kept(const struct svc *e)
{
	return e->way != NULL && !e->failed && wayin_kept(e->way);
}

static bool
svc_any_busy(const struct services *set)
{
	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		if (!e->gone && !e->stopping && e->way != NULL && !e->failed &&
		    (!wayin_kept(e->way) || wayin_busy(e->way)))
			return true;
	}
	return false;
}

/* A refresh is over when nobody is mapping any more. */
static void
svc_settled(struct services *set)
{
	services_cb *cb = set->refreshed;

	if (cb == NULL || svc_any_busy(set))
		return;
	set->refreshed = NULL;
	cb(set->refreshed_arg);
}

static void
svc_done(int status, void *arg)
{
	(void)status;
	svc_finished(arg);
}

/* The layer strangers reach, when kept. */
static const struct map_record *
svc_outer(const struct svc *e)
{
	return svc_kept(e) ? wayin_outer(e->way) : NULL;
}

/* A held port that the outside check has to try first, at the port it is
 * held at now: none, yes (true), or not yet. */
static bool
svc_hold_checked(const struct svc *e)
{
	const struct map_record *m = svc_outer(e);

	return !e->set->outside_first || (m != NULL &&
	    e->checked_port == m->external_port &&
	    addr_equal(&e->checked, &m->external));
}

/* Open to strangers, as far as we know: a held port only while the
 * carrier's last test says so (and, with check_url, the outside check
 * reached it there); a mapping not behind a NAT that maps nothing. */
static bool
svc_open(const struct svc *e)
{
	if (e->kind == WAYIN_HOLD)
		return e->set->holds_trusted && svc_hold_checked(e) &&
		    (!e->set->outside_first || e->checked_open);
	if (e->kind == WAYIN_RELAY)
		return true;
	return e->kind == WAYIN_PINHOLE || !e->set->behind;
}

/* "5.0.1.2:8080" or "[2a05:5:1::10]:8080" for the timeline. */
static const char *
svc_way_text(const struct svc *e, char *buf, size_t len)
{
	const struct map_record *m = svc_outer(e);

	if (m == NULL || m->external.family == 0)
		snprintf(buf, len, "%u/%s", e->cfg.port, proto_name(e->cfg.protocol));
	else
		addr_ntop_port(&m->external, m->external_port, buf, len);
	return buf;
}

static const char *
svc_way_name(const struct svc *e)
{
	return wayin_kind(e->kind)->name;
}

static void
svc_lost(int layer, const char *why, void *arg)
{
	struct svc *e = arg;
	char way[ADDR_PORT_STRLEN];

	(void)layer;
	if (e->lost)
		return;
	e->lost = true;
	timeline_add(e->set->timeline, HAP_MAPPING_LOST, e->cfg.name,
	    svc_way_text(e, way, sizeof(way)), NULL, "service %s: its %s %s "
	    "was lost (%s)", e->cfg.name, svc_way_name(e), way, why);
}

/* Back after a loss: the event that says so. */
static void
svc_restored(struct svc *e)
{
	char way[ADDR_PORT_STRLEN];

	if (!e->lost)
		return;
	e->lost = false;
	timeline_add(e->set->timeline, HAP_MAPPING_RESTORED, e->cfg.name, NULL,
	    svc_way_text(e, way, sizeof(way)), "service %s: its %s is back: %s",
	    e->cfg.name, svc_way_name(e), way);
}

static void
svc_regranted(int layer, bool ok, void *arg)
{
	struct svc *e = arg;
	struct services *set = e->set;

	if (ok && e->kind == WAYIN_HOLD && layer == 1) {
		set->holds_trusted = false;	/* tested again first */
		if (set->hold_moved != NULL)
			set->hold_moved(e->cfg.name, set->hold_moved_arg);
	}
	if (ok) {
		svc_restored(e);
		e->error[0] = '\0';
	} else
		snprintf(e->error, sizeof(e->error), "cannot map again");
	svc_settled(e->set);
	if (ok && e->set->changed != NULL)
		e->set->changed(e->cfg.name, e->gateway.family,
		    e->set->changed_arg);
}

static void svc_map(struct svc *e);

static void
svc_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	svc_map(arg);
}

static void
svc_failed(struct svc *e, const char *error)
{
	if (strcmp(e->error, error) != 0)
		log_warnx("service %s: cannot map %u/%s: %s; trying again",
		    e->cfg.name, e->cfg.port, proto_name(e->cfg.protocol), error);
	snprintf(e->error, sizeof(e->error), "%s", error);
	loop_after(e->retry, e->retry_ms);
	e->retry_ms = e->retry_ms * 2 > SVC_RETRY_MAX ? SVC_RETRY_MAX :
	    e->retry_ms * 2;
}

static void
svc_way_failed(struct wayin *w, int layer, const struct mapping_grant *g,
    void *arg)
{
	struct svc *e = arg;
	char why[REASON_LEN], up[ADDR_STRLEN];

	(void)w;
	e->failed = true;
	if (layer > 0)
		snprintf(why, sizeof(why), "the router in front, %s, refused: %s",
		    addr_ntop(&g->gateway, up, sizeof(up)), g->error);
	else
		snprintf(why, sizeof(why), "%s", g->error);
	svc_failed(e, why);
	svc_settled(e->set);
	if (e->set->settled != NULL)
		e->set->settled(e->cfg.name, e->set->settled_arg);
}

static void
svc_granted(struct wayin *w, void *arg)
{
	struct svc *e = arg;
	const struct map_record *m = wayin_outer(w);
	char ext[ADDR_PORT_STRLEN];

	e->error[0] = '\0';
	e->retry_ms = SVC_RETRY_MIN;
	log_info("service %s: %u/%s -> %s via %s%s%s", e->cfg.name, e->cfg.port,
	    proto_name(e->cfg.protocol), addr_ntop_port(&m->external,
	    m->external_port, ext, sizeof(ext)), via_name(m->via),
	    e->kind == WAYIN_HOLD ? " (held open through the NAT in front)" :
	    wayin_layers(w) > 1 ? " (through two routers)" : "",
	    e->kind == WAYIN_PINHOLE ? " (a pinhole)" : "");
	svc_restored(e);
	svc_settled(e->set);
	if (e->set->changed != NULL)
		e->set->changed(e->cfg.name, e->gateway.family,
		    e->set->changed_arg);
	if (e->set->settled != NULL)
		e->set->settled(e->cfg.name, e->set->settled_arg);
}

/* What a dead agent (or an earlier run of this one) recorded of layer i,
 * to take over: same external port, same PCP nonce; NULL if nothing. */
static const struct map_record *
svc_adopt(const struct svc *e, int i, const struct map_record *inner)
{
	const struct state *st = store_state(e->set->store);
	const struct map_record *m;

	if (i == 0) {
		m = state_find_const(st, e->cfg.protocol, e->cfg.port,
		    &e->gateway);
		if (m != NULL && e->gateway.family == AF_INET6 &&
		    !addr_equal(&m->external, &e->spec.client))
			return NULL;	/* a pinhole for an address we had */
		return m != NULL && m->chain == 0 ? m : NULL;
	}
	if (inner == NULL || e->upstream.family == 0)
		return NULL;
	m = state_find_const(st, e->cfg.protocol, inner->external_port,
	    &e->upstream);
	return m != NULL && m->chain == e->cfg.port ? m : NULL;
}

/* Its way in, made (or taken over) layer by layer; a failed one is made
 * anew. */
static void
svc_map(struct svc *e)
{
	struct wayin_params p = { .kind = e->kind, .spec = e->spec,
	    .gateway = e->gateway,
	    .upstream = e->upstream, .keep = true, .owned = true,
	    .timeout_ms = e->set->timeout_ms, .check_s = SVC_CHECK_S,
	    .save = svc_way_save, .owner = e->set,
	    .ev = { .granted = svc_granted, .failed = svc_way_failed,
	    .lost = svc_lost, .regranted = svc_regranted, .done = svc_done },
	    .arg = e };

	if (e->stopping || (e->way != NULL && !e->failed))
		return;
	wayin_free(e->way);	/* failed, and its callback has returned */
	e->failed = false;
	p.adopt[0] = svc_adopt(e, 0, NULL);
	p.adopt[1] = svc_adopt(e, 1, p.adopt[0]);
	if ((e->way = wayin_start(e->set->base, &p)) == NULL) {
		e->failed = true;
		svc_failed(e, "out of memory");
	}
}

/* The external port asked of the home router: the service's own (or the
 * one configured); for a hold another one, since this host sends its
 * keep-alives from that port and the service listens on its own. */
static uint16_t
svc_external_port(const struct service_config *c, enum wayin_kind kind)
{
	uint16_t port = c->external_port ? c->external_port : c->port;

	if (kind != WAYIN_HOLD || port != c->port)
		return port;
	return port < 45536 ? port + 20000 : port - 20000;
}

static struct svc *
svc_start(struct services *set, const struct service_config *c,
    const struct svc_way *w)
{
	struct svc *e = NULL;

	if (set->n == SVC_MAX || (e = calloc(1, sizeof(*e))) == NULL ||
	    (e->retry = evtimer_new(set->base, svc_on_retry, e)) == NULL) {
		log_warnx("service %s: %s", c->name, set->n == SVC_MAX ?
		    "too many services" : "out of memory");
		free(e);
		return NULL;
	}
	e->set = set;
	e->cfg = *c;
	e->kind = w->kind;
	e->gateway = w->gateway;
	e->upstream = w->upstream;
	e->spec = (struct mapping_spec){ .protocol = c->protocol,
	    .internal_port = c->port, .lifetime = SVC_LIFETIME,
	    .external_port = svc_external_port(c, w->kind), .client = w->client,
	    .via = w->kind == WAYIN_RELAY ? VIA_RELAY : VIA_ANY };
	e->retry_ms = SVC_RETRY_MIN;
	set->list[set->n++] = e;
	svc_map(e);
	return e;
}

/* Stop keeping e; remove its layers from their routers, or leave them. */
static void
svc_stop(struct svc *e, bool remove)
{
	if (e->stopping)
		return;
	e->stopping = true;
	event_del(e->retry);
	if (e->way == NULL) {
		svc_finished(e);
		return;
	}
	if (remove)
		log_info("service %s: removing %u/%s", e->cfg.name, e->cfg.port,
		    proto_name(e->cfg.protocol));
	wayin_stop(e->way, remove);	/* svc_done finishes it */
}

static void
svc_free(struct svc *e)
{
	wayin_free(e->way);
	loop_event_free(&e->retry);
	free(e);
}

static void
svc_on_reap(evutil_socket_t fd, short what, void *arg)
{
	struct services *set = arg;
	int kept = 0;

	struct svc *again[SVC_MAX];
	int nagain = 0;

	(void)fd, (void)what;
	for (int i = 0; i < set->n; i++) {
		if (set->list[i]->gone && set->list[i]->remake &&
		    set->stopped == NULL)
			again[nagain++] = set->list[i];
		else if (set->list[i]->gone)
			svc_free(set->list[i]);
		else
			set->list[kept++] = set->list[i];
	}
	set->n = kept;
	for (int i = 0; i < nagain; i++) {	/* removed: now make it anew */
		struct svc_way w = { again[i]->kind, again[i]->gateway,
		    again[i]->spec.client, again[i]->upstream };
		struct svc *e = svc_start(set, &again[i]->cfg, &w);
		if (e != NULL)
			e->lost = again[i]->lost;
		svc_free(again[i]);
	}
	svc_settled(set);
	if (set->stopped != NULL && set->n == 0) {
		services_cb *cb = set->stopped;
		set->stopped = NULL;
		cb(set->stopped_arg);
	}
}

uint16_t
services_port(const struct services *set, const char *name, int family)
{
	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		const struct map_record *m = svc_outer(e);
		if (!e->gone && !e->stopping && m != NULL && svc_open(e) &&
		    e->gateway.family == family && !strcmp(e->cfg.name, name))
			return m->external_port;
	}
	return 0;
}

uint16_t
services_port_kept(const struct services *set, const char *name, int family)
{
	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		const struct map_record *m = svc_outer(e);
		if (!e->gone && !e->stopping && m != NULL &&
		    e->gateway.family == family && !strcmp(e->cfg.name, name))
			return m->external_port;
	}
	return 0;
}

void
services_outside_first(struct services *set, bool first)
{
	set->outside_first = first;
}

bool
services_outside_said(struct services *set, const char *name, int family,
    uint16_t port, bool open)
{
	for (int i = 0; i < set->n; i++) {
		struct svc *e = set->list[i];
		const struct map_record *m = svc_outer(e);
		bool was;
		if (e->kind != WAYIN_HOLD || e->gone || m == NULL ||
		    e->gateway.family != family || strcmp(e->cfg.name, name) != 0 ||
		    m->external_port != port)
			continue;
		was = svc_open(e);
		e->checked = m->external;
		e->checked_port = port;
		e->checked_open = open;
		return svc_open(e) != was;
	}
	return false;
}

bool
services_outside_due(const struct services *set)
{
	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		if (e->kind == WAYIN_HOLD && !e->gone && !e->stopping &&
		    svc_kept(e) && set->holds_trusted && !svc_hold_checked(e))
			return true;
	}
	return false;
}

bool
services_open_on(const struct services *set, const struct netaddr *addr)
{
	for (int i = 0; i < set->n; i++) {
		const struct map_record *m = svc_outer(set->list[i]);
		if (m != NULL && !set->list[i]->stopping &&
		    svc_open(set->list[i]) && addr_equal(&m->external, addr))
			return true;
	}
	return false;
}

void
services_trust_holds(struct services *set, bool trusted)
{
	set->holds_trusted = trusted;
}

void
services_on_hold_moved(struct services *set, services_moved_cb *cb,
    void *arg)
{
	set->hold_moved = cb;
	set->hold_moved_arg = arg;
}

void
services_on_settle(struct services *set, services_settled_cb *cb, void *arg)
{
	set->settled = cb;
	set->settled_arg = arg;
}

/* One way in, for map add's reply: its layers, or why it failed. */
static json_t *
svc_way_json(const struct svc *e)
{
	struct map_record layers[WAYIN_MAX_LAYERS];
	int n = svc_kept(e) ? wayin_layers(e->way) : 0;

	for (int i = 0; i < n; i++)
		layers[i] = *wayin_layer(e->way, i);
	return ctlmsg_way(svc_way_name(e), layers, n, n ? NULL : e->error);
}

json_t *
services_ways_json(const struct services *set, const char *name)
{
	json_t *ways = json_array();

	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		if (e->gone || e->stopping || strcmp(e->cfg.name, name) != 0)
			continue;
		if (!svc_kept(e) && !e->failed) {
			json_decref(ways);
			return NULL;
		}
		json_array_append_new(ways, svc_way_json(e));
	}
	return ways;
}

void
services_on_change(struct services *set, services_changed_cb *cb, void *arg)
{
	set->changed = cb;
	set->changed_arg = arg;
}

void
services_remake(struct services *set, const char *name, int family)
{
	for (int i = 0; i < set->n; i++) {
		struct svc *e = set->list[i];
		if (e->gone || e->stopping || !svc_kept(e) ||
		    e->gateway.family != family || strcmp(e->cfg.name, name) != 0)
			continue;
		log_info("service %s: the router lists its %s, but it does not "
		    "answer from outside: deleting and making it again", name,
		    family == AF_INET6 ? "pinhole" : "mapping");
		svc_lost(0, "it does not answer from outside", e);
		e->remake = true;
		svc_stop(e, true);
	}
}

struct services *
services_new(struct event_base *base, struct store *store,
    struct timeline *timeline, int timeout_ms)
{
	struct services *set = calloc(1, sizeof(*set));

	if (set == NULL || (set->reap = event_new(base, -1, 0, svc_on_reap,
	    set)) == NULL) {
		free(set);
		return NULL;
	}
	set->base = base;
	set->store = store;
	set->timeline = timeline;
	set->timeout_ms = timeout_ms;
	return set;
}

static bool
svc_on_way(const struct svc *e, const struct svc_way *w)
{
	return addr_equal(&e->gateway, &w->gateway) &&
	    addr_equal(&e->spec.client, &w->client);
}

static bool
svc_same(const struct svc *e, const struct service_config *c,
    const struct svc_way *w)
{
	return e->cfg.protocol == c->protocol && e->cfg.port == c->port &&
	    e->cfg.external_port == c->external_port && svc_on_way(e, w) &&
	    e->kind == w->kind && addr_equal(&e->upstream, &w->upstream);
}

/* The ways of w: the IPv4 one (the relay, a hold or a mapping), then
 * the IPv6 pinhole. */
static int
svc_ways(const struct services_ways *w, struct svc_way out[2])
{
	int n = 0;

	if (w->relay.family)
		out[n++] = (struct svc_way){ .kind = WAYIN_RELAY,
		    .gateway = w->relay };
	else if (w->gateway.family && w->hold.family)
		out[n++] = (struct svc_way){ .kind = WAYIN_HOLD,
		    .gateway = w->gateway, .upstream = w->hold };
	else if (w->gateway.family)
		out[n++] = (struct svc_way){ .kind = WAYIN_MAPPING,
		    .gateway = w->gateway, .upstream = w->upstream };
	if (w->gateway6.family && w->host6.family)
		out[n++] = (struct svc_way){ .kind = WAYIN_PINHOLE,
		    .gateway = w->gateway6, .client = w->host6 };
	return n;
}

/* The same port with another external port, or through another router
 * in front: the old way must be gone before the new one is asked for
 * (NAT-PMP and PCP key a mapping by its internal port; asked at once, the
 * router hands back the old one and the removal then takes it). Returns
 * its index, or n. */
static int
svc_moved(struct services *set, int n, const bool *wanted,
    const struct service_config *c, const struct svc_way *w)
{
	for (int j = 0; j < n; j++) {
		struct svc *e = set->list[j];
		if (wanted[j] || e->stopping || e->cfg.protocol != c->protocol ||
		    e->cfg.port != c->port || !svc_on_way(e, w))
			continue;
		log_info("service %s: %s: removing, then mapping again", c->name,
		    e->kind != w->kind ? "another kind of way in" :
		    addr_equal(&e->upstream, &w->upstream) ? "another external "
		    "port" : "another router in front");
		e->remake = true;
		svc_stop(e, true);
		e->cfg = *c;		/* what reap starts */
		e->kind = w->kind;
		e->gateway = w->gateway;
		e->upstream = w->upstream;
		e->spec.external_port = svc_external_port(c, w->kind);
		e->spec.via = w->kind == WAYIN_RELAY ? VIA_RELAY : VIA_ANY;
		return j;
	}
	return n;
}

/* Is e's router one of ways (not one we left: that one is gone)? A
 * relay is, unless it stopped answering (the port ends by its lease). */
static bool
svc_router_ours(const struct svc *e, const struct svc_way *ways, int nways,
    const struct services_ways *w)
{
	if (e->kind == WAYIN_RELAY)
		return !addr_equal(&e->gateway, &w->relay_dead);
	for (int k = 0; k < nways; k++)
		if (addr_equal(&e->gateway, &ways[k].gateway))
			return true;
	return false;
}

void
services_apply(struct services *set, const struct config *cfg,
    const struct services_ways *w)
{
	const struct service_config *fresh[SVC_MAX];
	const struct svc_way *fresh_way[SVC_MAX];
	struct svc_way ways[2];
	bool wanted[SVC_MAX] = { false };
	int n = set->n, nfresh = 0, nways = svc_ways(w, ways);

	set->behind = w->behind;
	for (int k = 0; k < nways; k++)
		for (int i = 0; i < cfg->nservices; i++) {
			const struct service_config *c = &cfg->services[i];
			int j = 0;
			while (j < n && (wanted[j] || set->list[j]->stopping ||
			    !svc_same(set->list[j], c, &ways[k])))
				j++;
			if (j == n && (j = svc_moved(set, n, wanted, c,
			    &ways[k])) < n) {
				wanted[j] = true;	/* removed, then made anew */
				continue;
			}
			if (j == n) {
				fresh_way[nfresh] = &ways[k];
				fresh[nfresh++] = c;
				continue;
			}
			wanted[j] = true;
			memcpy(set->list[j]->cfg.name, c->name, sizeof(c->name));
		}
	for (int j = 0; j < n; j++)
		if (!wanted[j])
			svc_stop(set->list[j], svc_router_ours(set->list[j], ways,
			    nways, w));
	for (int i = 0; i < nfresh; i++)
		svc_start(set, fresh[i], fresh_way[i]);
}

/* --- what a dead process left and no service wants --- */

struct svc_wanted_ctx {
	const struct config *cfg;
	const struct services_ways *w;
};

/* A record of a layer (or of a pinhole for the host's address now) that
 * one of cfg's services keeps on one of the ways. */
static bool
svc_wanted(const struct map_record *m, void *arg)
{
	const struct svc_wanted_ctx *x = arg;
	const struct services_ways *w = x->w;
	uint16_t port = m->chain ? m->chain : m->internal_port;
	bool way = m->gateway.family == AF_INET6 ?
	    addr_equal(&m->gateway, &w->gateway6) &&
	    addr_equal(&m->external, &w->host6) :
	    addr_equal(&m->gateway, m->chain ? &w->upstream : &w->gateway);

	for (int i = 0; way && i < x->cfg->nservices; i++)
		if (x->cfg->services[i].protocol == m->protocol &&
		    x->cfg->services[i].port == port)
			return true;
	return false;
}

void
services_reclaim(struct services *set, const struct config *cfg,
    const struct services_ways *w, int family)
{
	const struct state *st = store_state(set->store);
	struct svc_wanted_ctx x = { cfg, w };
	struct reclaim **r = &set->reclaim[family == AF_INET6];

	reclaim_free(*r);	/* one at a time a family: the newest */
	*r = reclaim_start(set->base, st->maps, st->nmaps,
	    &(struct reclaim_params){ .family = family, .wanted = svc_wanted,
	    .save = svc_way_save, .owner = set, .timeout_ms = set->timeout_ms,
	    .arg = &x });
}

/* One layer, as status shows it. */
static json_t *
svc_layer_json(const struct map_record *m, int64_t now)
{
	char gw[ADDR_STRLEN], ext[ADDR_STRLEN];
	int64_t left = m->lifetime ? m->granted_at + m->lifetime - now : -1;

	return json_pack("{s:s, s:s, s:i, s:s, s:I}", "gateway",
	    addr_ntop(&m->gateway, gw, sizeof(gw)), "external_address",
	    addr_ntop(&m->external, ext, sizeof(ext)), "external_port",
	    m->external_port, "via", via_name(m->via), "lease_left",
	    (json_int_t)left);
}

/* A held port: no lease, but how fresh its keep-alive is, and whether
 * the carrier's last test says strangers get in. */
static void
svc_hold_json(const struct svc *e, const struct map_record *m, json_t *o,
    int64_t now)
{
	int64_t at = hold_answered_at(m->protocol, m->internal_port);

	json_object_del(o, "lease_left");
	json_object_set_new(o, "keepalive_age", json_integer(at ? now - at :
	    -1));
	json_object_set_new(o, "held_open", json_boolean(svc_open(e)));
}

/* The outer layer's fields (what strangers reach) and every layer. */
json_t *
services_json(const struct services *set, int64_t now)
{
	json_t *list = json_array();

	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		const struct map_record *m = svc_outer(e);
		json_t *o = json_pack("{s:s, s:s, s:i, s:b, s:s}", "service",
		    e->cfg.name, "protocol", proto_name(e->cfg.protocol), "port",
		    e->cfg.port, "pinhole", e->gateway.family == AF_INET6, "kind",
		    svc_way_name(e));

		if (m != NULL) {
			json_t *layers = json_array(), *outer = svc_layer_json(m,
			    now);
			json_object_update(o, outer);
			json_decref(outer);
			if (e->kind == WAYIN_HOLD)
				svc_hold_json(e, m, o, now);
			for (int l = 0; l < wayin_layers(e->way); l++)
				json_array_append_new(layers, svc_layer_json(
				    wayin_layer(e->way, l), now));
			json_object_set_new(o, "layers", layers);
		}
		json_object_set_new(o, "state", json_string(e->stopping ?
		    "removing" : m != NULL ? "mapped" : "mapping"));
		if (e->error[0])
			json_object_set_new(o, "error", json_string(e->error));
		json_array_append_new(list, o);
	}
	return list;
}

void
services_refresh(struct services *set, const char *why, services_cb *done,
    void *arg)
{
	for (int i = 0; i < set->n; i++) {
		struct svc *e = set->list[i];
		if (e->stopping)
			continue;
		if (svc_kept(e))
			wayin_refresh(e->way, why);
		else if (e->way == NULL || e->failed) {
			event_del(e->retry);
			svc_map(e);
		}
	}
	set->refreshed = done;
	set->refreshed_arg = arg;
	if (!svc_any_busy(set))
		event_active(set->reap, 0, 0);	/* calls done from the loop */
}

void
services_stop(struct services *set, bool remove, services_cb *done, void *arg)
{
	set->stopped = done;
	set->stopped_arg = arg;
	for (int i = 0; i < set->n; i++)
		svc_stop(set->list[i], remove);
	event_active(set->reap, 0, 0);
}

void
services_free(struct services *set)
{
	if (set == NULL)
		return;
	for (int i = 0; i < set->n; i++)
		svc_free(set->list[i]);
	reclaim_free(set->reclaim[0]);
	reclaim_free(set->reclaim[1]);
	event_free(set->reap);
	free(set);
}
