/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DNS step of a check: the records that are due go to the DNS helper
 * (`homereach ddns update`, a process of its own: libcurl and ldns stay
 * out of the agent). One helper at a time; one asked for meanwhile runs
 * after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "agent/config/state.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/childrun.h"
#include "agent/daemon/service.h"
#include "agent/daemon/store.h"
#include "ddns/ddns.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "probes/echo.h"

#define PUBLISH_MAX_PORTS	CONFIG_MAX_SERVICES	/* each a --port */

/* A record's new memory against its old: the timeline hears of a new
 * address taken, or of one more failure. */
static void
publish_events(struct agent *a, const struct ddns_state *d)
{
	struct ddns_state empty;
	const struct ddns_state *old = state_ddns_peek(store_state(a->store),
	    d->name, d->family, &empty);
	const struct ddns_config *r = config_ddns(a->cfg, d->name);
	const char *rr = d->family == AF_INET6 ? "AAAA" : "A";
	char was[ADDR_STRLEN] = "none", is[ADDR_STRLEN] = "none";

	if (old->published.family)
		addr_ntop(&old->published, was, sizeof(was));
	if (d->published.family)
		addr_ntop(&d->published, is, sizeof(is));
	if (d->published.family && !addr_equal(&old->published, &d->published))
		timeline_add(a->timeline, HAP_RECORD_UPDATED, d->name, was, is,
		    "%s %s %s -> %s", r ? r->hostname : d->name, rr, was, is);
	if (!d->published.family && old->published.family)
		timeline_add(a->timeline, HAP_RECORD_WITHDRAWN, d->name, was, is,
		    "%s %s %s withdrawn: nothing answers there now",
		    r ? r->hostname : d->name, rr, was);
	if (d->failures > old->failures)
		a->count.updates_failed++;
	else if (d->failures == 0 && (d->last_time != old->last_time ||
	    !addr_equal(&d->published, &old->published)))
		a->count.updates_ok++;
	if (d->failures > old->failures)
		timeline_add(a->timeline, HAP_RECORD_FAILED, d->name, was, is,
		    "%s %s: the update failed (%s)", r ? r->hostname : d->name,
		    rr, d->last_result);
}

/* The helper's report, one "state ddns ..." line per record it touched,
 * folded into the state (that the agent alone writes) as it comes. */
static void
publish_on_line(const char *line, void *arg)
{
	struct agent *a = arg;
	struct ddns_state d;

	if (strncmp(line, "state ", 6) != 0)
		return;
	if (state_parse_ddns(line + 6, &d) < 0) {
		log_warnx("the DNS helper's report: not a record: %.60s", line);
		return;
	}
	publish_events(a, &d);
	store_change(a->store, state_fold_ddns, &d, NULL, NULL);
}

static void
publish_ddns_done(int status, void *arg)
{
	struct agent *a = arg;

	a->run_done = a->run;	/* freed at the next run */
	a->run = NULL;
	if (status < 0 || status > 1)
		log_warnx("the DNS helper failed (status %d)", status);
	if (!a->run_idle)
		log_info("DNS %s %lld ms after: %s", status == 0 ? "current" :
		    "not all current", (long long)clock_ms_since(&a->run_cause_at),
		    a->run_why);
	a->run_idle = false;
	if (a->run_again) {
		a->run_again = false;
		agent_ddns(a);
	}
}

/* A service's open way in: where its SRV record points (0: none). */
static uint16_t
publish_srv_port(const struct service_config *s, void *arg)
{
	const struct agent *a = arg;

	return services_port(a->svc, s->name, AF_INET);
}

/* The IPv4 address strangers reach this house at: the relay's while a
 * service goes through it, else the public one observers see. */
static const struct netaddr *
publish_v4(const struct agent *a)
{
	if (a->ways.relay.family && services_open_on(a->svc, &a->ways.relay))
		return &a->ways.relay;
	return &a->public_v4;
}

void
agent_target(const struct agent *a, const struct ddns_config *r, int family,
    struct ddns_target *t)
{
	const struct service_config *c = config_service(a->cfg, r->service);

