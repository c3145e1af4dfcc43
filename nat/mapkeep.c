/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each kept layer renews at half its lease and is watched: every second
 * its gateway's epoch is read (NAT-PMP and PCP, RFC 6886 section 3.6,
 * RFC 6887 section 8.5); an epoch that went back means a reboot, and the
 * layer is mapped again at once. A router can also drop its rules without
 * a reboot (a firewall reload) while it still lists the mapping: a PCP or
 * NAT-PMP mapping is asked for again every 30 s (one datagram; the router
 * writes its rules again), quietly unless something changed. A finished operation is never freed in
 * its own callback: it is retired and freed at the next retirement.
 */
#include "nat/mapkeep.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "nat/gwprobe.h"
#include "nat/natpmp.h"
#include "nat/upnp.h"

#define WATCH_MS	1000	/* how often each gateway's epoch is read */
#define CONFIRM_S	30	/* how often a PCP/NAT-PMP mapping is asked
				 * for again, whatever its lease */
#define RETRY_MS	250	/* after a failed re-map: a router may answer
				 * NAT-PMP before its HTTP side is up */

struct mapkeep;

struct keep_layer {
	struct mapkeep *k;
	int index;
	struct map_record rec;
	struct mapping_spec spec;
	uint32_t epoch;			/* last seen, and when */
	struct timespec epoch_at;
	struct mapping_op *op, *retired;
	struct gwprobe *probe;
	struct upnpprobe *check;
	struct event *renew, *retry, *checker;
	bool remapping, removed;
	bool confirming;		/* a quiet renewal, every CONFIRM_S */
};

struct mapkeep {
	struct event_base *base;
	mapkeep_save_cb *save;
	int timeout_ms, n, removing;
	int check_s;	/* how often a UPnP mapping is looked up: a permanent
			 * lease (725) is verified instead of renewed, and a
			 * UPnP-only router has no epoch */
	struct keep_layer layer[MAPKEEP_MAX_LAYERS];
	struct event *watch;
	bool stopping;
	mapkeep_done_cb *done;
	mapkeep_grant_cb *granted;
	mapkeep_lost_cb *lost;
	void *arg;
};

static void
keep_save(struct keep_layer *l, enum mapkeep_change what)
{
	l->k->save(what, &l->rec, l->k->arg);
}

static void
keep_retire(struct keep_layer *l)
{
	mapping_free(l->retired);
	l->retired = l->op;
	l->op = NULL;
}

static void
keep_schedule_renew(struct keep_layer *l)
{
	int64_t s = l->rec.lifetime / 2;

	if (l->rec.via != VIA_UPNP && s > CONFIRM_S)
		s = CONFIRM_S;
	if (l->rec.lifetime > 0)	/* permanent leases are only watched */
		loop_after(l->renew, s * 1000);
}

/* Worth a line in the log and a write of the state: not a confirmation
 * that changed nothing before half the lease. */
static bool
keep_news(const struct keep_layer *l, const struct map_record *old)
{
	return !l->confirming || old->external_port != l->rec.external_port ||
	    old->via != l->rec.via || !addr_equal(&old->external, &l->rec.external) ||
	    l->rec.granted_at - old->granted_at >= old->lifetime / 2;
}

/* A grant has an epoch only over NAT-PMP and PCP; for UPnP, 0 is a lower
 * bound of the router's uptime: one that later reads less than the
 * mapping's age has rebooted since. */
static void
keep_epoch_from(struct keep_layer *l, const struct mapping_grant *g)
{
	l->epoch = g->via == VIA_UPNP ? 0 : g->epoch;
	clock_gettime(CLOCK_MONOTONIC, &l->epoch_at);
}

static void keep_remap(struct keep_layer *l, const char *why);

/* Gone from the router: its owner hears of it (also when a request is
 * already on its way, after an announcement), then it is made again. */
static void
keep_lost(struct keep_layer *l, const char *why)
{
	if (l->k->stopping)
		return;
	if (l->k->lost != NULL)
		l->k->lost(l->index, why, l->k->arg);
	keep_remap(l, why);
}

/* A grant's epoch against the last one seen: a router that restarted
 * since lost the mapping, even if a refresh made it again before the
 * watch noticed (RFC 6886 section 3.6, RFC 6887 section 8.5). */
static bool
keep_grant_after_reboot(const struct keep_layer *l,
    const struct mapping_grant *g)
{
	struct timespec now;
	uint64_t elapsed;

	if (g->via == VIA_UPNP || l->rec.via == VIA_UPNP)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (uint64_t)clock_ms_between(&l->epoch_at, &now);
	return g->via == VIA_PCP ? pcp_epoch_lost(l->epoch, g->epoch, elapsed) :
	    natpmp_epoch_lost(l->epoch, g->epoch, elapsed);
}

/* A UPnP mapping is looked up now and then (GetSpecificPortMappingEntry):
 * a router may drop it and say nothing. Not a pinhole: IGDv2 has no
 * lookup by port, and its lease is short and renewed. */
