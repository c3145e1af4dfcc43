/* SPDX-License-Identifier: BSD-2-Clause */
/* Verdict and advice from recorded evidence, one case per topology. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/diagnosis/verdict.h"
#include "agent/diagnosis/way.h"

static void
obs(struct evidence *ev, enum obs_source src, const char *server,
    const char *address)
{
	struct observation *o = evidence_add_obs(ev, src, server);

	o->ok = address != NULL;
	if (address)
		addr_parse(address, &o->address);
	else
		snprintf(o->error, sizeof(o->error), "no answer");
}

static struct gateway *
gw(struct evidence *ev, const char *address, enum gw_role role)
{
	struct netaddr a;

	addr_parse(address, &a);
	return evidence_gateway(ev, &a, role);
}

static void
natpmp(struct gateway *g, int result, const char *wan)
{
	g->natpmp.asked = g->natpmp.answered = true;
	g->natpmp.result = result;
	if (wan) {
		addr_parse(wan, &g->natpmp.external);
		g->natpmp.can_map = addr_is_public(&g->natpmp.external);
	}
}

static void
hops(struct evidence *ev, const char *h1, const char *h2, const char *h3)
{
	const char *list[] = { h1, h2, h3 };

	for (int i = 0; i < 3 && list[i]; i++)
		addr_parse(list[i], &ev->hops[ev->nhops++]);
}

/* The home LAN every NAT case shares: host 192.168.1.10, outside 5.0.1.2. */
static void
home_lan(struct evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	addr_parse("192.168.1.10", &ev->lan_address);
	obs(ev, OBS_INTERFACE, "eth0", "192.168.1.10");
	obs(ev, OBS_STUN, "5.0.0.2:3478", "5.0.1.2");
	obs(ev, OBS_HTTP, "http://5.0.0.2/", "5.0.1.2");
}

static void
expect(const struct evidence *ev, enum verdict_kind kind, int layers,
    int exit_code, const char *advice_ids)
{
	struct verdict v;
	char ids[256] = "";

	verdict_decide(ev, &v);
	for (int i = 0; i < v.nadvice; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%s",
		    i ? " " : "", v.advice[i].id);
	if (v.kind != kind || v.nat_layers != layers ||
	    verdict_exit_code(&v) != exit_code || strcmp(ids, advice_ids) != 0)
		fail_msg("got %s/%d layers/exit %d/[%s] (%s), want %s/%d/%d/[%s]",
		    verdict_name(v.kind), v.nat_layers, verdict_exit_code(&v), ids,
		    v.nwhy ? v.why[0] : "", verdict_name(kind), layers, exit_code,
		    advice_ids);
}

static void
test_public(void **state)
{
	struct evidence ev = { 0 };

	(void)state;
	obs(&ev, OBS_INTERFACE, "eth0", "5.0.1.2");
	obs(&ev, OBS_STUN, "5.0.0.2:3478", "5.0.1.2");
	expect(&ev, V_PUBLIC, 0, 0, "none-needed");
}

static void
test_single_nat_mapping(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.2");
	expect(&ev, V_SINGLE_NAT, 1, 0, "none-needed port-redirect");
}

