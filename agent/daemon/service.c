/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each service is first mapped with one operation (taking over the record
 * a dead agent left: same external port, same PCP nonce), then handed to
 * a mapkeep that renews it, watches the router's epoch and maps it again
 * after a reboot. A failed first mapping is retried with back-off.
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

#include "agent/daemon/store.h"
#include "agent/daemon/timeline.h"
#include "agent/config/state.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/proc.h"
#include "nat/mapkeep.h"
#include "lib/names.h"

#define SVC_LIFETIME	7200	/* asked for; renewed at half */
#define SVC_CHECK_S	30	/* UPnP: how often a mapping is looked up */
#define SVC_RETRY_MIN	1000	/* ms, doubling to SVC_RETRY_MAX */
#define SVC_RETRY_MAX	(300 * 1000)
#define SVC_MAX		(2 * CONFIG_MAX_SERVICES)

struct services;
struct svc_orphan;

struct svc {
	struct services *set;
	struct service_config cfg;
	struct netaddr gateway;
	struct mapping_spec spec;
	struct mapping_op *op, *retired;
	struct mapkeep *keep;
	struct event *retry;
	int retry_ms;
	char error[REASON_LEN];
	bool stopping, gone, remake;
	bool lost;		/* lost from the router: restored is news */
	bool intending;		/* its pending record is being written */
	bool freed;		/* freed meanwhile: the write's callback frees */
};

struct services {
	struct event_base *base;
	struct store *store;
	struct timeline *timeline;
	int timeout_ms;
	struct svc *list[SVC_MAX];
	int n;
	struct event *reap;
	struct svc_orphan *orphans[SVC_MAX];
	int norphans;
	services_cb *refreshed, *stopped;
	void *refreshed_arg, *stopped_arg;
	services_changed_cb *changed;
	void *changed_arg;
};

/* One way a service is kept open: a gateway, and for a pinhole the
 * address it opens (family 0 for a mapping). */
struct svc_way {
	struct netaddr gateway, client;
};

/* The agent's store writes it; nothing here waits for the file. */
static void
svc_save(struct services *set, store_change_fn *change, void *arg)
{
	store_change(set->store, change, arg, NULL, NULL);
}

static void
svc_finished(struct svc *e)
{
	e->gone = true;
	event_active(e->set->reap, 0, 0);
}