static bool
keep_checks(const struct map_record *r)
{
	return r->via == VIA_UPNP && r->gateway.family == AF_INET;
}

static void
keep_remapped(const struct mapping_grant *g, void *arg)
{
	struct keep_layer *l = arg;
	struct map_record old = l->rec;
	bool news;

	keep_retire(l);
	l->remapping = false;
	if (!g->ok) {
		l->confirming = false;
		log_warnx("port %u: cannot map again: %s", l->rec.internal_port,
		    g->error);
		loop_after(l->retry, RETRY_MS);
		if (l->k->granted)
			l->k->granted(l->index, false, l->k->arg);
		return;
	}
	maprec_of_grant(g, &l->spec, old.chain, &l->rec);
	l->rec.owner_pid = old.owner_pid;
	l->rec.owner_start = old.owner_start;
	if ((news = keep_news(l, &old))) {
		keep_save(l, MAPKEEP_STORE);
		log_info("port %u -> %u again, via %s", l->rec.internal_port,
		    g->external_port, via_name(g->via));
	} else {
		l->rec.granted_at = old.granted_at;	/* as the file has it */
		log_debug("port %u -> %u confirmed, via %s", l->rec.internal_port,
		    g->external_port, via_name(g->via));
	}
	l->confirming = false;
	if (keep_grant_after_reboot(l, g) && l->k->lost != NULL)
		l->k->lost(l->index, "the router lost its mappings (its epoch "
		    "went back)", l->k->arg);
	keep_epoch_from(l, g);
	keep_schedule_renew(l);
	if (keep_checks(&l->rec) && !event_pending(l->checker, EV_TIMEOUT, NULL))
		loop_after(l->checker, l->k->check_s * 1000);
	if (l->k->granted && news)
		l->k->granted(l->index, true, l->k->arg);
	/* The upstream layer points at our external port: follow it. */
	if (l->index == 0 && l->k->n > 1 && old.external_port != g->external_port) {
		struct keep_layer *up = &l->k->layer[1];
		up->spec.internal_port = g->external_port;
		keep_remap(up, "the home router gave another port");
	}
}

static void
keep_remap(struct keep_layer *l, const char *why)
{
	struct mapping_spec s = l->spec;

	if (l->remapping || l->k->stopping)
		return;
	if (!l->confirming)
		log_info("port %u: %s: mapping again", l->rec.internal_port, why);
	s.has_nonce = l->rec.has_nonce;
	memcpy(s.nonce, l->rec.nonce, sizeof(s.nonce));
	s.renew = true;
	s.pinhole_id = l->rec.pinhole_id;	/* IGDv2: UpdatePinhole */
	l->op = mapping_start(l->k->base, &l->rec.gateway, &s, l->k->timeout_ms,
	    keep_remapped, l);
	l->remapping = l->op != NULL;
}

static void
keep_on_renew(evutil_socket_t fd, short what, void *arg)
{
	struct keep_layer *l = arg;
	struct timespec now;

	(void)fd, (void)what;
	clock_gettime(CLOCK_REALTIME, &now);
	l->confirming = now.tv_sec - l->rec.granted_at < l->rec.lifetime / 2;
	keep_remap(l, "half the lease has passed");
}

static void
keep_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	keep_remap(arg, "the last attempt failed");
}

static void
keep_watched(const struct proto_finding *natpmp,
    const struct proto_finding *pcp, void *arg)
{
	struct keep_layer *l = arg;
	bool pcp_rule = l->rec.via == VIA_PCP;
	const struct proto_finding *f = pcp_rule ||
	    (l->rec.via == VIA_UPNP && !natpmp->answered) ? pcp : natpmp;
	struct timespec now;
	uint64_t elapsed;
	bool lost;

	if (!f->answered)
		return;		/* the gateway is away: wait for it */
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (uint64_t)clock_ms_between(&l->epoch_at, &now);
	lost = pcp_rule ? pcp_epoch_lost(l->epoch, f->epoch, elapsed) :
	    natpmp_epoch_lost(l->epoch, f->epoch, elapsed);
	l->epoch = f->epoch;
	l->epoch_at = now;
	if (lost)
		keep_lost(l, "the router lost its mappings (its epoch went back)");
}

static void
keep_on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct mapkeep *k = arg;

	(void)fd, (void)what;
	for (int i = 0; i < k->n; i++) {
		struct keep_layer *l = &k->layer[i];
		gwprobe_free(l->probe);		/* its callback has returned */
		l->probe = gwprobe_start(k->base, &l->rec.gateway,
		    WATCH_MS * 4 / 5, false, keep_watched, l);
	}
}

static void
keep_checked(const struct upnp_result *r, void *arg)
{
	struct keep_layer *l = arg;

	if (r->finding.answered && !r->done)	/* the router is up, the rule gone */
		keep_lost(l, r->map_error[0] ? r->map_error : "mapping gone");
}

