/* SPDX-License-Identifier: BSD-2-Clause */
/* The agent: one loop that keeps services mapped and records published,
 * woken by what routers and the kernel announce. The context is shared
 * by agent.c (life cycle, signals, watchers, control) and check.c. */
#ifndef HOMEREACH_AGENT_H
#define HOMEREACH_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "agent/config/config.h"
#include "probes/lifetime.h"
#include "agent/diagnosis/verdict.h"
#include "agent/daemon/service.h"
#include "nat/mapping.h"
#include "agent/daemon/timeline.h"
#include "ddns/ddns.h"
#include "probes/hairpin.h"
#include "probes/reach.h"

/* CHECK_MAPPINGS: map every service again as well (a router event).
 * CHECK_QUICK: only the gateway's unicast answers and the observers (no
 * UPnP, no hops); a verdict other than single-nat from them is not taken,
 * a full check follows instead. */
enum { CHECK_MAPPINGS = 1, CHECK_QUICK = 2 };

#define AGENT_SIGNALS	4	/* HUP, TERM, INT, USR1 */

struct seen6;

#define ONDEMAND_MAX_WAITS	8	/* the control socket's connections */

struct ondemand_wait;
struct carriertest;
struct gwprobe;
struct lifetime;
struct agent {
	struct event_base *base;
	struct evdns_base *dns;
	const char *config_path;
	struct config *cfg;		/* replaced whole on SIGHUP */
	char state_path[1100];
	char helper[1024];		/* the homereach binary with the providers */
	int64_t started;
	struct services *svc;
	struct store *store;		/* the state: only the agent writes it */
	struct timeline *timeline;	/* what happened, for the page and hooks */
	struct web *web;		/* the status page, if web_listen */
	struct hooks *hooks;		/* [hook] sections, heartbeat_url */
	struct control *ctl;
	struct announce *ann;
	struct notify *ntf;
	struct netlink *nl;
	struct netaddr gateway;
	struct services_ways ways;	/* the gateway again, and for pinholes
					 * the IPv6 router and stable address */
	struct timespec announced_at;	/* the last announcement acted on */
	struct netaddr announced;	/* and the address it named */
	uint32_t announced_epoch;	/* and its epoch */
	struct event *sigs[AGENT_SIGNALS], *interval, *ddns_timer, *stop_guard;
	bool stopping;

	/* The check in progress, and the one asked for meanwhile. */
	struct diagnosis *diag;
	bool checking, pending;
	int flags, pending_flags;
	char why[160], pending_why[160];
	struct timespec cause_at;	/* when its cause arrived */

	/* What the last check found. */
	bool have_verdict;
	bool home_maps;		/* the last full check: the home router maps */
	enum verdict_kind kind;
	struct netaddr public_v4, public_v6, gateway_wan;
	struct evidence *house;		/* the last full check's evidence */
	char *house_json;		/* ... as status shows it (check.c) */
	struct ddns_decision *decided;	/* the last DNS step's, two a record
					 * (A, AAAA): status says why not */
	int ndecided;
	int64_t checked_at;
	char checked_why[160];

	/* Counted since the start, for /metrics (metrics.c). */
	struct {
		uint64_t checks, updates_ok, updates_failed;
		uint64_t outside_open, outside_failed;
		int64_t last_change;	/* unix time of the last address change */
	} count;

	/* The DNS helper. */
	struct childrun *run, *run_done;	/* run may wait for its options */
	int helper_runs;
	bool run_again, run_idle;
	struct timespec run_cause_at;
	char run_why[160];

	/* The outside-in check (outside.c). */
	struct reach *reach;
	bool remade[CONFIG_MAX_SERVICES][2];	/* deleted and made again:
						 * mapping, pinhole */
	/* The hairpin check of each TCP service's mapping (NAT loopback). */
	struct agent_hairpin {
		struct agent *a;
		struct hairpin *op;
		bool busy, known;
		struct hairpin_result last;
		struct reach_result relayed;	/* the last check of its
						 * relayed port (outside.c) */
	} hairpin[CONFIG_MAX_SERVICES];

	/* This host's public IPv6 address, confirmed from outside: public_v6
	 * and ways.host6 (addr6.c). */
	struct {
		struct seen6 *op;
		char why[160];
		struct timespec cause;
		bool busy, again;	/* asking; asked again meanwhile */
		bool said;		/* no IPv6 observer: said once */
		bool reclaimed;		/* pinholes a dead agent left */
	} addr6;

	/* The carrier test (carrier.c): does the NAT in front of the home
	 * router let strangers in to a port held open from inside? */
	struct {
		struct carriertest *test;
		bool busy, full_cone;
		bool retest;		/* a held port moved: tested again
					 * before anything is published */
		char said[80];		/* the last finding, said once */
		/* How long a silent port stays open (RFC 5780 section
		 * 4.6), measured once it is a full cone: how seldom held
		 * ports need keep-alives. */
		struct lifetime *lifetime;
		bool measuring;
		struct lifetime_result life;
		int64_t life_at;	/* unix time, 0: not measured */
	} carrier;

