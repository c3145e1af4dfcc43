/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A check: the probes (STUN, the gateways, UPnP; no RFC 5780 tests, they
 * wait) give the verdict and the true public address; a new address or a
 * router event has every service mapped again; then the records that are
 * due go to the DNS helper (publish.c).
 * Nothing here blocks: each step is a callback of the one before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "agent/config/state.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/hooks.h"
#include "agent/daemon/service.h"
#include "agent/diagnosis/diagnosis.h"
#include "agent/diagnosis/report.h"
#include "ddns/ddns.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "probes/echo.h"

#define CHECK_TIMEOUT_MS	2000

/* The next STUN check: interval seconds, give or take a tenth. */
static void
check_schedule(struct agent *a)
{
	int64_t ms = (int64_t)a->cfg->interval * 1000;

	ms += (random() % (ms / 5 + 1)) - ms / 10;
	loop_after(a->interval, ms);
}

/* --- the check --- */

/* From the loop, not from inside the last check's callbacks. */
static void
check_on_pending(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd, (void)what;
	if (!a->pending || a->checking)
		return;
	a->pending = false;
	agent_check(a, a->pending_why, a->pending_flags);
}

/* The probes' sockets close as soon as the check is done with them. */
static void
check_on_release(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd, (void)what;
	if (!a->checking) {
		diagnosis_free(a->diag);
		a->diag = NULL;
	}
}

/* After the check in progress; of a quick one and a full one, the full. */
static void
check_later(struct agent *a, const char *why, int flags)
{
	if (!a->pending) {
		snprintf(a->pending_why, sizeof(a->pending_why), "%s", why);
		a->pending_flags = flags;
	} else if ((a->pending_flags ^ flags) & CHECK_QUICK) {
		a->pending_flags = (a->pending_flags | flags) & ~CHECK_QUICK;
	} else {
		a->pending_flags |= flags;
	}
	a->pending = true;
}

static void
check_finish(struct agent *a)
{
	struct timeval now = { 0, 0 };

	event_base_once(a->base, -1, EV_TIMEOUT, check_on_release, a, &now);
	a->checking = false;
	a->checked_at = (int64_t)time(NULL);
	a->count.checks++;
	snprintf(a->checked_why, sizeof(a->checked_why), "%s", a->why);
	agent_ddns(a);
	if (!a->pending)	/* a check to follow may still use it */
		publish_idle(a);
	check_schedule(a);
	if (a->pending)
		event_base_once(a->base, -1, EV_TIMEOUT, check_on_pending, a, &now);
}

static void
check_mapped(void *arg)
{
	struct agent *a = arg;

	log_debug("mappings answered %lld ms after: %s",
	    (long long)clock_ms_since(&a->cause_at), a->why);
	check_finish(a);
}

/* The timeline's view of a check: a new topology, a new public IPv4
 * address, or no way out at all (once, when it starts). */
static void
check_events(struct agent *a, const struct verdict *v, const char *was,
    const char *now)
{
	const char *old = a->have_verdict ? verdict_name(a->kind) : "";

	if (a->have_verdict && a->kind != v->kind)
		timeline_add(a->timeline, HAP_TOPOLOGY_CHANGED, "", old,
		    verdict_name(v->kind), "topology %s -> %s", old,
		    verdict_name(v->kind));
	if (a->have_verdict && !addr_equal(&a->public_v4, &v->public_v4))
		a->count.last_change = (int64_t)time(NULL);
	if (a->have_verdict && !addr_equal(&a->public_v4, &v->public_v4))
		timeline_add(a->timeline, HAP_ADDRESS_CHANGED, "ipv4", was, now,
		    "public IPv4 %s -> %s", was, now);
	if (v->kind == V_NO_INTERNET && (!a->have_verdict ||
	    a->kind != V_NO_INTERNET))
		timeline_add(a->timeline, HAP_CHECK_FAILED, "", NULL, NULL,
		    "no outside observer answered: no way out to the internet");
}

/* Say what changed, in one line a person wants to see. (IPv6: addr6.c.) */
static bool
check_note(struct agent *a, const struct verdict *v)
{
	char was[ADDR_STRLEN] = "none", now[ADDR_STRLEN] = "none";
	bool changed = !addr_equal(&a->public_v4, &v->public_v4);

	if (a->public_v4.family)
		addr_ntop(&a->public_v4, was, sizeof(was));
	if (v->public_v4.family)
		addr_ntop(&v->public_v4, now, sizeof(now));
	if (!a->have_verdict || a->kind != v->kind)
		log_info("topology: %s; public IPv4 %s", verdict_name(v->kind), now);
	else if (changed)
		log_info("public IPv4 %s -> %s (%s)", was, now, a->why);
	check_events(a, v, was, now);
	return changed && a->have_verdict;
}

/* The house as `diagnose --json` has it (verdict, path, evidence,
 * advice), decided once a check: every status and page poll shows it.
 * Kept as text: a third of the tree's memory. */
static void
check_house_json(struct agent *a)
{
	struct verdict v;
	json_t *j;

	verdict_decide(a->house, &v);
	j = report_json_summary(a->house, &v);
	free(a->house_json);
	a->house_json = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
}

/* The house the status page draws: a full check's evidence; a quick one
 * (no UPnP, no hops) renews the gateways' NAT-PMP and PCP answers and the
 * observations, and keeps the rest. */
