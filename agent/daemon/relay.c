/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's side of the relays ([relay] sections, nat/relayway.c):
 * IPv4 services go through one when nothing better opens them (in this
 * order: a public address or a mapping, the carrier's PCP, a held port,
 * then the relay), and come back when something better does: after each
 * full check, and when the carrier test has spoken. The relay in use is
 * the first of the sections that has not stopped answering: it is asked
 * over the tunnel every few seconds (PCP ANNOUNCE, which only the
 * relay-server answers, through WireGuard); silent for RELAY_REKEY_MS,
 * its peer is made anew (a relay that restarted gets a handshake at
 * once); silent for RELAY_DEAD_MS, it is passed over for RELAY_AWAY_S and
 * the services and records move to the next, if there is one (the last
 * is kept, and asked, whatever it says).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "agent/daemon/timeline.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/netlink.h"
#include "lib/resolve.h"
#include "nat/gwprobe.h"
#include "nat/relayway.h"

#define RELAY_ASK_MS	2000	/* how often the relay in use is asked */
#define RELAY_REKEY_MS	3000	/* silent this long: its peer made anew
				 * (at each ask after) */
#define RELAY_DEAD_MS	10000	/* silent this long: stopped answering
				 * (if there is another to go to) */
#define RELAY_AWAY_S	600	/* then passed over this long */

/* Does nothing better open IPv4 to strangers? Unknown while the carrier
 * is being tested (a held port may come of it). */
static bool
relay_needed(const struct agent *a)
{
	bool blocked = verdict_ipv4_shared(a->kind) || a->ways.behind ||
	    (a->kind == V_SINGLE_NAT && !a->home_maps);

	return a->have_verdict && blocked && !a->ways.upstream.family &&
	    !a->ways.hold.family && !a->carrier.busy && !a->carrier.retest;
}

/* The tunnel's making, from [relay] section c; -1 said. */
static int
relay_params(const struct agent *a, const struct relay_home_config *c,
    struct relayway_params *p)
{
	char host[256], why[REASON_LEN];

	memset(p, 0, sizeof(*p));
	if (resolve_split(c->server, 51820, host, sizeof(host), &p->server_port,
	    why, sizeof(why)) < 0 || addr_parse(host, &p->server) < 0 ||
	    netif_source_for(&a->gateway, &p->lan) < 0) {
		log_warnx("relay: %s: no way to it from here", c->server);
		return -1;
	}
	snprintf(p->server_key, sizeof(p->server_key), "%s", c->server_key);
	snprintf(p->private_key, sizeof(p->private_key), "%s",
	    c->private_key.value);
	memcpy(p->address, c->address, 4);
	snprintf(p->interface, sizeof(p->interface), "%s", c->interface);
	return 0;
}

/* The first relay not passed over whose tunnel can be made: 1 + its
 * index, or 0. */
static int
relay_pick(struct agent *a, struct relayway_params *p)
{
	int64_t now = (int64_t)time(NULL);

	for (int i = 0; i < a->cfg->nrelays; i++)
		if (a->relay.dead_until[i] <= now &&
		    relay_params(a, &a->cfg->relays[i], p) == 0)
			return i + 1;
	return 0;
}

static void relay_on_timer(evutil_socket_t fd, short what, void *arg);

/* Is there a relay but i not passed over? Else i is kept, and asked. */
static bool
relay_other(const struct agent *a, int i)
{
	int64_t now = (int64_t)time(NULL);

	for (int j = 0; j < a->cfg->nrelays; j++)
		if (j != i && a->relay.dead_until[j] <= now)
			return true;
	return false;
}

/* Asked over the tunnel: an answer (PCP) is life. */
static void
relay_answered(const struct proto_finding *natpmp,
    const struct proto_finding *pcp, void *arg)
{
	struct agent *a = arg;

	(void)natpmp;
	if (pcp->answered)
		clock_gettime(CLOCK_MONOTONIC, &a->relay.answered);
}

static void
relay_watch(struct agent *a)
{
	if (a->relay.timer == NULL &&
	    (a->relay.timer = evtimer_new(a->base, relay_on_timer, a)) == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &a->relay.answered);
	loop_after(a->relay.timer, RELAY_ASK_MS);
}