static void
test_single_nat_no_mapping(void **state)
{
	struct evidence ev;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	gw(&ev, "192.168.1.1", GW_HOME);
	hops(&ev, "192.168.1.1", "5.0.0.2", NULL);
	expect(&ev, V_SINGLE_NAT, 1, 1,
	    "enable-port-mapping manual-port-forward dmz port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[1].detail, "192.168.1.10"));
}

static void
test_double_nat_by_refusal_and_hop(void **state)
{
	struct evidence ev;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 3, NULL);
	gw(&ev, "192.168.0.1", GW_UPSTREAM);
	hops(&ev, "192.168.1.1", "192.168.0.1", "5.0.0.2");
	expect(&ev, V_DOUBLE_NAT, 2, 1, "bridge-mode twin-ip dmz manual-port-forward port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[0].detail, "192.168.0.1"));
	assert_non_null(strstr(v.why[0], "network failure"));
}

static void
test_double_nat_by_wan(void **state)
{
	struct evidence ev;
	struct gateway *up;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.168.0.2");
	up = gw(&ev, "192.168.0.1", GW_UPSTREAM);
	natpmp(up, 0, "5.0.1.2");
	snprintf(up->desc.model_name, sizeof(up->desc.model_name), "Speedlink 5000");
	expect(&ev, V_DOUBLE_NAT, 2, 1, "bridge-mode twin-ip dmz manual-port-forward port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[0].detail, "Speedlink 5000"));
	assert_non_null(strstr(v.advice[3].detail, "`homereach map`"));
}

static void
test_triple_nat(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.168.0.2");
	natpmp(gw(&ev, "192.168.0.1", GW_UPSTREAM), 0, "10.0.0.2");
	expect(&ev, V_DOUBLE_NAT, 3, 1, "bridge-mode twin-ip dmz manual-port-forward port-redirect");
}

static void
test_cgnat_by_wan(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "100.64.0.2");
	expect(&ev, V_CGNAT, 2, 1, "request-public-ip use-ipv6 relay");
}

static void
test_cgnat_by_hop(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 3, NULL);
	hops(&ev, "192.168.1.1", "100.64.0.1", "5.0.0.2");
	expect(&ev, V_CGNAT, 2, 1, "request-public-ip use-ipv6 relay");
}

static void
test_cgnat_behind_isp_box(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.168.0.2");
	natpmp(gw(&ev, "192.168.0.1", GW_UPSTREAM), 0, "100.70.1.2");
	expect(&ev, V_CGNAT, 3, 1,
	    "request-public-ip use-ipv6 bridge-mode relay");
}

/* A home router told the outer address (miniupnpd's ext_ip=) behind an ISP
 * box that claims the same address: two NATs, not one. */
static void
test_declared_address(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.2");
	natpmp(gw(&ev, "192.168.0.1", GW_UPSTREAM), 0, "5.0.1.2");
	expect(&ev, V_DOUBLE_NAT, 2, 1, "bridge-mode twin-ip dmz manual-port-forward port-redirect");
	/* Twin IP: the ISP box routes and claims nothing. */
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.2");
	gw(&ev, "192.168.0.1", GW_UPSTREAM);
	expect(&ev, V_SINGLE_NAT, 1, 0, "none-needed port-redirect");
}

static void
test_hidden_nat(void **state)
{
	struct evidence ev;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.3");
	expect(&ev, V_DOUBLE_NAT, 2, 1, "bridge-mode twin-ip dmz manual-port-forward port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.why[0], "cannot see"));
}

static void
test_no_internet(void **state)
{
	struct evidence ev = { 0 };

	(void)state;
	obs(&ev, OBS_INTERFACE, "eth0", "192.168.1.10");
	obs(&ev, OBS_STUN, "5.0.0.2:3478", NULL);
	obs(&ev, OBS_HTTP, "http://5.0.0.2/", NULL);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.2");
	expect(&ev, V_NO_INTERNET, -1, 3, "");
}

static void
test_observers_disagree(void **state)
{
	struct evidence ev;
	struct verdict v;
	char a[ADDR_STRLEN];

	(void)state;
	home_lan(&ev);
	obs(&ev, OBS_HTTP, "http://5.0.0.3/", "5.0.1.9");
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "5.0.1.2");
	verdict_decide(&ev, &v);
	assert_string_equal(addr_ntop(&v.public_v4, a, sizeof(a)), "5.0.1.2");
	assert_non_null(strstr(v.why[0], "disagree"));
	assert_int_equal(v.kind, V_SINGLE_NAT);
}

/* One observer alone never outvotes the rest: the vote, case by case.
 * Each witness is "SOURCE ADDRESS"; "-" for no home router claim. */
