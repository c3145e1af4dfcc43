/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPv6 way in, judged apart from IPv4's topology: no NAT stands in
 * the way, but the router's firewall does (RFC 6092). Which address
 * visitors reach (the host's own, or another if the router translates the
 * prefix: NPTv6, RFC 6296, or NAT66), whether the router opens pinholes,
 * and whether a port answers now. Pure.
 */
#include "agent/diagnosis/verdict.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/names.h"

#define verdict6_why(v, ...) \
	evidence_line((v)->why, &(v)->nwhy, VERDICT6_MAX_LINES, __VA_ARGS__)

static bool
verdict6_holds(const struct evidence *ev, const struct netaddr *a)
{
	for (int i = 0; i < ev->v6.naddrs; i++)
		if (addr_equal(&ev->v6.addrs[i].address, a))
			return true;
	return false;
}

static bool
verdict6_is_outside(const struct observation *o)
{
	return o->ok && o->over_ipv6 && o->address.family == AF_INET6 &&
	    (o->source == OBS_STUN || o->source == OBS_HTTP);
}

static bool
verdict6_asked_outside(const struct evidence *ev)
{
	for (int i = 0; i < ev->nobs; i++)
		if (ev->obs[i].over_ipv6)
			return true;
	return false;
}

/* Witnesses of a: the observers that see it, and this host if it holds
 * it. */
static int
verdict6_votes(const struct evidence *ev, const struct netaddr *a)
{
	int n = verdict6_holds(ev, a);

	for (int i = 0; i < ev->nobs; i++)
		n += verdict6_is_outside(&ev->obs[i]) &&
		    addr_equal(&ev->obs[i].address, a);
	return n;
}

/* The address with the most witnesses, if it has two and no rival as
 * many: one observer alone never names the way in. */
static void
verdict6_observed(const struct evidence *ev, struct verdict6 *v)
{
	const struct netaddr *best = NULL;
	int most = 0, tied = 0;
	char a[ADDR_STRLEN];

	for (int i = 0; i < ev->nobs; i++) {
		const struct observation *o = &ev->obs[i];
		int n;
		if (!verdict6_is_outside(o))
			continue;
		v->observers++;
		if (best != NULL && addr_equal(best, &o->address))
			continue;
		if ((n = verdict6_votes(ev, &o->address)) > most) {
			best = &o->address;
			most = n;
			tied = 0;
		} else if (n == most) {
			tied++;
		}
	}
	if (best == NULL)
		return;
	addr_ntop(best, a, sizeof(a));
	if (tied > 0 || most < 2) {
		verdict6_why(v, tied ? "observers over IPv6 disagree, and no "
		    "address is taken" : "one observer sees %s, which this host "
		    "does not hold; a second witness is needed", a);
		return;
	}
	v->public_v6 = *best;
	v->translated = !verdict6_holds(ev, best);
	if (v->translated)
		verdict6_why(v, "outside observers see %s, an address this host "
		    "does not hold: the router translates the prefix (NPTv6 or "
		    "NAT66)", a);
	else
		verdict6_why(v, "outside observers see this host's own address "
		    "%s: no translation on the way", a);
}

static void
verdict6_pinholes(const struct evidence *ev, struct verdict6 *v)
{
	const struct ipv6_evidence *e = &ev->v6;

	if (e->pcp.answered && e->pcp.can_map)
		v->pinhole_via = "pcp";
	else if (e->igd.answered && e->igd.can_map)
		v->pinhole_via = "upnp";
	if (v->pinhole_via == NULL && e->router.family != 0)
		snprintf(v->pinhole_why, sizeof(v->pinhole_why), "PCP: %s; "
		    "UPnP IGDv2: %s", e->pcp.detail[0] ? e->pcp.detail :
		    "no answer", e->igd.detail[0] ? e->igd.detail : "no answer");
}

void
verdict6_decide(const struct evidence *ev, struct verdict6 *v)
{
	memset(v, 0, sizeof(*v));
	if (!ev->v6.asked)
		return;
	v->host = ev->global_ipv6;
	verdict6_observed(ev, v);
	verdict6_pinholes(ev, v);
	if (ev->v6.naddrs == 0)
		v->kind = V6_NO_ADDRESS;
	else if (v->observers == 0 && verdict6_asked_outside(ev))
		v->kind = V6_NO_INTERNET;
	else if (ev->v6.inbound.asked && !strcmp(ev->v6.inbound.result, "open"))
		v->kind = V6_OPEN;
	else if (ev->v6.inbound.asked && strcmp(ev->v6.inbound.result, "error"))
		v->kind = V6_BLOCKED;
	else
		v->kind = V6_UNCHECKED;
}

const char *
verdict6_name(enum v6_kind kind)
{
	static const char *const names[] = { "not-asked", "no-address",
	    "no-internet", "open", "blocked", "unchecked" };
	return NAME_OF(names, kind, "unknown");
}