/* GetSpecificPortMappingEntry: is the mapping still there and ours? */
static void
keep_on_check(evutil_socket_t fd, short what, void *arg)
{
	struct keep_layer *l = arg;
	struct upnp_map_args a = { .op = UPNP_OP_CHECK, .protocol = l->rec.protocol,
	    .internal_port = l->rec.internal_port,
	    .external_port = l->rec.external_port };

	(void)fd, (void)what;
	if (l->remapping || l->k->stopping)
		return;
	netif_source_for(&l->rec.gateway, &a.internal_client);
	if (l->spec.client.family)
		a.internal_client = l->spec.client;
	upnpprobe_free(l->check);	/* its callback has returned */
	l->check = upnpprobe_start(l->k->base, &l->rec.gateway, !l->rec.chain,
	    l->k->timeout_ms, &a, keep_checked, l);
}

static void
keep_removed(const struct mapping_grant *g, void *arg)
{
	struct keep_layer *l = arg;
	struct mapkeep *k = l->k;

	keep_retire(l);
	if (!g->ok)
		log_warnx("cannot remove port %u: %s", l->rec.internal_port,
		    g->error);
	keep_save(l, MAPKEEP_DROP);
	if (--k->removing == 0)
		k->done(0, k->arg);
}

void
mapkeep_stop(struct mapkeep *k)
{
	if (k->stopping)
		return;
	k->stopping = true;
	event_del(k->watch);
	for (int i = 0; i < k->n; i++) {
		struct keep_layer *l = &k->layer[i];
		struct mapping_spec s = l->spec;
		event_del(l->renew);
		event_del(l->retry);
		event_del(l->checker);
		mapping_free(l->op);	/* a renewal in flight, if any */
		s.remove = true;
		s.has_nonce = l->rec.has_nonce;
		memcpy(s.nonce, l->rec.nonce, sizeof(s.nonce));
		s.external_port = l->rec.external_port;
		s.via = l->rec.via;
		s.pinhole_id = l->rec.pinhole_id;
		l->op = mapping_start(k->base, &l->rec.gateway, &s, k->timeout_ms,
		    keep_removed, l);
		k->removing += l->op != NULL;
	}
	if (k->removing == 0)
		k->done(1, k->arg);
}

/* Each layer's renew, retry and check events, and the watch tick; -1 if
 * one could not be made (mapkeep_free frees those that were). */
static int
keep_events(struct mapkeep *k)
{
	for (int i = 0; i < k->n; i++) {
		struct keep_layer *l = &k->layer[i];
		if ((l->renew = evtimer_new(k->base, keep_on_renew, l)) == NULL ||
		    (l->retry = evtimer_new(k->base, keep_on_retry, l)) == NULL ||
		    (l->checker = event_new(k->base, -1, EV_PERSIST,
		    keep_on_check, l)) == NULL)
			return -1;
	}
	k->watch = event_new(k->base, -1, EV_PERSIST, keep_on_watch, k);
	return k->watch == NULL ? -1 : 0;
}

struct mapkeep *
mapkeep_start(struct event_base *base, const struct mapkeep_params *p)
{
	struct mapkeep *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	*k = (struct mapkeep){ .base = base, .save = p->save,
	    .timeout_ms = p->timeout_ms, .check_s = p->check_s, .n = p->n,
	    .done = p->done, .granted = p->granted, .lost = p->lost,
	    .arg = p->arg };
	for (int i = 0; i < p->n; i++)
		k->layer[i] = (struct keep_layer){ .k = k, .index = i,
		    .rec = p->recs[i], .spec = p->specs[i] };
	if (keep_events(k) < 0) {
		log_warnx("out of memory for the mapping's timers");
		mapkeep_free(k);
		return NULL;
	}
	for (int i = 0; i < p->n; i++) {
		struct keep_layer *l = &k->layer[i];
		struct mapping_grant g = { .via = p->recs[i].via,
		    .epoch = p->recs[i].epoch };
		if (keep_checks(&p->recs[i]))
			loop_after(l->checker, p->check_s * 1000);
		keep_epoch_from(l, &g);
		keep_schedule_renew(l);
	}
	loop_after(k->watch, WATCH_MS);
	return k;
}

void
mapkeep_refresh(struct mapkeep *k, const char *why)
{
	for (int i = 0; i < k->n; i++)
		keep_remap(&k->layer[i], why);
}

const struct map_record *
mapkeep_layer(const struct mapkeep *k, int i)
{
	return i < k->n ? &k->layer[i].rec : NULL;
}

bool
mapkeep_busy(const struct mapkeep *k)
{
	for (int i = 0; i < k->n; i++)
		if (k->layer[i].remapping)
			return true;
	return false;
}

void
mapkeep_free(struct mapkeep *k)
{
	if (k == NULL)
		return;
	for (int i = 0; i < k->n; i++) {
		struct keep_layer *l = &k->layer[i];
		mapping_free(l->op);
		mapping_free(l->retired);
		gwprobe_free(l->probe);
		upnpprobe_free(l->check);
		loop_event_free(&l->renew);
		loop_event_free(&l->retry);
		loop_event_free(&l->checker);
	}
	loop_event_free(&k->watch);
	free(k);
}
