/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The verdict compares three views of the address: what this host holds,
 * what the home router says its WAN address is, and what outside observers
 * see. Where routers are silent, the hop after the home router decides.
 */
#include "agent/diagnosis/verdict.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/names.h"

const char *
verdict_name(enum verdict_kind kind)
{
	static const char *const names[] = { "public", "single-nat", "double-nat",
	    "cgnat", "no-internet", "unknown", "ds-lite" };
	return NAME_OF(names, kind, "unknown");
}

bool
verdict_ipv4_shared(enum verdict_kind kind)
{
	return kind == V_CGNAT || kind == V_DSLITE;
}

static bool
verdict_is_outside(const struct observation *o)
{
	return o->ok && o->address.family == AF_INET &&
	    (o->source == OBS_STUN || o->source == OBS_HTTP);
}

static bool
verdict_host_holds(const struct evidence *ev, const struct netaddr *a)
{
	for (int i = 0; i < ev->nobs; i++)
		if (ev->obs[i].source == OBS_INTERFACE && ev->obs[i].ok &&
		    addr_equal(&ev->obs[i].address, a))
			return true;
	return false;
}

/* A public IPv4 address some witness vouches for: an outside observer, or
 * this host holding it on an interface. */
static bool
verdict_is_candidate(const struct observation *o)
{
	return verdict_is_outside(o) || (o->source == OBS_INTERFACE && o->ok &&
	    o->address.family == AF_INET && addr_is_public(&o->address));
}

static int
verdict_votes(const struct evidence *ev, const struct netaddr *a)
{
	int n = verdict_host_holds(ev, a);

	for (int i = 0; i < ev->nobs; i++)
		n += verdict_is_outside(&ev->obs[i]) &&
		    addr_equal(&ev->obs[i].address, a);
	return n;
}

/* Among the candidates with the most votes, the one the home router
 * claims as its WAN address, if exactly one; else NULL. */
static const struct netaddr *
verdict_tie_break(const struct evidence *ev, const struct verdict *v,
    int best)
{
	const struct netaddr *wan = v->home ? evidence_gateway_wan(v->home) : NULL;

	if (wan == NULL || !addr_is_public(wan) || verdict_votes(ev, wan) != best)
		return NULL;
	return wan;
}

/*
 * The public address: the one with the most witnesses (outside observers,
 * and the host's own interface address). One observer alone never
 * outvotes the rest: a tie is broken only by the home router's own claim,
 * else no address is taken. Returns the winner's votes, 0 when no outside
 * observer answered, -1 for a tie.
 */
static int
verdict_observed(const struct evidence *ev, struct verdict *v)
{
	int best = 0, total = 0, tied = 0;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const struct netaddr *rival = NULL, *wan;

	for (int i = 0; i < ev->nobs; i++) {
		const struct observation *o = &ev->obs[i];
		int n;
		total += verdict_is_outside(o);
		if (!verdict_is_candidate(o) || (n = verdict_votes(ev,
		    &o->address)) < best || addr_equal(&o->address, &v->public_v4))
			continue;
		tied = n == best ? tied + 1 : 0;
		if (n == best)
			rival = &o->address;
		else
			v->public_v4 = o->address;
		best = n;
	}
	if (total == 0) {
		memset(&v->public_v4, 0, sizeof(v->public_v4));
		return 0;
	}
	if (tied == 0) {
		if (best < total + verdict_host_holds(ev, &v->public_v4))
			verdict_add_why(v, "witnesses disagree: %d of %d see %s",
			    best, total + verdict_host_holds(ev, &v->public_v4),
			    addr_ntop(&v->public_v4, a, sizeof(a)));
		return best;
	}
	if ((wan = verdict_tie_break(ev, v, best)) != NULL) {
		verdict_add_why(v, "witnesses disagree, %d each; the home router's "
		    "own claim, %s, decides", best, addr_ntop(wan, a, sizeof(a)));
		v->public_v4 = *wan;
		return best;
	}
	verdict_add_why(v, "witnesses disagree: %s and %s have %d each, and no "
	    "address is taken", addr_ntop(&v->public_v4, a, sizeof(a)),
	    addr_ntop(rival, b, sizeof(b)), best);
	memset(&v->public_v4, 0, sizeof(v->public_v4));
	return -1;
}