static void
test_votes(void **state)
{
	static const struct {
		const char *witnesses[4];
		const char *claim;
		const char *want;	/* "" no address taken */
		enum verdict_kind kind;
	} cases[] = {
		/* A lying STUN server against an echo and the host's own
		 * address (the audit's case): the two win. */
		{ { "stun 6.6.6.6", "http 5.0.1.2", "if 5.0.1.2" }, "-", "5.0.1.2", V_PUBLIC },
		{ { "http 5.0.1.2", "stun 6.6.6.6", "if 5.0.1.2" }, "-", "5.0.1.2", V_PUBLIC },
		/* One against one: the home router's claim decides... */
		{ { "stun 6.6.6.6", "http 5.0.1.2" }, "5.0.1.2", "5.0.1.2", V_SINGLE_NAT },
		{ { "stun 6.6.6.6", "stun 5.0.1.2" }, "5.0.1.2", "5.0.1.2", V_SINGLE_NAT },
		/* ...and without it, or claiming neither, nothing is taken. */
		{ { "stun 6.6.6.6", "http 5.0.1.2" }, "-", "", V_UNKNOWN },
		{ { "stun 6.6.6.6", "http 5.0.1.2" }, "5.0.1.7", "", V_UNKNOWN },
		{ { "stun 6.6.6.6", "if 5.0.1.2" }, "-", "", V_UNKNOWN },
		{ { "stun 6.6.6.6", "stun 5.0.1.2", "http 5.0.1.2" }, "-", "5.0.1.2", V_SINGLE_NAT },
		/* One observer, nobody against it: taken. */
		{ { "stun 5.0.1.2" }, "5.0.1.2", "5.0.1.2", V_SINGLE_NAT },
		{ { "stun 5.0.1.2", "if 192.168.1.10" }, "-", "5.0.1.2", V_SINGLE_NAT },
		/* The host's address alone is no outside view. */
		{ { "if 5.0.1.2" }, "-", "", V_NO_INTERNET },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		struct verdict v;
		char a[ADDR_STRLEN] = "";
		memset(&ev, 0, sizeof(ev));
		addr_parse("192.168.1.10", &ev.lan_address);
		for (int k = 0; k < 4 && cases[i].witnesses[k]; k++) {
			const char *w = cases[i].witnesses[k];
			enum obs_source src = w[0] == 's' ? OBS_STUN : w[0] == 'h' ?
			    OBS_HTTP : OBS_INTERFACE;
			obs(&ev, src, "witness", strchr(w, ' ') + 1);
		}
		if (strcmp(cases[i].claim, "-"))
			natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, cases[i].claim);
		else
			hops(&ev, "192.168.1.1", "5.0.1.1", NULL);
		verdict_decide(&ev, &v);
		if (v.public_v4.family)
			addr_ntop(&v.public_v4, a, sizeof(a));
		if (strcmp(a, cases[i].want) || v.kind != cases[i].kind)
			fail_msg("case %zu: got \"%s\" %s, want \"%s\" %s (%s)", i,
			    a, verdict_name(v.kind), cases[i].want,
			    verdict_name(cases[i].kind), v.nwhy ? v.why[0] : "");
	}
}

static void
test_unknown(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	gw(&ev, "192.168.1.1", GW_HOME);
	expect(&ev, V_UNKNOWN, -1, 1, "enable-port-mapping manual-port-forward dmz");
}