static bool
svc_any_busy(const struct services *set)
{
	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		if (!e->gone && !e->stopping &&
		    (e->op != NULL || (e->keep && mapkeep_busy(e->keep))))
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
svc_kept(int status, void *arg)
{
	(void)status;
	svc_finished(arg);
}

/* "5.0.1.2:8080" or "[2a05:5:1::10]:8080" for the timeline. */
static const char *
svc_way_text(const struct svc *e, char *buf, size_t len)
{
	const struct map_record *m = e->keep ? mapkeep_layer(e->keep, 0) : NULL;

	if (m == NULL || m->external.family == 0)
		snprintf(buf, len, "%u/%s", e->cfg.port, proto_name(e->cfg.protocol));
	else
		addr_ntop_port(&m->external, m->external_port, buf, len);
	return buf;
}

static const char *
svc_way_name(const struct svc *e)
{
	return e->gateway.family == AF_INET6 ? "pinhole" : "mapping";
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

	(void)layer;
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
svc_on_save(enum mapkeep_change what, const struct map_record *m, void *arg)
{
	struct svc *e = arg;

	svc_save(e->set, what == MAPKEEP_STORE ? state_store : state_drop,
	    (void *)m);
}

static void
svc_keep(struct svc *e, const struct mapping_grant *g)
{
	struct map_record rec;
	char ext[ADDR_PORT_STRLEN];

	maprec_of_grant(g, &e->spec, 0, &rec);
	rec.owner_pid = getpid();
	rec.owner_start = proc_start_time(rec.owner_pid);
	svc_save(e->set, state_store, &rec);
	e->spec.has_nonce = false;
	e->keep = mapkeep_start(e->set->base, svc_on_save,
	    e->set->timeout_ms, SVC_CHECK_S, &rec, &e->spec, 1, svc_kept, e);
	if (e->keep == NULL) {
		svc_failed(e, "out of memory");
		return;
	}
	mapkeep_on_grant(e->keep, svc_regranted);
	mapkeep_on_lost(e->keep, svc_lost);
	e->error[0] = '\0';
	e->retry_ms = SVC_RETRY_MIN;
	log_info("service %s: %u/%s -> %s via %s%s", e->cfg.name, e->cfg.port,
	    proto_name(e->cfg.protocol), addr_ntop_port(&g->external,
	    g->external_port, ext, sizeof(ext)), via_name(g->via),
	    e->gateway.family == AF_INET6 ? " (a pinhole)" : "");
	svc_restored(e);
	if (e->stopping)	/* removed while its first mapping was made */
		mapkeep_stop(e->keep);
}

static void
svc_granted(const struct mapping_grant *g, void *arg)
{
	struct svc *e = arg;

	mapping_free(e->retired);
	e->retired = e->op;
	e->op = NULL;
	if (g->ok)
		svc_keep(e, g);
	else if (e->stopping)
		svc_finished(e);
	else
		svc_failed(e, g->error);
	svc_settled(e->set);
	if (g->ok && !e->stopping && e->set->changed != NULL)
		e->set->changed(e->cfg.name, e->gateway.family,
		    e->set->changed_arg);
}

/* Take over what a dead agent (or an earlier run of this one) recorded;
 * false if nothing is recorded. */
static bool
svc_adopt(struct svc *e)
{
	const struct map_record *m = state_find_const(store_state(e->set->store),
	    e->cfg.protocol, e->cfg.port, &e->gateway);

	if (m != NULL && e->gateway.family == AF_INET6 &&
	    !addr_equal(&m->external, &e->spec.client))
		return false;	/* a pinhole for an address we had before */
	if (m == NULL || m->chain != 0)
		return m != NULL;
	e->spec.external_port = m->external_port;
	e->spec.has_nonce = m->has_nonce;
	e->spec.renew = m->via != VIA_ANY;	/* granted, not just intended */
	e->spec.pinhole_id = m->pinhole_id;
	memcpy(e->spec.nonce, m->nonce, sizeof(e->spec.nonce));
	return true;
}

static void
svc_ask(struct svc *e)
{
	if (e->stopping || e->op != NULL)
		return;
	e->op = mapping_start(e->set->base, &e->gateway, &e->spec,
	    e->set->timeout_ms, svc_granted, e);
	if (e->op == NULL)
		svc_failed(e, "cannot start a mapping");
}

static void
svc_intended(int rc, void *arg)
{
	struct svc *e = arg;

	e->intending = false;
	if (e->freed) {
		free(e);
		return;
	}
	if (rc < 0)
		svc_failed(e, "cannot record the mapping before asking for it");
	else
		svc_ask(e);
}

/* The intent first: whatever happens once the request has left (kill -9),
 * the next start finds the mapping in the state and removes or keeps it.
 * The request leaves when the file holds the pending record. */
static void
svc_map(struct svc *e)
{
	struct map_record rec;

	if (e->stopping || e->op != NULL || e->intending)
		return;
	if (svc_adopt(e)) {
		svc_ask(e);
		return;
	}
	if (mapping_choose_nonce(&e->spec) < 0) {
		svc_failed(e, "no random numbers for the PCP nonce");
		return;
	}
	maprec_pending(&e->spec, &e->gateway, 0, &rec);
	e->intending = true;
	store_change(e->set->store, state_store_new, &rec, svc_intended, e);
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
	e->gateway = w->gateway;
	e->spec = (struct mapping_spec){ .protocol = c->protocol,
	    .internal_port = c->port, .lifetime = SVC_LIFETIME,
	    .external_port = c->external_port ? c->external_port : c->port,
	    .client = w->client };
	e->retry_ms = SVC_RETRY_MIN;
	set->list[set->n++] = e;
	svc_map(e);
	return e;
}

/* Stop keeping e; remove its mapping from the router, or leave it. */
static void
svc_stop(struct svc *e, bool remove)
{
	const struct map_record *rec;

	if (e->stopping)
		return;
	e->stopping = true;
	event_del(e->retry);
	if (e->op != NULL)
		return;		/* svc_granted finishes it */
	if (e->keep == NULL) {
		svc_finished(e);
		return;
	}
	if (remove) {
		log_info("service %s: removing %u/%s", e->cfg.name, e->cfg.port,
		    proto_name(e->cfg.protocol));
		mapkeep_stop(e->keep);
		return;
	}
	if ((rec = mapkeep_layer(e->keep, 0)) != NULL)
		svc_save(e->set, state_disown, (void *)rec);
	svc_finished(e);
}

static void
svc_free(struct svc *e)
{
	mapkeep_free(e->keep);
	mapping_free(e->op);
	mapping_free(e->retired);
	loop_event_free(&e->retry);
	e->keep = NULL, e->op = e->retired = NULL;
	if (e->intending)
		e->freed = true;	/* svc_intended frees it */
	else
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
		struct svc_way w = { again[i]->gateway, again[i]->spec.client };
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
		const struct map_record *m = e->keep ? mapkeep_layer(e->keep, 0) :
		    NULL;
		if (!e->gone && !e->stopping && m != NULL &&
		    e->gateway.family == family && !strcmp(e->cfg.name, name))
			return m->external_port;
	}
	return 0;
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
		if (e->gone || e->stopping || e->keep == NULL ||
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
	    e->cfg.external_port == c->external_port && svc_on_way(e, w);
}

/* The ways of w: the IPv4 mapping, then the IPv6 pinhole. */
static int
svc_ways(const struct services_ways *w, struct svc_way out[2])
{
	int n = 0;

	if (w->gateway.family)
		out[n++] = (struct svc_way){ .gateway = w->gateway };
	if (w->gateway6.family && w->host6.family)
		out[n++] = (struct svc_way){ w->gateway6, w->host6 };
	return n;
}

/* The same port with another external port: the old mapping must be gone
 * before the new one is asked for (NAT-PMP and PCP key a mapping by its
 * internal port; asked at once, the router hands back the old one and
 * the removal then takes it). Returns its index, or n. */
static int
svc_moved(struct services *set, int n, const bool *wanted,
    const struct service_config *c, const struct svc_way *w)
{
	for (int j = 0; j < n; j++) {
		struct svc *e = set->list[j];
		if (wanted[j] || e->stopping || e->cfg.protocol != c->protocol ||
		    e->cfg.port != c->port || !svc_on_way(e, w))
			continue;
		log_info("service %s: external port %u -> %u: removing, then "
		    "mapping again", c->name, e->cfg.external_port ?
		    e->cfg.external_port : e->cfg.port, c->external_port ?
		    c->external_port : c->port);
		e->remake = true;
		svc_stop(e, true);
		e->cfg = *c;		/* what reap starts */
		return j;
	}
	return n;
}

/* Is e's router one of ways (not one we left: that one is gone)? */
static bool
svc_router_ours(const struct svc *e, const struct svc_way *ways, int nways)
{
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
			    nways));
	for (int i = 0; i < nfresh; i++)
		svc_start(set, fresh[i], fresh_way[i]);
}

