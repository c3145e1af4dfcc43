/*
 * A check: the probes (STUN, the gateways, UPnP; no RFC 5780 tests, they
 * wait) give the verdict and the true public address; a new address or a
 * router event has every service mapped again; then the records that are
 * due go to the DNS helper, which folds its answers into the state file.
 * Nothing here blocks: each step is a callback of the one before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "agent/agent.h"
#include "agent/ddnsrun.h"
#include "agent/log.h"
#include "agent/service.h"
#include "agent/state.h"
#include "ddns/ddns.h"
#include "probes/diagnosis.h"
#include "probes/echo.h"

#define CHECK_TIMEOUT_MS	2000
#define CHECK_MAX_PORTS		8	/* redirect records, each a --port */

static int64_t
check_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* The next STUN check: interval seconds, give or take a tenth. */
static void
check_schedule(struct agent *a)
{
	int64_t ms = (int64_t)a->cfg->interval * 1000;
	struct timeval tv;

	ms += (random() % (ms / 5 + 1)) - ms / 10;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(a->interval, &tv);
}

/* --- DNS --- */

static void
check_ddns_done(int status, void *arg)
{
	struct agent *a = arg;

	a->run_done = a->run;	/* freed at the next run */
	a->run = NULL;
	if (status < 0 || status > 1)
		log_warnx("the DNS helper failed (status %d)", status);
	if (!a->run_idle)
		log_info("DNS %s %lld ms after: %s", status == 0 ? "current" :
		    "not all current", (long long)check_ms_since(&a->run_cause_at),
		    a->run_why);
	a->run_idle = false;
	if (a->run_again) {
		a->run_again = false;
		agent_ddns(a);
	}
}

void
agent_target(const struct agent *a, const struct ddns_config *r, int family,
    struct ddns_target *t)
{
	const struct service_config *c = config_service(a->cfg, r->service);

	t->addr = family == AF_INET6 ? a->public_v6 : a->public_v4;
	t->port = 0;
	if (r->provider != PROV_REDIRECT || c == NULL)
		return;
	t->port = services_port(a->svc, c->name);
	if (t->port == 0)	/* not mapped by us: forwarded by hand? */
		t->port = c->external_port ? c->external_port : c->port;
}

/* Would any record be sent? The earliest end of a back-off arms a timer. */
static bool
check_ddns_due(struct agent *a)
{
	struct state st;
	char why[REASON_LEN];
	int64_t now = (int64_t)time(NULL), wake = 0;
	bool due = false;

	if (state_load(a->state_path, &st, why, sizeof(why)) < 0) {
		log_warnx("%s", why);
		return false;
	}
	for (int i = 0; i < a->cfg->nddns; i++) {
		const struct ddns_config *r = &a->cfg->ddns[i];
		for (int fam = 0; fam < 2; fam++) {
			struct ddns_decision d;
			struct ddns_state *ds;
			if (!(r->record & (fam ? REC_AAAA : REC_A)) ||
			    (ds = state_ddns(&st, r->name, fam ? AF_INET6 :
			    AF_INET)) == NULL)
				continue;
			struct ddns_target t;
			agent_target(a, r, fam ? AF_INET6 : AF_INET, &t);
			ddns_decide(r, ds, &t, !fam && a->kind == V_CGNAT, now,
			    false, &d);
			due |= d.action == DDNS_SEND;
			if (d.action == DDNS_WAITING &&
			    (wake == 0 || ds->next_attempt < wake))
				wake = ds->next_attempt;
		}
	}
	if (wake > 0) {
		struct timeval tv = { wake - now + 1, 0 };
		evtimer_add(a->ddns_timer, &tv);
	}
	return due;
}

/* --port NAME=PORT: the external port each redirect record's service
 * holds, which only the agent knows. */
static int
check_helper_ports(struct agent *a, char *argv[], int n, char bufs[][80])
{
	int k = 0;

	for (int i = 0; i < a->cfg->nddns && k < CHECK_MAX_PORTS; i++) {
		const struct ddns_config *r = &a->cfg->ddns[i];
		uint16_t port;
		if (r->provider != PROV_REDIRECT ||
		    (port = services_port(a->svc, r->service)) == 0)
			continue;
		snprintf(bufs[k], sizeof(bufs[k]), "%s=%u", r->service, port);
		argv[n++] = "--port";
		argv[n++] = bufs[k++];
	}
	return n;
}

/* The helper's words that do not depend on what a check found. */
static int
check_helper_fixed(struct agent *a, char *argv[])
{
	int n = 0;

	argv[n++] = a->helper;
	if (log_get_level() >= LOG_LVL_INFO)
		argv[n++] = log_get_level() > LOG_LVL_INFO ? "-vv" : "-v";
	if (log_is_syslog())
		argv[n++] = "--syslog";
	argv[n++] = "ddns";
	argv[n++] = "update";
	argv[n++] = "--config";
	argv[n++] = (char *)a->config_path;
	argv[n] = NULL;
	return n;
}

/* What only the check knows: the addresses, the verdict, the ports. */
static int
check_helper_found(struct agent *a, char *argv[], int n, char bufs[][80])
{
	if (a->public_v4.family) {
		argv[n++] = "--public";
		argv[n++] = (char *)addr_ntop(&a->public_v4, bufs[0], 80);
	}
	if (a->public_v6.family) {
		argv[n++] = "--public";
		argv[n++] = (char *)addr_ntop(&a->public_v6, bufs[1], 80);
	}
	if (a->kind == V_CGNAT)
		argv[n++] = "--cgnat";
	n = check_helper_ports(a, argv, n, bufs + 2);
	argv[n] = NULL;
	return n;
}