static void
verdict_set(struct verdict *v, enum verdict_kind kind, int layers)
{
	v->kind = kind;
	v->nat_layers = layers;
}

/* A home router that names its WAN address. */
static void
verdict_from_wan(const struct evidence *ev, struct verdict *v,
    const struct netaddr *wan)
{
	char w[ADDR_STRLEN], p[ADDR_STRLEN];
	enum addr_scope scope = addr_classify(wan);
	const struct netaddr *up_wan = v->upstream ?
	    evidence_gateway_wan(v->upstream) : NULL;

	addr_ntop(wan, w, sizeof(w));
	addr_ntop(&v->public_v4, p, sizeof(p));
	(void)ev;
	if (addr_is_dslite(wan)) {
		verdict_add_why(v, "the home router's WAN address %s is a DS-Lite "
		    "B4 address (192.0.0.0/29, RFC 6333): its IPv4 goes through "
		    "a tunnel to the ISP's AFTR, which NATs it; outside observers "
		    "see %s", w, p);
		verdict_set(v, V_DSLITE, 1);
	} else if (addr_equal(wan, &v->public_v4) && up_wan != NULL &&
	    addr_equal(up_wan, wan)) {
		verdict_add_why(v, "the home router and the upstream router both "
		    "claim %s: the upstream router holds it, and the home router "
		    "was told it (a declared external address)", w);
		verdict_set(v, V_DOUBLE_NAT, 2);
	} else if (addr_equal(wan, &v->public_v4)) {
		verdict_add_why(v, "the home router's WAN address %s is the "
		    "address outside observers see", w);
		verdict_set(v, V_SINGLE_NAT, 1);
	} else if (scope == ADDR_SHARED) {
		verdict_add_why(v, "the home router's WAN address %s is "
		    "carrier-grade NAT space (RFC 6598); outside observers see %s",
		    w, p);
		verdict_set(v, V_CGNAT, 2);
	} else if (up_wan != NULL && addr_classify(up_wan) == ADDR_SHARED) {
		verdict_add_why(v, "the home router's WAN address %s is %s and "
		    "the upstream router's WAN address is carrier-grade NAT space "
		    "(RFC 6598)", w, addr_scope_name(scope));
		verdict_set(v, V_CGNAT, 3);
	} else if (scope != ADDR_PUBLIC) {
		verdict_add_why(v, "the home router's WAN address %s is %s "
		    "(%s); outside observers see %s", w, addr_scope_name(scope),
		    addr_rfc(wan), p);
		verdict_set(v, V_DOUBLE_NAT, up_wan && !addr_is_public(up_wan)
		    ? 3 : 2);
	} else {
		verdict_add_why(v, "the home router reports the public WAN "
		    "address %s but outside observers see %s: a NAT the router "
		    "cannot see sits in front of it", w, p);
		verdict_set(v, V_DOUBLE_NAT, 2);
	}
}

/*
 * The NATs the path shows after the home router, up to the first public
 * hop: each private router before the carrier (an ISP box), and the
 * carrier's network (shared space, RFC 6598, or DS-Lite's AFTR at
 * 192.0.0.1) once, however many of its routers answer. Hops after the first public one are the ISP's core,
 * whatever their addresses. Fills the index of the first carrier hop
 * (-1: none) and of the first public one (-1: none answered).
 */
static int
verdict_path_nats(const struct evidence *ev, int *carrier, int *public_hop)
{
	int n = 0;

	*carrier = *public_hop = -1;
	for (int i = 1; i < ev->nhops && *public_hop < 0; i++) {
		enum addr_scope s = ev->hops[i].family ?
		    addr_classify(&ev->hops[i]) : ADDR_RESERVED;
		if (ev->hops[i].family == 0)
			continue;
		if (s == ADDR_PUBLIC)
			*public_hop = i;
		else if ((s == ADDR_SHARED || addr_is_dslite(&ev->hops[i])) &&
		    *carrier < 0)
			*carrier = i;	/* a carrier NAT, or DS-Lite's AFTR */
		else if (s == ADDR_PRIVATE && *carrier < 0)
			n++;
	}
	return n + (*carrier >= 0);
}