/* --- mappings that a dead process left and no service wants --- */

struct svc_orphan {
	struct services *set;
	struct map_record rec;
	struct mapping_op *op;
};

static void
svc_orphan_removed(const struct mapping_grant *g, void *arg)
{
	struct svc_orphan *o = arg;

	if (g->ok) {
		log_info("removed %u/%s, left by process %d", o->rec.internal_port,
		    proto_name(o->rec.protocol), o->rec.owner_pid);
		svc_save(o->set, state_drop, &o->rec);
	} else {
		log_warnx("cannot remove %u/%s, left by process %d: %s",
		    o->rec.internal_port, proto_name(o->rec.protocol),
		    o->rec.owner_pid, g->error);
	}
}

/* A record of a mapping (or of a pinhole for the host's address now)
 * that one of cfg's services keeps on one of the ways. */
static bool
svc_wanted(const struct config *cfg, const struct map_record *m,
    const struct services_ways *w)
{
	bool way = m->gateway.family == AF_INET6 ?
	    addr_equal(&m->gateway, &w->gateway6) &&
	    addr_equal(&m->external, &w->host6) :
	    addr_equal(&m->gateway, &w->gateway);

	for (int i = 0; way && i < cfg->nservices; i++)
		if (m->chain == 0 && cfg->services[i].protocol == m->protocol &&
		    cfg->services[i].port == m->internal_port)
			return true;
	return false;
}

void
services_reclaim(struct services *set, const struct config *cfg,
    const struct services_ways *w, int family)
{
	const struct state *st = store_state(set->store);

	for (int i = 0; i < st->nmaps && set->norphans < SVC_MAX; i++) {
		const struct map_record *m = &st->maps[i];
		struct svc_orphan *o;
		struct mapping_spec spec;
		if (m->gateway.family != family || m->owner_pid == 0 ||
		    maprec_owner_alive(m) || svc_wanted(cfg, m, w))
			continue;
		if ((o = calloc(1, sizeof(*o))) == NULL)
			break;
		*o = (struct svc_orphan){ .set = set, .rec = *m };
		maprec_spec(m, &spec);
		spec.remove = true;
		o->op = mapping_start(set->base, &m->gateway, &spec,
		    set->timeout_ms, svc_orphan_removed, o);
		set->orphans[set->norphans++] = o;
	}
}

json_t *
services_json(const struct services *set, int64_t now)
{
	json_t *list = json_array();

	for (int i = 0; i < set->n; i++) {
		const struct svc *e = set->list[i];
		const struct map_record *m = e->keep ?
		    mapkeep_layer(e->keep, 0) : NULL;
		json_t *o = json_pack("{s:s, s:s, s:i, s:b}", "service",
		    e->cfg.name, "protocol", proto_name(e->cfg.protocol), "port",
		    e->cfg.port, "pinhole", e->gateway.family == AF_INET6);
		char ext[ADDR_STRLEN];

		if (m != NULL) {
			int64_t left = m->lifetime ? m->granted_at + m->lifetime -
			    now : -1;
			json_object_set_new(o, "external_address", json_string(
			    addr_ntop(&m->external, ext, sizeof(ext))));
			json_object_set_new(o, "external_port",
			    json_integer(m->external_port));
			json_object_set_new(o, "via", json_string(via_name(m->via)));
			json_object_set_new(o, "lease_left", json_integer(left));
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
		if (e->keep != NULL)
			mapkeep_refresh(e->keep, why);
		else if (e->op == NULL) {
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
	for (int i = 0; i < set->norphans; i++) {
		mapping_free(set->orphans[i]->op);
		free(set->orphans[i]);
	}
	event_free(set->reap);
	free(set);
}