/* Only HTTP echo observers, and no HTTP client here: the helper runs the
 * probes itself (and decides on its own findings). */
static bool
check_helper_probes(const struct agent *a)
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
check_warm_helper(struct agent *a)
{
	char *argv[16];
	int n;

	if (a->stopping || a->cfg->nddns == 0 || a->run != NULL ||
	    check_helper_probes(a))
		return;
	ddnsrun_free(a->run_done);
	a->run_done = NULL;
	n = check_helper_fixed(a, argv);
	argv[n++] = "--args-on-stdin";
	argv[n] = NULL;
	a->run = ddnsrun_start(a->base, argv, true, check_ddns_done, a);
}

/* A waiting helper: its options, as one line. */
static void
check_helper_go(struct agent *a)
{
	char *argv[16 + 2 * CHECK_MAX_PORTS], bufs[2 + CHECK_MAX_PORTS][80];
	char line[1024] = "";
	int n = check_helper_found(a, argv, 0, bufs);

	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
		    i ? " " : "", argv[i]);
	ddnsrun_go(a->run, line);
	a->helper_runs++;
}

/* Nothing due: a helper still waiting ends without doing anything. */
static void
check_helper_idle(struct agent *a)
{
	if (ddnsrun_waiting(a->run)) {
		a->run_idle = true;
		ddnsrun_go(a->run, NULL);
	}
}

void
agent_ddns_for(struct agent *a, const char *why, const struct timespec *cause)
{
	char *argv[16 + 2 * CHECK_MAX_PORTS], bufs[2 + CHECK_MAX_PORTS][80];
	bool self = false;
	int n;

	if (a->stopping || a->cfg->nddns == 0 || !a->have_verdict)
		return;
	if (check_helper_probes(a))
		self = true;
	else if (a->kind == V_NO_INTERNET ||
	    (!a->public_v4.family && !a->public_v6.family))
		return;
	if (a->run != NULL && (self || !ddnsrun_waiting(a->run))) {
		a->run_again = true;
		return;
	}
	if (!self && !check_ddns_due(a))
		return;
	a->run_cause_at = *cause;
	snprintf(a->run_why, sizeof(a->run_why), "%s", why);
	if (a->run != NULL) {		/* started at the announcement */
		check_helper_go(a);
		return;
	}
	ddnsrun_free(a->run_done);
	a->run_done = NULL;
	n = check_helper_fixed(a, argv);
	if (!self)
		n = check_helper_found(a, argv, n, bufs);
	a->run = ddnsrun_start(a->base, argv, false, check_ddns_done, a);
	a->helper_runs += a->run != NULL;
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
	snprintf(a->checked_why, sizeof(a->checked_why), "%s", a->why);
	agent_ddns(a);
	if (!a->pending)	/* a check to follow may still use it */
		check_helper_idle(a);
	check_schedule(a);
	if (a->pending)
		event_base_once(a->base, -1, EV_TIMEOUT, check_on_pending, a, &now);
}

static void
check_mapped(void *arg)
{
	struct agent *a = arg;

	log_debug("mappings answered %lld ms after: %s",
	    (long long)check_ms_since(&a->cause_at), a->why);
	check_finish(a);
}

/* Say what changed, in one line a person wants to see. */
static bool
check_note(struct agent *a, const struct verdict *v, const struct netaddr *v6)
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
	if (!addr_equal(&a->public_v6, v6)) {
		addr_ntop(v6, now, sizeof(now));
		log_info("public IPv6: %s", v6->family ? now : "none");
	}
	return changed && a->have_verdict;
}

static void
check_diagnosed(struct diagnosis *d, void *arg)
{
	struct agent *a = arg;
	const struct evidence *ev = diagnosis_evidence(d);
	const struct gateway *home = evidence_role(ev, GW_HOME);
	const struct netaddr *wan = home ? evidence_gateway_wan(home) : NULL;
	struct netaddr v6 = { 0 };
	struct verdict v;
	bool changed;

	verdict_decide(ev, &v);
	log_debug("probes answered in %lld ms", (long long)check_ms_since(&a->cause_at));
	if ((a->flags & CHECK_QUICK) && v.kind != V_SINGLE_NAT) {
		log_info("the gateway and the observers do not settle it (%s): "
		    "a full check follows", verdict_name(v.kind));
		check_later(a, a->why, CHECK_MAPPINGS);
		check_finish(a);
		return;
	}
	if (ev->has_global_ipv6)
		v6 = ev->global_ipv6;
	changed = check_note(a, &v, &v6);
	a->have_verdict = true;
	a->kind = v.kind;
	a->public_v4 = v.public_v4;
	a->public_v6 = v6;
	memset(&a->gateway_wan, 0, sizeof(a->gateway_wan));
	if (wan != NULL)
		a->gateway_wan = *wan;
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

static void
check_observers(const struct config *cfg, struct diagnosis_config *dc,
    bool quick)
{
	*dc = (struct diagnosis_config){ .timeout_ms = CHECK_TIMEOUT_MS,
	    .quick = quick };
	for (int i = 0; i < cfg->nstun && dc->nstun < DIAG_MAX_SERVERS; i++)
		dc->stun[dc->nstun++] = cfg->stun[i];
	for (int i = 0; i < cfg->necho && dc->necho < DIAG_MAX_SERVERS; i++)
		dc->echo[dc->necho++] = cfg->http_echo[i];
	diagnosis_use_defaults(dc);
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
		check_warm_helper(a);
	check_observers(a->cfg, &dc, flags & CHECK_QUICK);
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
	ddnsrun_free(a->run);
	ddnsrun_free(a->run_done);
}