/* The relay in use asked again; silent too long, the next one. */
static void
relay_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct netaddr tunnel;
	int64_t silent = clock_ms_since(&a->relay.answered);
	int i = a->relay.at - 1;

	(void)fd, (void)what;
	if (i < 0 || !a->ways.relay.family)
		return;
	if (silent >= RELAY_DEAD_MS && relay_other(a, i)) {
		log_warnx("relay %s: no answer for %d s: passed over for %d "
		    "minutes", a->cfg->relays[i].server, RELAY_DEAD_MS / 1000,
		    RELAY_AWAY_S / 60);
		a->relay.dead_until[i] = (int64_t)time(NULL) + RELAY_AWAY_S;
		a->ways.relay_dead = a->ways.relay;
		relay_consider(a);
		return;
	}
	if (silent >= RELAY_REKEY_MS)
		relayway_rekey();	/* restarted? a handshake at once */
	gwprobe_free(a->relay.probe);
	relayway_gateway(&tunnel);
	a->relay.probe = gwprobe_start(a->base, &tunnel, RELAY_ASK_MS / 2, false,
	    relay_answered, a);
	loop_after(a->relay.timer, RELAY_ASK_MS);
}

/* The timeline's event: the relay in use changed (from, to: "none"). */
static void
relay_said(struct agent *a, int at)
{
	const char *from = a->relay.server[0] ? a->relay.server : "none";
	const char *to = at ? a->cfg->relays[at - 1].server : "none";

	timeline_add(a->timeline, HAP_RELAY_CHANGED, NULL, from, to,
	    "the relay in use: %s -> %s", from, to);
	snprintf(a->relay.server, sizeof(a->relay.server), "%s", at ? to : "");
}

json_t *
relay_json(const struct agent *a)
{
	json_t *o = json_object(), *away = json_array();
	int64_t now = (int64_t)time(NULL);
	char ip[ADDR_STRLEN];

	for (int i = 0; i < a->cfg->nrelays; i++)
		if (a->relay.dead_until[i] > now)
			json_array_append_new(away, json_pack("{s:s, s:I}", "server",
			    a->cfg->relays[i].server, "until",
			    (json_int_t)a->relay.dead_until[i]));
	json_object_set_new(o, "passed_over", away);
	if (!a->relay.at)
		return o;
	json_object_set_new(o, "server", json_string(
	    a->cfg->relays[a->relay.at - 1].server));
	json_object_set_new(o, "address", json_string(addr_ntop(&a->ways.relay,
	    ip, sizeof(ip))));
	json_object_set_new(o, "answered_s_ago", json_integer(
	    clock_ms_since(&a->relay.answered) / 1000));
	return o;
}

void
relay_consider(struct agent *a)
{
	struct relayway_params p;
	struct netaddr none = { 0 };
	int at = relay_needed(a) ? relay_pick(a, &p) : 0;
	char text[ADDR_STRLEN];
	struct netaddr server = at ? p.server : none;

	relayway_configure(at ? &p : NULL);
	if (at && a->nl != NULL)	/* the tunnel's address: not the host's */
		netlink_ignore(a->nl, p.interface);
	explicit_bzero(&p, sizeof(p));
	if (addr_equal(&a->ways.relay, &server) && a->relay.at == at)
		return;
	if (at)
		log_info("IPv4: nothing better opens it: each service goes through "
		    "the relay %s", addr_ntop(&server, text, sizeof(text)));
	else if (a->ways.relay.family && relay_needed(a))
		log_warnx("IPv4: %s: services go without", a->cfg->nrelays ?
		    "no relay answers" : "no [relay] section any more");
	else if (a->ways.relay.family)
		log_info("IPv4: a better way in than the relay: services leave it");
	relay_said(a, at);
	a->relay.at = at;
	a->ways.relay = server;
	services_apply(a->svc, a->cfg, &a->ways);
	memset(&a->ways.relay_dead, 0, sizeof(a->ways.relay_dead));
	if (at)
		relay_watch(a);
}

void
relay_reload(struct agent *a, const struct config *old)
{
	int at = 0;

	for (int i = 0; a->relay.at && i < a->cfg->nrelays && !at; i++)
		if (!strcmp(a->cfg->relays[i].server,
		    old->relays[a->relay.at - 1].server))
			at = i + 1;	/* the one in use is still there */
	memset(a->relay.dead_until, 0, sizeof(a->relay.dead_until));
	a->relay.at = at;
	relay_consider(a);
}

void
relay_free(struct agent *a)
{
	gwprobe_free(a->relay.probe);
	a->relay.probe = NULL;
	loop_event_free(&a->relay.timer);
}