static void
check_keep_house(struct agent *a, const struct evidence *ev, bool quick)
{
	struct evidence *h = a->house;

	if (!quick) {
		if (h == NULL && (h = a->house = malloc(sizeof(*h))) == NULL)
			return;
		evidence_copy(h, ev);
		check_house_json(a);
		return;
	}
	if (h == NULL)
		return;
	for (int i = 0; i < ev->ngateways; i++) {
		struct gateway *g = evidence_gateway(h, &ev->gateways[i].address,
		    ev->gateways[i].role);
		if (g != NULL) {
			g->natpmp = ev->gateways[i].natpmp;
			g->pcp = ev->gateways[i].pcp;
		}
	}
	memcpy(h->obs, ev->obs, sizeof(ev->obs[0]) * (size_t)ev->nobs);
	h->nobs = ev->nobs;
	check_house_json(a);
}

/* A router in front of the home router that maps too (a cascade, or the
 * carrier's NAT with PCP, also where its server is found by DHCP or the
 * anycast address): every service is mapped through both. Only a
 * full check looks beyond the home router. */
static void
check_upstream(struct agent *a, const struct evidence *ev)
{
	const struct gateway *up = evidence_front_mapper(ev);
	struct netaddr none = { 0 };
	const struct netaddr *want = up != NULL ? &up->address : &none;
	char text[ADDR_STRLEN];

	if (addr_equal(&a->ways.upstream, want))
		return;
	if (want->family)
		log_info("the router in front, %s, maps too: services are mapped "
		    "through both", addr_ntop(want, text, sizeof(text)));
	else
		log_info("no router in front maps any more: services are mapped "
		    "on the home router alone");
	a->ways.upstream = *want;
	services_apply(a->svc, a->cfg, &a->ways);
}

static void
check_diagnosed(struct diagnosis *d, void *arg)
{
	struct agent *a = arg;
	const struct evidence *ev = diagnosis_evidence(d);
	const struct gateway *home = evidence_role(ev, GW_HOME);
	const struct netaddr *wan = home ? evidence_gateway_wan(home) : NULL;
	struct verdict v;
	bool changed;

	verdict_decide(ev, &v);
	log_debug("probes answered in %lld ms", (long long)clock_ms_since(&a->cause_at));
	if ((a->flags & CHECK_QUICK) && v.kind != V_SINGLE_NAT) {
		log_info("the gateway and the observers do not settle it (%s): "
		    "a full check follows", verdict_name(v.kind));
		check_later(a, a->why, CHECK_MAPPINGS);
		check_finish(a);
		return;
	}
	changed = check_note(a, &v);
	check_keep_house(a, ev, a->flags & CHECK_QUICK);
	if (!(a->flags & CHECK_QUICK) && v.kind != V_NO_INTERNET) {
		a->home_maps = home != NULL && evidence_gateway_can_map(home) &&
		    !evidence_gateway_refuses(home);
		check_upstream(a, ev);
		carrier_consider(a, ev);
	}
	if (v.kind != V_NO_INTERNET && v.kind != V_UNKNOWN)
		hooks_heartbeat(a->hooks);	/* a healthy check */
	a->have_verdict = true;
	a->kind = v.kind;
	if (!(a->flags & CHECK_QUICK) && v.kind != V_NO_INTERNET)
		relay_consider(a);
	a->public_v4 = v.public_v4;
	memset(&a->gateway_wan, 0, sizeof(a->gateway_wan));
	if (wan != NULL)
		a->gateway_wan = *wan;
	agent_hairpin_all(a);
	if (changed)	/* the records need not wait for the mappings */
		agent_ddns(a);
	if (changed || (a->flags & CHECK_MAPPINGS))
		services_refresh(a->svc, changed ? "the public address changed" :
		    a->why, check_mapped, a);
	else {
		agent_outside_all(a);	/* a rule the router lost */
		check_finish(a);
	}
}

void
agent_check(struct agent *a, const char *why, int flags)
{
	struct diagnosis_config dc;

	if (a->stopping)
		return;
	if (a->checking) {
		check_later(a, why, flags);
		return;
	}
	log_info("%s: checking", why);
	a->checking = true;
	a->flags = flags;
	a->pending_flags = 0;
	snprintf(a->why, sizeof(a->why), "%s", why);
	clock_gettime(CLOCK_MONOTONIC, &a->cause_at);
	evtimer_del(a->interval);
	diagnosis_free(a->diag);	/* the last one's callback has returned */
	if (flags & CHECK_QUICK)
		publish_warm(a);
	dc = (struct diagnosis_config){ .timeout_ms = CHECK_TIMEOUT_MS,
	    .quick = flags & CHECK_QUICK };
	diagnosis_observers(&dc, a->cfg);
	if (!(flags & CHECK_QUICK))
		addr6_confirm(a, why, &a->cause_at, true);
	a->diag = diagnosis_start(a->base, a->dns, &dc, check_diagnosed, a);
	if (a->diag == NULL) {
		log_warnx("cannot start the probes");
		a->checking = false;
		check_schedule(a);
	}
}

void
agent_check_free(struct agent *a)
{
	diagnosis_free(a->diag);
	publish_free(a);
}