	ddns_record_addr(r, family, publish_v4(a), &a->public_v6, &t->addr);
	t->port = 0;
	config_srv(a->cfg, r, family, publish_srv_port, (void *)a, t);
	if (r->provider != PROV_REDIRECT || c == NULL)
		return;
	t->port = services_port(a->svc, c->name, AF_INET);
	if (t->port == 0)	/* not mapped by us: forwarded by hand? */
		t->port = c->external_port ? c->external_port : c->port;
}

/* The public IPv4 address is shared with the carrier's other customers
 * (or held by a NAT in front of the home router that maps nothing), and
 * no way in of ours opens it (nor a relay's address in its stead) (the carrier's NAT maps for us, or lets
 * anyone in to a held port: then strangers reach us there, and the name
 * may point at it). */
bool
agent_ipv4_shared(const struct agent *a)
{
	return (verdict_ipv4_shared(a->kind) || a->ways.behind) &&
	    !services_open_on(a->svc, publish_v4(a));
}

/* Record i's decision for fam (0: A, 1: AAAA), kept for status. */
static void
publish_keep_decision(struct agent *a, int i, int fam,
    const struct ddns_decision *d)
{
	int n = 2 * a->cfg->nddns;

	if (a->ndecided != n) {
		struct ddns_decision *list = realloc(a->decided,
		    sizeof(*list) * (size_t)n);
		if (list == NULL)
			return;
		memset(list, 0, sizeof(*list) * (size_t)n);
		a->decided = list;
		a->ndecided = n;
	}
	a->decided[2 * i + fam] = *d;
}

/* Would any record be sent? The earliest end of a back-off arms a timer. */
static bool
publish_ddns_due(struct agent *a)
{
	const struct state *st = store_state(a->store);
	int64_t now = (int64_t)time(NULL), wake = 0;
	bool due = false;

	for (int i = 0; i < a->cfg->nddns; i++) {
		const struct ddns_config *r = &a->cfg->ddns[i];
		for (int fam = 0; fam < 2; fam++) {
			struct ddns_decision d;
			struct ddns_state empty;
			const struct ddns_state *ds;
			if (!(r->record & (fam ? REC_AAAA : REC_A)))
				continue;
			ds = state_ddns_peek(st, r->name, fam ? AF_INET6 : AF_INET,
			    &empty);
			struct ddns_target t;
			agent_target(a, r, fam ? AF_INET6 : AF_INET, &t);
			ddns_decide(r, ds, &t, !fam && agent_ipv4_shared(a), now,
			    false, &d);
			publish_keep_decision(a, i, fam, &d);
			due |= d.action == DDNS_SEND || d.action == DDNS_WITHDRAW;
			if (d.action == DDNS_WAITING &&
			    (wake == 0 || ds->next_attempt < wake))
				wake = ds->next_attempt;
		}
	}
	if (wake > 0)
		loop_after(a->ddns_timer, (wake - now + 1) * 1000);
	return due;
}

/* --port NAME=PORT: the external port each redirect record's service
 * holds, which only the agent knows. */
static int
publish_helper_ports(struct agent *a, char *argv[], int n, char bufs[][80])
{
	int k = 0;

	for (int i = 0; i < a->cfg->nservices && k < PUBLISH_MAX_PORTS; i++) {
		const struct service_config *s = &a->cfg->services[i];
		uint16_t port = services_port(a->svc, s->name, AF_INET);
		if (port == 0)
			continue;
		snprintf(bufs[k], sizeof(bufs[k]), "%s=%u", s->name, port);
		argv[n++] = "--port";
		argv[n++] = bufs[k++];
	}
	return n;
}

/* The helper's words that do not depend on what a check found. */
static int
publish_helper_fixed(struct agent *a, char *argv[])
{
	int n = 0;

	argv[n++] = a->helper;
	if (log_get_level() >= LOG_LVL_INFO)
		argv[n++] = log_get_level() > LOG_LVL_INFO ? "-vv" : "-v";
	if (log_is_syslog())
		argv[n++] = "--syslog";
	argv[n++] = "ddns";
	argv[n++] = "helper";
	argv[n++] = "--config";
	argv[n++] = (char *)a->config_path;
	argv[n] = NULL;
	return n;
}

