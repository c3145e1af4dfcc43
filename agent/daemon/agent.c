/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach agent: the life cycle. Start: config, state (a corrupt file is
 * set aside), control socket, the services, the watchers, a first check.
 * Then only events: gateway announcements, SSDP NOTIFY, netlink, a
 * jittered STUN interval, signals and control requests.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <jansson.h>

#include "agent/config/state.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/hooks.h"
#include "agent/daemon/web.h"
#include "agent/diagnosis/report.h"
#include "agent/daemon/control.h"
#include "agent/daemon/ctlmsg.h"
#include "agent/daemon/daemon.h"
#include "agent/daemon/service.h"
#include "agent/daemon/store.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "nat/relayway.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/netlink.h"
#include "lib/route.h"
#include "nat/announce.h"
#include "nat/notify.h"
#include "probes/reach.h"

#define AGENT_STOP_GUARD_S	10	/* removals that hang do not hold exit */
#define AGENT_REPEAT_MS		20000	/* a gateway's repeats span 64 s at most */

/* --- watchers --- */

/*
 * A gateway repeats each announcement up to ten times (RFC 6886 3.2.1,
 * RFC 6887 14.1.3): the address acted on last, within 20 s, is not news,
 * unless the epoch went back: the gateway restarted meanwhile (a reboot
 * right after an address change).
 * Any LAN host can send one with the gateway's source address, so an
 * announcement only starts a check: what it names is published only when
 * the gateway's own unicast answer and an outside observer confirm it.
 */
static bool
agent_announce_repeat(struct agent *a, const struct announce_event *e)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = clock_ms_between(&a->announced_at, &now);
	if (a->announced_at.tv_sec != 0 && ms < AGENT_REPEAT_MS &&
	    (e->version != 0 || addr_equal(&e->external, &a->announced)) &&
	    e->epoch >= a->announced_epoch)
		return true;
	a->announced_at = now;
	a->announced = e->external;
	a->announced_epoch = e->epoch;
	return false;
}

static void
agent_on_announce(const struct announce_event *e, void *arg)
{
	struct agent *a = arg;
	char ext[ADDR_STRLEN];
	int flags = CHECK_MAPPINGS;

	if (agent_announce_repeat(a, e)) {
		log_debug("a repeated gateway announcement: ignored");
		return;
	}
	if (e->version == 0)
		log_info("the gateway announced %s (NAT-PMP, epoch %u)",
		    addr_ntop(&e->external, ext, sizeof(ext)), e->epoch);
	else
		log_info("the gateway announced a change (PCP, epoch %u)",
		    e->epoch);
	/* One NAT: asking the gateway and the observers settles it (a PCP
	 * ANNOUNCE names no address, but means the same: RFC 6887 14.1.3). */
	if (a->have_verdict && a->kind == V_SINGLE_NAT)
		flags |= CHECK_QUICK;
	agent_check(a, "the gateway announced a change", flags);
}

static void
agent_on_notify(const char *what, void *arg)
{
	agent_check(arg, what, CHECK_MAPPINGS);
}

static void agent_watch_gateway(struct agent *a);

/* The IPv6 side: the router's address, for pinholes (this host's own is
 * confirmed from outside first: addr6.c). */
static void
agent_watch_ipv6(struct agent *a)
{
	struct route_default rt;
	char why[REASON_LEN];

	if (route_read_default6(&rt, why, sizeof(why)) < 0)
		memset(&rt, 0, sizeof(rt));
	a->ways.gateway6 = rt.gateway;
}

/* An IPv6 address came or went: the DNS helper starts loading now, while
 * the messages settle (a renumbering's AAAA is then 30 ms sooner). */
static void
agent_on_netlink_stir(void *arg)
{
	publish_warm(arg);
}

static void
agent_on_netlink(const char *what, unsigned changes, void *arg)
{
	struct agent *a = arg;
	struct services_ways old = a->ways;

	if (what == NULL) {		/* stirred, but nothing changed */
		if (!a->checking)
			publish_idle(a);
		return;
	}
	agent_watch_gateway(a);
	agent_watch_ipv6(a);
	if (changes & NL_CHANGED_IPV6) {
		/* Renumbered, or a prefix offered: the record and the pinholes
		 * follow once an observer sees the new address (addr6.c). */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		addr6_confirm(a, what, &now, false);
	}
	if (!addr_equal(&old.gateway, &a->ways.gateway) ||
	    !addr_equal(&old.gateway6, &a->ways.gateway6))
		services_apply(a->svc, a->cfg, &a->ways);
	/* A renumbering alone leaves IPv4 as it was: its pinholes are made
	 * anew just above, and a check now would only compete with the DNS
	 * helper for the CPU (two of them on a small NAS). */
	if (changes != NL_CHANGED_IPV6)
		agent_check(a, what, CHECK_MAPPINGS);
}