static void
test_ipv6_advice(void **state)
{
	struct evidence ev;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	ev.has_global_ipv6 = true;
	addr_parse("2a01:4f8::10", &ev.global_ipv6);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.168.0.2");
	expect(&ev, V_DOUBLE_NAT, 2, 1,
	    "bridge-mode twin-ip dmz manual-port-forward use-ipv6 port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[4].detail, "2a01:4f8::10"));
}

/*
 * The path, from recorded hop evidence (TTL 1 first, "*" silent): every
 * NAT up to the first public hop counts, the carrier's network once;
 * whatever comes after the first public hop (an ISP's core on private or
 * shared addresses) counts for nothing. wan: the home router's claim
 * (NULL: it names none).
 */
struct path_case {
	const char *name;
	const char *hops[HOP_MAX + 1];
	const char *wan;
	enum verdict_kind kind;
	int layers;
};

static const struct path_case path_cases[] = {
	{ "one NAT, core routers on private and shared addresses after the "
	    "first public hop", { "192.168.1.1", "5.0.1.1", "10.0.0.1",
	    "100.64.7.1", "172.16.0.1", "5.0.0.2", NULL }, NULL, V_SINGLE_NAT, 1 },
	{ "the same, the home router naming its public WAN", { "192.168.1.1",
	    "5.0.1.1", "10.0.0.1", "100.64.7.1", NULL }, "5.0.1.2",
	    V_SINGLE_NAT, 1 },
	{ "a silent hop before the first public one", { "192.168.1.1", "*",
	    "5.0.1.1", "100.64.0.9", NULL }, NULL, V_SINGLE_NAT, 1 },
	{ "home router, ISP box, carrier NAT", { "192.168.1.1", "192.168.0.1",
	    "100.64.0.1", "5.0.0.2", NULL }, NULL, V_CGNAT, 3 },
	{ "the same, the home router naming its private WAN", { "192.168.1.1",
	    "192.168.0.1", "100.64.0.1", "5.0.0.2", NULL }, "192.168.0.2",
	    V_CGNAT, 3 },
	{ "the carrier's network of several routers counts once",
	    { "192.168.1.1", "192.168.0.1", "100.64.0.1", "100.64.9.1",
	    "10.20.0.1", "5.0.0.2", NULL }, NULL, V_CGNAT, 3 },
	{ "carrier NAT directly", { "192.168.1.1", "100.64.0.1", "5.0.0.2",
	    NULL }, "100.64.0.2", V_CGNAT, 2 },
	{ "two private routers", { "192.168.1.1", "192.168.0.1", "10.0.0.1",
	    "5.0.0.2", NULL }, NULL, V_DOUBLE_NAT, 3 },
	{ "nothing after the home router", { "192.168.1.1", "*", "*", NULL },
	    NULL, V_UNKNOWN, -1 },
	{ "DS-Lite: the home router's WAN is the B4 address", { "192.168.1.1",
	    "192.0.0.1", "5.0.0.2", NULL }, "192.0.0.2", V_DSLITE, 1 },
	{ "DS-Lite: the AFTR on the path, the router silent", { "192.168.1.1",
	    "192.0.0.1", "5.0.0.2", NULL }, NULL, V_DSLITE, 1 },
	{ "DS-Lite behind an ISP box", { "192.168.1.1", "192.168.0.1",
	    "192.0.0.1", "5.0.0.2", NULL }, "192.168.0.2", V_DSLITE, 2 },
};

/* DS-Lite's advice: IPv6 first, then the line itself, then a relay. */
static void
test_dslite_advice(void **state)
{
	struct evidence ev;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.0.0.2");
	hops(&ev, "192.168.1.1", "192.0.0.1", "5.0.0.2");
	expect(&ev, V_DSLITE, 1, 1, "use-ipv6 request-public-ip relay");
}

/* PCP at the carrier (RFC 6887): the carrier's NAT straight after the home
 * router maps. Inbound works when the home router maps too; when it refuses
 * (its WAN address is shared space), the advice says what to set. */
static void
test_carrier_maps(void **state)
{
	struct evidence ev;
	struct gateway *home, *cgn;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	home = gw(&ev, "192.168.1.1", GW_HOME);
	natpmp(home, 3, NULL);
	home->pcp.can_map = true;	/* miniupnpd: ANNOUNCE answered */
	cgn = gw(&ev, "100.64.0.1", GW_UPSTREAM);
	natpmp(cgn, 0, "5.0.1.2");
	hops(&ev, "192.168.1.1", "100.64.0.1", "5.0.0.2");
	expect(&ev, V_CGNAT, 2, 1,
	    "carrier-pcp request-public-ip use-ipv6 port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[0].detail, "refuses"));
	assert_non_null(strstr(v.advice[0].detail, "ext_ip=5.0.1.2"));
	/* The home router told the public address (ext_ip=): both map. */
	natpmp(home, 0, "5.0.1.2");
	home->natpmp.can_map = true;
	expect(&ev, V_CGNAT, 2, 0,
	    "carrier-pcp request-public-ip use-ipv6 port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[0].detail, "`homereach map add PORT` "
	    "maps on the home router"));
	/* With IPv6 on this host, IPv6 comes before asking the ISP. */
	ev.has_global_ipv6 = true;
	addr_parse("2a05:5:1::10", &ev.global_ipv6);
	expect(&ev, V_CGNAT, 2, 0,
	    "carrier-pcp use-ipv6 request-public-ip port-redirect");
}

/* Behind an ISP box the carrier's NAT is further out: it maps, but not
 * through the box; bridge mode first. */
static void
test_carrier_behind_box(void **state)
{
	struct evidence ev;
	struct verdict v;

	(void)state;
	home_lan(&ev);
	natpmp(gw(&ev, "192.168.1.1", GW_HOME), 0, "192.168.0.2");
	gw(&ev, "192.168.0.1", GW_UPSTREAM);
	natpmp(gw(&ev, "100.64.0.1", GW_CARRIER), 0, "5.0.1.2");
	hops(&ev, "192.168.1.1", "192.168.0.1", "100.64.0.1");
	expect(&ev, V_CGNAT, 3, 1,
	    "carrier-pcp request-public-ip use-ipv6 bridge-mode port-redirect");
	verdict_decide(&ev, &v);
	assert_non_null(strstr(v.advice[0].detail, "bridge mode"));
}

/* The way out, node by node: every router up to the first public hop,
 * what each maps by, a refusal not taken for a mapping; and a router's
 * name that is markup stays text in the SVG. */
static void
test_way(void **state)
{
	struct evidence ev;
	struct verdict v;
	struct way_node n[WAY_MAX];
	struct gateway *home;
	char *svg = NULL;
	size_t len = 0;
	FILE *f;
	int count;

	(void)state;
	home_lan(&ev);
	home = gw(&ev, "192.168.1.1", GW_HOME);
	natpmp(home, 3, NULL);
	home->pcp.answered = home->pcp.can_map = true;
	snprintf(home->desc.model_name, sizeof(home->desc.model_name),
	    "<script>x</script>");
	gw(&ev, "192.168.0.1", GW_UPSTREAM);
	natpmp(gw(&ev, "100.64.0.1", GW_CARRIER), 0, "5.0.1.2");
	hops(&ev, "192.168.1.1", "192.168.0.1", "100.64.0.1");
	addr_parse("5.0.0.2", &ev.hops[ev.nhops++]);
	addr_parse("10.0.0.1", &ev.hops[ev.nhops++]);	/* ISP core: not shown */
	verdict_decide(&ev, &v);
	count = way_nodes(&ev, &v, n, WAY_MAX);
	assert_int_equal(count, 5);
	assert_string_equal(n[0].role, "this host");
	assert_string_equal(n[1].role, "home router");
	assert_int_equal(n[1].state, WAY_WARN);
	assert_non_null(strstr(n[1].detail, "maps nothing: no public address"));
	assert_string_equal(n[2].role, "ISP router");
	assert_int_equal(n[2].state, WAY_BAD);
	assert_string_equal(n[3].role, "carrier NAT");
	assert_non_null(strstr(n[3].detail, "maps by NAT-PMP"));
	assert_string_equal(n[4].role, "internet");
	assert_int_equal(n[4].state, WAY_BAD);
	f = open_memstream(&svg, &len);
	way_svg(f, n, count);
	fclose(f);
	assert_null(strstr(svg, "<script>"));
	assert_non_null(strstr(svg, "&lt;script&gt;x&lt;/script&gt;"));
	free(svg);
}

static void
test_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		const struct path_case *c = &path_cases[i];
		struct evidence ev;
		struct verdict v;
		struct gateway *home;

		home_lan(&ev);
		home = gw(&ev, "192.168.1.1", GW_HOME);
		if (c->wan != NULL)
			natpmp(home, 0, c->wan);
		for (int k = 0; c->hops[k] != NULL; k++)
			if (strcmp(c->hops[k], "*") == 0)
				ev.nhops++;
			else
				addr_parse(c->hops[k], &ev.hops[ev.nhops++]);
		verdict_decide(&ev, &v);
		if (v.kind != c->kind || v.nat_layers != c->layers)
			fail_msg("%s: got %s, %d layers (%s)", c->name,
			    verdict_name(v.kind), v.nat_layers,
			    v.nwhy ? v.why[v.nwhy - 1] : "");
	}
}