/* What only the check knows: the addresses, the verdict, the ports. */
static int
publish_helper_found(struct agent *a, char *argv[], int n, char bufs[][80])
{
	if (publish_v4(a)->family) {
		argv[n++] = "--public";
		argv[n++] = (char *)addr_ntop(publish_v4(a), bufs[0], 80);
	}
	if (a->public_v6.family) {
		argv[n++] = "--public";
		argv[n++] = (char *)addr_ntop(&a->public_v6, bufs[1], 80);
	}
	if (agent_ipv4_shared(a))
		argv[n++] = "--cgnat";
	n = publish_helper_ports(a, argv, n, bufs + 2);
	argv[n] = NULL;
	return n;
}

/* Only HTTP echo observers, and no HTTP client here: the helper runs the
 * probes itself (and decides on its own findings). */
static bool
publish_helper_probes(const struct agent *a)
{
	return a->kind == V_NO_INTERNET && a->cfg->necho > 0 &&
	    !echoprobe_available();
}

void
agent_ddns(struct agent *a)
{
	agent_ddns_for(a, a->why, &a->cause_at);
}

/*
 * A gateway announced a change: the helper is started now, waiting for
 * its options, so that loading it (25 ms of libraries) overlaps the
 * confirmation; what it is told to publish is only what the check
 * confirmed, or nothing.
 */
static void
publish_start(struct agent *a)
{
	char *argv[16];

	childrun_free(a->run_done);
	a->run_done = NULL;
	publish_helper_fixed(a, argv);
	a->run = childrun_start(a->base, argv, NULL, true, publish_ddns_done, a);
	childrun_on_line(a->run, publish_on_line);
}

void
publish_warm(struct agent *a)
{
	if (a->stopping || a->cfg->nddns == 0 || a->run != NULL ||
	    publish_helper_probes(a))
		return;
	publish_start(a);
}

/* A waiting helper: its options, as one line (it always reads them from
 * its standard input: they stay off the public command line). */
static void
publish_helper_go(struct agent *a, bool self)
{
	char *argv[16 + 2 * PUBLISH_MAX_PORTS], bufs[2 + PUBLISH_MAX_PORTS][80];
	char line[DDNS_HELPER_LINE] = "";
	int n = self ? 0 : publish_helper_found(a, argv, 0, bufs);

	if (self)
		argv[n++] = "--probe";
	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
		    i ? " " : "", argv[i]);
	childrun_go(a->run, line);
	a->helper_runs++;
}

/* Nothing due: a helper still waiting ends without doing anything. */
void
publish_idle(struct agent *a)
{
	if (childrun_waiting(a->run)) {
		a->run_idle = true;
		childrun_go(a->run, NULL);
	}
}

void
agent_ddns_for(struct agent *a, const char *why, const struct timespec *cause)
{
	bool self = false, due;

	if (a->stopping || a->cfg->nddns == 0 || !a->have_verdict)
		return;
	/* A carrier test due or under way (a held port moved), or a held
	 * port's outside check: each asks again when it answers (a held port
	 * is published, or withdrawn, on what they find, never in between). */
	if (a->carrier.busy || a->carrier.retest ||
	    services_outside_due(a->svc))
		return;
	due = publish_ddns_due(a);	/* each record decided, kept for status */
	if (publish_helper_probes(a))
		self = true;
	else if (a->kind == V_NO_INTERNET ||
	    (!a->public_v4.family && !a->public_v6.family))
		return;
	if (a->run != NULL && (self || !childrun_waiting(a->run))) {
		a->run_again = true;
		return;
	}
	if (!self && !due)
		return;
	a->run_cause_at = *cause;
	snprintf(a->run_why, sizeof(a->run_why), "%s", why);
	if (a->run == NULL)		/* else started at the announcement */
		publish_start(a);
	if (a->run != NULL)
		publish_helper_go(a, self);
}

void
publish_free(struct agent *a)
{
	childrun_free(a->run);
	childrun_free(a->run_done);
}