/* Announcements and NOTIFY count only from the default gateway. */
static void
agent_watch_gateway(struct agent *a)
{
	struct route_default rt;
	char why[REASON_LEN];

	if (route_read_default(&rt, why, sizeof(why)) < 0) {
		log_warnx("%s: waiting for a default route", why);
		memset(&rt, 0, sizeof(rt));
	}
	if (addr_equal(&rt.gateway, &a->gateway) && a->ann != NULL)
		return;
	announce_free(a->ann);
	notify_free(a->ntf);
	a->ann = NULL;
	a->ntf = NULL;
	a->gateway = a->ways.gateway = rt.gateway;
	if (rt.gateway.family == 0)
		return;
	a->ann = announce_start(a->base, &a->gateway, agent_on_announce, a);
	a->ntf = notify_start(a->base, &a->gateway, agent_on_notify, a);
}

static void
agent_on_interval(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	agent_check(arg, "the periodic check", 0);
}

static void
agent_on_ddns_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	agent_ddns(arg);
}

/* --- signals --- */

static int agent_web(struct agent *a);
static int agent_hooks(struct agent *a);

static void
agent_reload(struct agent *a)
{
	struct config *n = malloc(sizeof(*n)), *old = a->cfg;

	if (n == NULL)
		return;
	if (config_load(a->config_path, true, n) < 0) {
		for (int i = 0; i < n->nerrors; i++)
			log_warnx("%s", n->errors[i]);
		log_warnx("SIGHUP: the configuration has errors; keeping the "
		    "running one");
		free(n);
		return;
	}
	if (strcmp(n->state_dir, a->cfg->state_dir) ||
	    strcmp(n->runtime_dir, a->cfg->runtime_dir))
		log_warnx("SIGHUP: state_dir and runtime_dir change at restart");
	memcpy(n->state_dir, a->cfg->state_dir, sizeof(n->state_dir));
	memcpy(n->runtime_dir, a->cfg->runtime_dir, sizeof(n->runtime_dir));
	agent_ondemand_merge(a, n);
	services_outside_first(a->svc, n->check_url[0] != '\0');
	services_apply(a->svc, n, &a->ways);
	a->cfg = n;
	relay_reload(a, old);
	free(old);
	agent_hooks(a);
	log_info("configuration reloaded: %d services, %d records",
	    a->cfg->nservices, a->cfg->nddns);
	agent_web(a);
	agent_ddns(a);
}

static void
agent_stopped(void *arg)
{
	struct agent *a = arg;

	relayway_down();	/* the tunnel, with keep_mappings too */
	log_info("stopped");
	event_base_loopbreak(a->base);
}

static void
agent_on_stop_guard(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	log_warnx("some mappings were not removed in %d s; leaving",
	    AGENT_STOP_GUARD_S);
	event_base_loopbreak(((struct agent *)arg)->base);
}

static void
agent_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct agent *a = arg;

	(void)what;
	if (sig == SIGHUP) {
		agent_reload(a);
	} else if (sig == SIGUSR1) {
		agent_check(a, "SIGUSR1", CHECK_MAPPINGS);
	} else if (!a->stopping) {
		log_info("signal %d: %s the mappings and stopping", (int)sig,
		    a->cfg->keep_mappings ? "keeping" : "removing");
		a->stopping = true;
		loop_after(a->stop_guard, AGENT_STOP_GUARD_S * 1000);
		services_stop(a->svc, !a->cfg->keep_mappings, agent_stopped, a);
	}
}

/* A held port moved: the carrier is tested again (in a full check)
 * before the new one is published. */
static void
agent_on_hold_moved(const char *name, void *arg)
{
	struct agent *a = arg;
	char why[120];

	snprintf(why, sizeof(why), "service %s: its held port moved", name);
	a->carrier.retest = true;
	carrier_forget_lifetime(a);
	agent_check(a, why, 0);
}