/*
 * The IPv6 way in, from recorded evidence: the host 2a01:4f8::10 (and a
 * temporary address), behind carrier NAT on IPv4. Each case: what the
 * observers over IPv6 saw, what the router offered, what the check server
 * said; the state, the address taken, and words the use-ipv6 advice must
 * hold.
 */
struct v6_case {
	const char *name;
	const char *seen[3];		/* IPv6 observers' answers; "-" none */
	bool pcp, igd;			/* the router offers pinholes by */
	const char *inbound;		/* the check server's result, or NULL */
	enum v6_kind kind;
	const char *public_v6;		/* "" none */
	bool translated;
	const char *advice;		/* in the use-ipv6 detail */
};

static const struct v6_case v6_cases[] = {
	{ "open", { "2a01:4f8::10", NULL }, true, false, "open", V6_OPEN,
	    "2a01:4f8::10", false, "reach [2a01:4f8::10]:8080/tcp now" },
	{ "firewall, PCP", { "2a01:4f8::10", NULL }, true, true, "no-answer",
	    V6_BLOCKED, "2a01:4f8::10", false,
	    "does not answer from outside (no-answer)" },
	{ "firewall, IGDv2 only", { "2a01:4f8::10", NULL }, false, true,
	    "no-answer", V6_BLOCKED, "2a01:4f8::10", false,
	    "(UPnP IGDv2): `homereach map add 8080/tcp`" },
	{ "firewall, no pinholes", { "2a01:4f8::10", NULL }, false, false,
	    "no-answer", V6_BLOCKED, "2a01:4f8::10", false,
	    "opens no pinholes on request (PCP: no answer; UPnP IGDv2: "
	    "no answer): allow the port" },
	{ "nothing listens", { "2a01:4f8::10", NULL }, true, false, "closed",
	    V6_BLOCKED, "2a01:4f8::10", false, "nothing listens there" },
	{ "not checked", { "2a01:4f8::10", NULL }, true, false, NULL,
	    V6_UNCHECKED, "2a01:4f8::10", false, "`homereach map add PORT`" },
	{ "translated, two witnesses", { "2a01:4f8:9::10", "2a01:4f8:9::10",
	    NULL }, false, false, NULL, V6_UNCHECKED, "2a01:4f8:9::10", true,
	    "translates this host's address 2a01:4f8::10 to 2a01:4f8:9::10" },
	{ "one stranger alone", { "2a01:4f8:9::10", NULL }, true, false, NULL,
	    V6_UNCHECKED, "", false, "`homereach map add PORT`" },
	{ "observers disagree", { "2a01:4f8:9::10", "2a01:4f8:8::10", NULL },
	    true, false, NULL, V6_UNCHECKED, "", false, "opens pinholes" },
	{ "the temporary address counts as the host's", { "2a01:4f8::99",
	    NULL }, true, false, NULL, V6_UNCHECKED, "2a01:4f8::99", false,
	    "opens pinholes" },
	{ "no IPv6 through", { "-", "-", NULL }, true, false, NULL,
	    V6_NO_INTERNET, "", false, "no outside observer answered over IPv6" },
};

