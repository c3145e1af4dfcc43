/*
 * The verdict compares three views of the address: what this host holds,
 * what the home router says its WAN address is, and what outside observers
 * see. Where routers are silent, the hop after the home router decides.
 */
#include "agent/diagnosis/verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/names.h"

const char *
verdict_name(enum verdict_kind kind)
{
	static const char *const names[] = { "public", "single-nat", "double-nat",
	    "cgnat", "no-internet", "unknown" };
	return NAME_OF(names, kind, "unknown");
}

void
verdict_add_why(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nwhy == VERDICT_MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(v->why[v->nwhy++], sizeof(v->why[0]), fmt, ap);
	va_end(ap);
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
	if (addr_equal(wan, &v->public_v4) && up_wan != NULL &&
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

/* Routers silent about their WAN: the hop after the home router decides. */
static void
verdict_from_hops(const struct evidence *ev, struct verdict *v)
{
	char h[ADDR_STRLEN];

	if (ev->nhops < 2 || ev->hops[1].family == 0) {
		verdict_add_why(v, "no router named its WAN address and the "
		    "hop after the home router did not answer");
		verdict_set(v, V_UNKNOWN, -1);
		return;
	}
	addr_ntop(&ev->hops[1], h, sizeof(h));
	switch (addr_classify(&ev->hops[1])) {
	case ADDR_PUBLIC:
		verdict_add_why(v, "the hop after the home router, %s, is "
		    "public: one NAT, at the home router", h);
		verdict_set(v, V_SINGLE_NAT, 1);
		break;
	case ADDR_SHARED:
		verdict_add_why(v, "the hop after the home router, %s, is in "
		    "carrier-grade NAT space (RFC 6598)", h);
		verdict_set(v, V_CGNAT, 2);
		break;
	default:
		verdict_add_why(v, "the hop after the home router, %s, is %s: "
		    "another router sits in front of it", h,
		    addr_scope_name(addr_classify(&ev->hops[1])));
		verdict_set(v, V_DOUBLE_NAT, 2);
	}
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
	} else {
		verdict_home_refusals(v);
		verdict_from_hops(ev, v);
	}
}

void
verdict_decide(const struct evidence *ev, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->home = evidence_role(ev, GW_HOME);
	v->upstream = evidence_role(ev, GW_UPSTREAM);
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
	v->inbound_possible = v->kind == V_PUBLIC || (v->kind == V_SINGLE_NAT &&
	    v->home != NULL && evidence_gateway_can_map(v->home));
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