	/* The relays of [relay] (relay.c): the one in use, asked every few
	 * seconds over the tunnel whether it still answers; one that
	 * stopped is passed over for a while. */
	struct {
		int at;			/* 1 + its index in cfg->relays; 0:
					 * none */
		char server[256];	/* its server, as said (also across
					 * a reload that took it away) */
		struct event *timer;
		struct gwprobe *probe;
		struct timespec answered;	/* its last answer (or when
						 * it was taken) */
		int64_t dead_until[CONFIG_MAX_RELAYS];	/* unix time */
	} relay;

	/* Ports `map add` asked the agent to keep (ondemand.c), and the
	 * requests waiting for their grants. */
	struct service_config extra[CONFIG_MAX_SERVICES];
	int nextra;
	struct ondemand_wait *waits[ONDEMAND_MAX_WAITS];
	int nwaits;
};

/* check.c: start a check (re-probe, re-verify mappings, update DNS, save
 * state, in that order); one asked for while another runs follows it. */
void agent_check(struct agent *a, const char *why, int flags);
/* publish.c: the DNS step. publish_warm: an announcement arrived, start
 * the helper waiting for its options; publish_idle: nothing is due, a
 * waiting helper ends. */
void publish_warm(struct agent *a);
void publish_idle(struct agent *a);
void publish_free(struct agent *a);
/* The DNS step alone: after a reload, or when a back-off ends. */
void agent_ddns(struct agent *a);
/* The same for an event that is not the current check's cause. */
void agent_ddns_for(struct agent *a, const char *why,
    const struct timespec *cause);
void agent_check_free(struct agent *a);
/* addr6.c: confirm from outside which IPv6 address of this host is the
 * public one (always, or only when the current one is gone or
 * deprecated); a new one is published and opened to. */
void addr6_confirm(struct agent *a, const char *why,
    const struct timespec *cause, bool always);
void addr6_free(struct agent *a);
/* ondemand.c: a request of the command line (map add/del, ddns update),
 * answered on cc now or when its ways are settled; the agent's own
 * services put into cfg; a service's ways settled (services_on_settle). */
struct control_conn;
struct ctl_request;
void agent_ondemand(struct agent *a, struct control_conn *cc,
    const struct ctl_request *r);
void agent_ondemand_merge(struct agent *a, struct config *cfg);
void agent_ondemand_settled(const char *service, void *arg);
void agent_ondemand_free(struct agent *a);
/* carrier.c: after a full check, test the NAT in front of the home
 * router when one is there that does not map; a full cone gets each
 * service held (ways.hold), anything else none. */
void carrier_consider(struct agent *a, const struct evidence *ev);
/* relay.c: after a full check or the carrier test, whether IPv4 goes
 * through the relay of [relay] (nothing better opens it) or leaves it. */
void relay_consider(struct agent *a);
/* After a reload (a->cfg the new configuration): the relay in use found
 * again among the new sections, or another chosen. */
void relay_reload(struct agent *a, const struct config *old);
void relay_free(struct agent *a);
/* The status object's "relay": the one in use and those passed over. */
json_t *relay_json(const struct agent *a);
/* A binding lifetime being measured is dropped (a held port moved). */
void carrier_forget_lifetime(struct agent *a);
void carrier_free(struct agent *a);
/* outside.c: a service got a mapping (services_on_change). */
void agent_on_service(const char *name, int family, void *arg);
/* Check every mapped service from outside (check_url). */
void agent_outside_all(struct agent *a);
/* Add each service's last outside check and hairpin check to status's
 * mappings. */
void agent_outside_json(struct agent *a, json_t *mappings);
void agent_outside_free(struct agent *a);
/* After a check: the hairpin check of each mapped TCP service not yet
 * tried at this public address and port. */
void agent_hairpin_all(struct agent *a);
/* What record r publishes for family: the public address, and for a
 * redirect record the external port its service holds. */
/* Shared with the carrier's other customers, and opened by no way of ours
 * (publish.c): no A record points at it. */
bool agent_ipv4_shared(const struct agent *a);
void agent_target(const struct agent *a, const struct ddns_config *r,
    int family, struct ddns_target *t);
/* status.c: the status, as an object and as JSON text (malloc'd; flags:
 * jansson's JSON_COMPACT or JSON_INDENT(2)). */
json_t *agent_status_object(struct agent *a);
char *agent_status_text(struct agent *a, size_t flags);
/* metrics.c: the Prometheus text exposition (malloc'd), or NULL, from
 * the agent's counters and its status object. */
char *agent_metrics(const struct agent *a, json_t *status);

#endif