static void
v6_evidence(struct evidence *ev, const struct v6_case *c)
{
	struct ipv6_evidence *e = &ev->v6;

	home_lan(ev);
	natpmp(gw(ev, "192.168.1.1", GW_HOME), 3, NULL);
	hops(ev, "192.168.1.1", "100.64.0.1", "5.0.0.2");
	ev->has_global_ipv6 = true;
	addr_parse("2a01:4f8::10", &ev->global_ipv6);
	e->asked = true;
	e->naddrs = 2;
	addr_parse("2a01:4f8::10", &e->addrs[0].address);
	addr_parse("2a01:4f8::99", &e->addrs[1].address);
	e->addrs[1].temporary = true;
	addr_parse("fe80::1", &e->router);
	e->pcp.answered = e->pcp.can_map = c->pcp;
	e->igd.answered = e->igd.can_map = c->igd;
	for (int i = 0; i < 3 && c->seen[i]; i++) {
		obs(ev, i ? OBS_HTTP : OBS_STUN, "v6", strcmp(c->seen[i], "-") ?
		    c->seen[i] : NULL);
		ev->obs[ev->nobs - 1].over_ipv6 = true;
	}
	if (c->inbound) {
		e->inbound = (struct inbound_check){ .asked = true, .port = 8080,
		    .proto = 6 };
		snprintf(e->inbound.result, sizeof(e->inbound.result), "%s",
		    c->inbound);
	}
}