static void
agent_on_control(struct control_conn *cc, const char *line, bool trusted,
    void *arg)
{
	struct agent *a = arg;
	struct ctl_request r;

	if (ctlmsg_parse(line, &r) < 0)
		control_reply(cc, NULL);
	else if (r.verb == CTL_STATUS)
		control_reply(cc, agent_status_text(a, JSON_INDENT(2)));
	else if (!trusted)
		control_reply(cc, ctlmsg_reply_text(CTL_NOT_ALLOWED, "only root "
		    "and the agent's own user may change what it keeps (its "
		    "group reads the status)"));
	else if (r.verb == CTL_CHECK) {
		agent_check(a, "asked on the control socket", CHECK_MAPPINGS);
		control_reply(cc, ctlmsg_reply_text(CTL_OK, NULL));
	} else
		agent_ondemand(a, cc, &r);
}

/* --- start and stop --- */

/* A state file this agent cannot read is kept for a person to look at,
 * and the agent starts afresh: mappings are taken over as they come,
 * records are checked against the DNS before anything is sent. */
static int
agent_state(struct agent *a)
{
	char why[REASON_LEN];

	if ((a->store = store_open(a->base, a->state_path, why,
	    sizeof(why))) == NULL) {
		log_warnx("%s", why);
		return -1;
	}
	return 0;
}

static int
agent_dirs(struct agent *a)
{
	if (mkdir(a->cfg->state_dir, 0700) < 0 && errno != EEXIST) {
		log_warn("%s", a->cfg->state_dir);
		return -1;
	}
	if (mkdir(a->cfg->runtime_dir, 0750) < 0 && errno != EEXIST) {
		log_warn("%s", a->cfg->runtime_dir);
		return -1;
	}
	snprintf(a->state_path, sizeof(a->state_path), "%s/state",
	    a->cfg->state_dir);
	return 0;
}

/* The page's copy of the status: the same object, without the indent. */
static char *
agent_on_web(void *arg)
{
	return agent_status_text(arg, JSON_COMPACT);
}

static char *
agent_on_metrics(void *arg)
{
	json_t *status = agent_status_object(arg);
	char *text = agent_metrics(arg, status);

	json_decref(status);
	return text;
}

/* The status page, as the configuration has it (again after a reload). */
static int
agent_web(struct agent *a)
{
	const struct config *c = a->cfg;
	char why[REASON_LEN + 64], where[ADDR_PORT_STRLEN];

	web_free(a->web);
	a->web = NULL;
	if (c->web_port == 0)
		return 0;
	a->web = web_start(a->base, &c->web_addr, c->web_port,
	    c->web_password.set ? c->web_password.value : NULL, agent_on_web,
	    agent_on_metrics, a, why, sizeof(why));
	if (a->web == NULL) {
		log_warnx("status page: %s", why);
		return -1;
	}
	log_info("status page on http://%s/%s", addr_ntop_port(&c->web_addr,
	    c->web_port, where, sizeof(where)), c->web_password.set ?
	    " (with a password)" : "");
	return 0;
}

/* Hooks are made when the configuration first names one (or a heartbeat
 * URL), and follow it from then on. */
static int
agent_hooks(struct agent *a)
{
	if (a->hooks == NULL && (a->cfg->nhooks > 0 || a->cfg->heartbeat_url[0]))
		a->hooks = hooks_new(a->base, a->helper);
	if (a->hooks == NULL)
		return a->cfg->nhooks > 0 || a->cfg->heartbeat_url[0] ? -1 : 0;
	hooks_config(a->hooks, a->cfg);
	return 0;
}

static void
agent_on_event(const struct timeline_entry *e, void *arg)
{
	struct agent *a = arg;

	if (a->hooks != NULL)
		hooks_on_event(e, a->hooks);
}

static int
agent_control(struct agent *a)
{
	int error;

	a->ctl = control_start(a->base, a->cfg->runtime_dir, agent_on_control, a,
	    &error);
	if (a->ctl != NULL)
		return 0;
	if (error == -EADDRINUSE)
		log_warnx("an agent is running already (%s/%s answers)",
		    a->cfg->runtime_dir, CONTROL_SOCKET);
	else
		log_warnx("control socket in %s: %s", a->cfg->runtime_dir,
		    strerror(-error));
	return -1;
}