/* DS-Lite (RFC 6333): the home router sends IPv4 through a tunnel to the
 * ISP's AFTR, which NATs it with every other customer's; the home router
 * itself need not NAT. */
static void
verdict_dslite_hop(const struct evidence *ev, struct verdict *v, int hop,
    int nats)
{
	char h[ADDR_STRLEN];

	verdict_add_why(v, "hop %d, %s, is a DS-Lite AFTR address "
	    "(192.0.0.0/29, RFC 6333): IPv4 goes through a tunnel to the ISP, "
	    "which NATs it", hop + 1, addr_ntop(&ev->hops[hop], h, sizeof(h)));
	verdict_set(v, V_DSLITE, nats);
}

/* Routers silent about their WAN: the path after the home router decides. */
static void
verdict_from_hops(const struct evidence *ev, struct verdict *v)
{
	char h[ADDR_STRLEN];
	int carrier, public_hop, nats = verdict_path_nats(ev, &carrier,
	    &public_hop);

	if (nats == 0 && public_hop < 0) {
		verdict_add_why(v, "no router named its WAN address and no "
		    "hop after the home router answered");
		verdict_set(v, V_UNKNOWN, -1);
	} else if (nats == 0) {
		verdict_add_why(v, "the first hop after the home router that "
		    "answered, %s, is public: one NAT, at the home router",
		    addr_ntop(&ev->hops[public_hop], h, sizeof(h)));
		verdict_set(v, V_SINGLE_NAT, 1);
	} else if (carrier >= 0 && addr_is_dslite(&ev->hops[carrier])) {
		verdict_dslite_hop(ev, v, carrier, nats);
	} else if (carrier >= 0) {
		verdict_add_why(v, "hop %d, %s, is in carrier-grade NAT space "
		    "(RFC 6598)", carrier + 1, addr_ntop(&ev->hops[carrier], h,
		    sizeof(h)));
		verdict_set(v, V_CGNAT, 1 + nats);
	} else {
		verdict_add_why(v, "%d private router%s after the home router "
		    "before the internet: another NAT in front of it",
		    nats, nats == 1 ? "" : "s");
		verdict_set(v, V_DOUBLE_NAT, 1 + nats);
	}
}

/* The WAN claims named the topology; the path may show more of it: a
 * carrier NAT behind the ISP box, or more layers than the claims. */
static void
verdict_from_path(const struct evidence *ev, struct verdict *v)
{
	char h[ADDR_STRLEN];
	int carrier, public_hop, nats = verdict_path_nats(ev, &carrier,
	    &public_hop);

	if (v->kind == V_SINGLE_NAT && carrier >= 0 &&
	    !addr_is_dslite(&ev->hops[carrier])) {
		verdict_add_why(v, "but hop %d, %s, is in carrier-grade NAT "
		    "space (RFC 6598): the home router names the carrier's "
		    "address (it was told it, or found it by STUN), and the "
		    "carrier's NAT is in front of it", carrier + 1,
		    addr_ntop(&ev->hops[carrier], h, sizeof(h)));
		verdict_set(v, V_CGNAT, 1 + nats);
		return;
	}
	if (v->kind != V_DOUBLE_NAT && v->kind != V_CGNAT)
		return;
	if (carrier >= 0 && addr_is_dslite(&ev->hops[carrier])) {
		verdict_dslite_hop(ev, v, carrier, nats);
		return;
	}
	if (carrier >= 0 && v->kind == V_DOUBLE_NAT) {
		verdict_add_why(v, "hop %d, %s, is in carrier-grade NAT space "
		    "(RFC 6598): the ISP's network is a NAT too", carrier + 1,
		    addr_ntop(&ev->hops[carrier], h, sizeof(h)));
		v->kind = V_CGNAT;
	}
	if (1 + nats > v->nat_layers)
		v->nat_layers = 1 + nats;
}

/* What the home router's own refusals say (miniupnpd answers this way when
 * its WAN address is private: NAT-PMP result 3, RFC 6886 section 3.5). */
static void
verdict_home_refusals(struct verdict *v)
{
	char a[ADDR_STRLEN];

	if (v->home == NULL || !v->home->natpmp.answered ||
	    v->home->natpmp.result != 3)
		return;
	verdict_add_why(v, "the home router at %s answers NAT-PMP with "
	    "\"network failure\": it has no public address to map on",
	    addr_ntop(&v->home->address, a, sizeof(a)));
}