static void
test_ipv6_way_in(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(v6_cases) / sizeof(v6_cases[0]); i++) {
		const struct v6_case *c = &v6_cases[i];
		struct evidence ev;
		struct verdict v;
		char pub[ADDR_STRLEN] = "";
		const char *detail = "";

		v6_evidence(&ev, c);
		verdict_decide(&ev, &v);
		if (v.v6.public_v6.family)
			addr_ntop(&v.v6.public_v6, pub, sizeof(pub));
		for (int k = 0; k < v.nadvice; k++)
			if (!strcmp(v.advice[k].id, "use-ipv6"))
				detail = v.advice[k].detail;
		if (v.kind != V_CGNAT || !addr_equal(&v.public_v4,
		    &ev.obs[1].address))
			fail_msg("%s: the IPv4 verdict moved: %s", c->name,
			    verdict_name(v.kind));
		if (v.v6.kind != c->kind || strcmp(pub, c->public_v6) ||
		    v.v6.translated != c->translated ||
		    strstr(detail, c->advice) == NULL)
			fail_msg("%s: got %s, \"%s\", translated %d, advice \"%s\"",
			    c->name, verdict6_name(v.v6.kind), pub,
			    v.v6.translated, detail);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_single_nat_mapping),
		cmocka_unit_test(test_single_nat_no_mapping),
		cmocka_unit_test(test_double_nat_by_refusal_and_hop),
		cmocka_unit_test(test_double_nat_by_wan),
		cmocka_unit_test(test_triple_nat),
		cmocka_unit_test(test_cgnat_by_wan),
		cmocka_unit_test(test_cgnat_by_hop),
		cmocka_unit_test(test_cgnat_behind_isp_box),
		cmocka_unit_test(test_declared_address),
		cmocka_unit_test(test_hidden_nat),
		cmocka_unit_test(test_no_internet),
		cmocka_unit_test(test_observers_disagree),
		cmocka_unit_test(test_votes),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_ipv6_advice),
		cmocka_unit_test(test_ipv6_way_in),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_dslite_advice),
		cmocka_unit_test(test_carrier_maps),
		cmocka_unit_test(test_carrier_behind_box),
		cmocka_unit_test(test_way),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