static int
agent_signals(struct agent *a)
{
	static const int sigs[AGENT_SIGNALS] = { SIGHUP, SIGTERM, SIGINT,
		SIGUSR1 };

	signal(SIGPIPE, SIG_IGN);
	return loop_signals(a->base, sigs, AGENT_SIGNALS, agent_on_signal, a,
	    a->sigs);
}

static int
agent_setup(struct agent *a)
{
	ssize_t n;

	/* Run as the full binary, the helper is ourselves. */
	if (a->helper[0] == '\0') {
		n = readlink("/proc/self/exe", a->helper, sizeof(a->helper) - 1);
		if (n <= 0)
			return -1;
		a->helper[n] = '\0';
	}
	if ((a->base = loop_base_new()) == NULL ||
	    (a->dns = loop_dns_new(a->base)) == NULL ||
	    agent_control(a) < 0 || agent_state(a) < 0 || agent_web(a) < 0)
		return -1;
	a->started = (int64_t)time(NULL);
	a->interval = evtimer_new(a->base, agent_on_interval, a);
	a->ddns_timer = evtimer_new(a->base, agent_on_ddns_timer, a);
	a->stop_guard = evtimer_new(a->base, agent_on_stop_guard, a);
	a->timeline = timeline_new();
	if (a->timeline == NULL || agent_hooks(a) < 0)
		return -1;
	timeline_on_add(a->timeline, agent_on_event, a);
	a->svc = services_new(a->base, a->store, a->timeline, 2000);
	a->reach = reach_new(a->base, a->dns, 2 * CONFIG_MAX_SERVICES);
	if (a->interval == NULL || a->ddns_timer == NULL ||
	    a->stop_guard == NULL || a->svc == NULL || a->reach == NULL ||
	    agent_signals(a) < 0)
		return -1;
	services_on_change(a->svc, agent_on_service, a);
	services_on_settle(a->svc, agent_ondemand_settled, a);
	services_on_hold_moved(a->svc, agent_on_hold_moved, a);
	services_outside_first(a->svc, a->cfg->check_url[0] != '\0');
	agent_watch_gateway(a);
	agent_watch_ipv6(a);
	a->nl = netlink_start(a->base, agent_on_netlink, a);
	if (a->nl != NULL)
		netlink_on_stir(a->nl, agent_on_netlink_stir);
	if (a->gateway.family || a->ways.gateway6.family) {
		services_reclaim(a->svc, a->cfg, &a->ways, AF_INET);
		services_apply(a->svc, a->cfg, &a->ways);
	}
	return 0;
}

static void
agent_free(struct agent *a)
{
	agent_check_free(a);
	agent_ondemand_free(a);
	carrier_free(a);
	relay_free(a);
	addr6_free(a);
	services_free(a->svc);
	reach_free(a->reach);
	agent_outside_free(a);
	timeline_free(a->timeline);
	web_free(a->web);
	hooks_free(a->hooks);
	free(a->house);
	free(a->house_json);
	free(a->decided);
	announce_free(a->ann);
	notify_free(a->ntf);
	netlink_free(a->nl);
	control_free(a->ctl);
	store_free(a->store);	/* the last changes, before the loop goes */
	loop_signals_free(a->sigs, AGENT_SIGNALS);
	loop_event_free(&a->interval);
	loop_event_free(&a->ddns_timer);
	loop_event_free(&a->stop_guard);
	loop_dns_free(a->base, a->dns);
	if (a->base)
		event_base_free(a->base);
}

int
agent_run(const char *config_path, struct config *cfg, const char *helper)
{
	struct agent *a = calloc(1, sizeof(*a));
	int rc = 1;

	if (a == NULL) {
		free(cfg);
		return 1;
	}
	a->config_path = config_path;
	a->cfg = cfg;
	snprintf(a->helper, sizeof(a->helper), "%s", helper ? helper : "");
	if (a->cfg->log == LOG_TO_SYSLOG)
		log_to_syslog();
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (agent_dirs(a) == 0 && agent_setup(a) == 0) {
		log_info("started: %d services, %d records, checking every %d s",
		    a->cfg->nservices, a->cfg->nddns, a->cfg->interval);
		agent_check(a, "the agent started", 0);
		event_base_dispatch(a->base);
		rc = 0;
	}
	agent_free(a);
	free(a->cfg);
	free(a);
	return rc;
}