static void
verdict_topology(const struct evidence *ev, struct verdict *v)
{
	char p[ADDR_STRLEN];
	const struct netaddr *wan = v->home ? evidence_gateway_wan(v->home) : NULL;

	addr_ntop(&v->public_v4, p, sizeof(p));
	if (verdict_host_holds(ev, &v->public_v4)) {
		verdict_add_why(v, "this host holds %s, the address outside "
		    "observers see", p);
		verdict_set(v, V_PUBLIC, 0);
	} else if (wan != NULL) {
		verdict_from_wan(ev, v, wan);
		verdict_from_path(ev, v);
	} else {
		verdict_home_refusals(v);
		verdict_from_hops(ev, v);
	}
}

/* The carrier's NAT among the gateways probed: its PCP server where it
 * maps, else an address in shared space (RFC 6598) or DS-Lite's AFTR. */
static const struct gateway *
verdict_carrier(const struct evidence *ev)
{
	const struct gateway *pcp = evidence_front_mapper(ev);

	if (pcp != NULL && pcp->role == GW_PCP)
		return pcp;	/* its PCP server, found without a hop */
	for (int i = 0; i < ev->ngateways; i++) {
		const struct gateway *g = &ev->gateways[i];
		if (g->role != GW_HOME && (addr_classify(&g->address) ==
		    ADDR_SHARED || addr_is_dslite(&g->address)))
			return g;
	}
	return NULL;
}

/* The home router maps: it says so, and does not answer NAT-PMP with
 * "network failure" (no public address to map on), as miniupnpd does
 * with a shared WAN address while its PCP still answers ANNOUNCE. */
static bool
verdict_home_maps(const struct verdict *v)
{
	return v->home != NULL && evidence_gateway_can_map(v->home) &&
	    !evidence_gateway_refuses(v->home);
}

/* Behind a carrier NAT that maps on request (PCP at the carrier, RFC 6887
 * section 1), straight after a home router that maps too: `map` maps on
 * both, as through any double NAT. */
static bool
verdict_carrier_maps(struct verdict *v)
{
	char c[ADDR_STRLEN];

	if (!verdict_ipv4_shared(v->kind) || v->carrier == NULL ||
	    !evidence_gateway_can_map(v->carrier))
		return false;
	if (v->carrier->role == GW_PCP)
		verdict_add_why(v, "the carrier's PCP server at %s maps ports on "
		    "request (found by DHCP or its anycast address, RFC 7723)",
		    addr_ntop(&v->carrier->address, c, sizeof(c)));
	else
		verdict_add_why(v, "the carrier's NAT at %s maps ports on request",
		    addr_ntop(&v->carrier->address, c, sizeof(c)));
	return (v->carrier == v->upstream || v->carrier->role == GW_PCP) &&
	    verdict_home_maps(v);
}

void
verdict_decide(const struct evidence *ev, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->home = evidence_role(ev, GW_HOME);
	v->upstream = evidence_role(ev, GW_UPSTREAM);
	v->carrier = verdict_carrier(ev);
	switch (verdict_observed(ev, v)) {
	case 0:
		verdict_add_why(v, "no outside observer (STUN or HTTP echo) "
		    "answered with a public address");
		verdict_set(v, V_NO_INTERNET, -1);
		break;
	case -1:
		verdict_set(v, V_UNKNOWN, -1);
		break;
	default:
		verdict_topology(ev, v);
	}
	if (ev->carrier_test.words[0])
		verdict_add_why(v, "the carrier's NAT, tested through the home "
		    "router: %s", ev->carrier_test.words);
	v->inbound_possible = v->kind == V_PUBLIC || (v->kind == V_SINGLE_NAT &&
	    v->home != NULL && evidence_gateway_can_map(v->home)) ||
	    verdict_carrier_maps(v) ||
	    ev->carrier_test.kind == CARRIER_FULL_CONE;
	verdict6_decide(ev, &v->v6);
	advice_decide(ev, v);
}

int
verdict_exit_code(const struct verdict *v)
{
	if (v->kind == V_NO_INTERNET)
		return 3;
	return v->inbound_possible ? 0 : 1;
}
