/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's side of the relay ([relay], nat/relayway.c): IPv4 services
 * go through it when nothing better opens them (in this order: a public
 * address or a mapping, the carrier's PCP, a held port, then the relay),
 * and come back when something better does: after each full check, and
 * when the carrier test has spoken.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "lib/log.h"
#include "lib/netif.h"
#include "lib/resolve.h"
#include "nat/relayway.h"

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

/* The tunnel's making, from the [relay] section; -1 said. */
static int
relay_params(const struct agent *a, struct relayway_params *p)
{
	const struct relay_home_config *c = &a->cfg->relay_home;
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

void
relay_consider(struct agent *a)
{
	struct relayway_params p;
	struct netaddr none = { 0 };
	bool want = a->cfg->relay_home.set && relay_needed(a) &&
	    relay_params(a, &p) == 0;
	char text[ADDR_STRLEN];

	struct netaddr server = want ? p.server : none;

	if (want)
		relayway_configure(&p);
	explicit_bzero(&p, sizeof(p));
	if (addr_equal(&a->ways.relay, &server))
		return;
	if (want)
		log_info("IPv4: nothing better opens it: each service goes through "
		    "the relay %s", addr_ntop(&server, text, sizeof(text)));
	else
		log_info("IPv4: a better way in than the relay: services leave it");
	a->ways.relay = server;
	services_apply(a->svc, a->cfg, &a->ways);
}
