/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's public IPv6 address: the one an outside observer confirms
 * (probes/seen6.c), never merely the one the kernel lists first. It is
 * what the AAAA records name and what pinholes open to, so it changes in
 * one place, here, and only when a new address is confirmed: until then
 * the old pinholes and records stay (a rogue router advertisement that
 * deprecates our prefix and offers its own changes nothing).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/daemon/agent.h"
#include "agent/diagnosis/diagnosis.h"
#include "lib/log.h"
#include "lib/netif.h"
#include "probes/seen6.h"

#define ADDR6_TIMEOUT_MS	2000

/* The one place the public IPv6 address changes: said, published
 * (visitors look the name up before they connect), then the pinholes. */
static void
addr6_set(struct agent *a, const struct netaddr *now, const char *why)
{
	char was[ADDR_STRLEN] = "none", is[ADDR_STRLEN] = "none";

	if (a->public_v6.family)
		addr_ntop(&a->public_v6, was, sizeof(was));
	if (now->family)
		addr_ntop(now, is, sizeof(is));
	log_info("public IPv6 %s -> %s (%s)", was, is, why);
	if (a->have_verdict)
		timeline_add(a->timeline, HAP_ADDRESS_CHANGED, "ipv6", was, is,
		    "public IPv6 %s -> %s", was, is);
	a->public_v6 = a->ways.host6 = *now;
	agent_ddns_for(a, why, &a->addr6.cause);
	if (!a->addr6.reclaimed && now->family) {	/* what a dead agent left */
		services_reclaim(a->svc, a->cfg, &a->ways, AF_INET6);
		a->addr6.reclaimed = true;
	}
	services_apply(a->svc, a->cfg, &a->ways);
}

/* Nothing confirmed: the address stays while the host still holds it;
 * gone, it is no longer published or opened to. */
static void
addr6_none(struct agent *a, const struct seen6_result *r)
{
	static const struct netaddr none;
	struct netif_addr6 all[NETIF_MAX];
	int n = netif_ipv6(all, NETIF_MAX);

	if (!r->asked && r->ncandidates > 0 && !a->addr6.said) {
		log_warnx("no observer can be asked over IPv6 ([probes] names "
		    "only IPv4 addresses): no AAAA record or pinhole without one");
		a->addr6.said = true;
	} else if (r->asked)
		log_info("none of %d IPv6 addresses of this host was seen from "
		    "outside in %d ms", r->ncandidates, r->ms);
	for (int i = 0; i < n; i++)
		if (addr_equal(&all[i].address, &a->public_v6))
			return;
	if (a->public_v6.family)
		addr6_set(a, &none, "this host no longer has it");
}

static void
addr6_on_seen(const struct seen6_result *r, void *arg)
{
	struct agent *a = arg;
	char is[ADDR_STRLEN];

	a->addr6.busy = false;
	if (a->addr6.again) {		/* the addresses changed meanwhile */
		a->addr6.again = false;
		addr6_confirm(a, a->addr6.why, &a->addr6.cause, true);
		return;
	}
	if (r->address.family == 0) {
		addr6_none(a, r);
		return;
	}
	log_debug("%s confirmed from outside in %d ms%s", addr_ntop(&r->address,
	    is, sizeof(is)), r->ms, r->deprecated ? " (deprecated)" : "");
	if (!addr_equal(&r->address, &a->public_v6))
		addr6_set(a, &r->address, a->addr6.why);
}

void
addr6_confirm(struct agent *a, const char *why, const struct timespec *cause,
    bool always)
{
	struct netif_addr6 all[NETIF_MAX];
	struct diagnosis_config dc = { 0 };
	int n;

	if (a->stopping)
		return;
	n = netif_ipv6(all, NETIF_MAX);
	if (!always && !seen6_stale(all, n, &a->public_v6))
		return;		/* a new address beside ours changes nothing */
	if (a->addr6.busy) {
		a->addr6.again = true;	/* asked anew when this one answers */
		snprintf(a->addr6.why, sizeof(a->addr6.why), "%s", why);
		return;
	}
	seen6_free(a->addr6.op);
	snprintf(a->addr6.why, sizeof(a->addr6.why), "%s", why);
	a->addr6.cause = *cause;
	diagnosis_observers(&dc, a->cfg);
	a->addr6.op = seen6_start(a->base, a->dns, dc.stun, dc.nstun, dc.echo,
	    dc.necho, &a->public_v6, ADDR6_TIMEOUT_MS, addr6_on_seen, a);
	a->addr6.busy = a->addr6.op != NULL;
}

void
addr6_free(struct agent *a)
{
	seen6_free(a->addr6.op);
	a->addr6.op = NULL;
}
