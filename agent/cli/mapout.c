/* SPDX-License-Identifier: BSD-2-Clause */
#include "agent/cli/mapout.h"

#include <netinet/in.h>
#include <stdio.h>

#include <jansson.h>

#include "agent/cli/maplist.h"
#include "agent/diagnosis/verdict.h"
#include "lib/names.h"

static json_t *
mapout_addr(const struct netaddr *a)
{
	char t[ADDR_STRLEN];

	return a->family ? json_string(addr_ntop(a, t, sizeof(t))) : json_null();
}

static void
mapout_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(j);
}

static json_t *
mapout_layer(const struct mapping_grant *g)
{
	return json_pack("{s:o, s:s, s:o, s:i, s:I}", "gateway",
	    mapout_addr(&g->gateway), "via", via_name(g->via), "external_address",
	    mapout_addr(&g->external), "external_port", g->external_port,
	    "lifetime", (json_int_t)g->lifetime);
}

/* What a hairpin check found, and the fix when the router loops nothing
 * back; fix is "" otherwise. */
static const char *
mapout_hairpin(const struct mapctl *c, const struct mapping_grant *g,
    const struct hairpin_result *hp, char *fix, size_t len)
{
	fix[0] = '\0';
	if (hp == NULL)
		return NULL;
	if (hp->kind == HAIRPIN_NO)
		advice_local_dns(fix, len, c->name, &g->internal);
	return hairpin_name(hp->kind);
}

static void
mapout_hairpin_text(const struct hairpin_result *hp, const char *fix)
{
	char p[ADDR_STRLEN];

	if (hp == NULL)
		return;
	addr_ntop(&hp->public, p, sizeof(p));
	if (hp->kind == HAIRPIN_YES)
		printf("From this LAN too: the router loops %s:%u back (NAT "
		    "loopback).\n", p, hp->port);
	else if (hp->kind == HAIRPIN_UNKNOWN)
		printf("From this LAN: not known whether %s:%u loops back (the "
		    "router itself answers on port %u).\n", p, hp->port, hp->port);
	else
		printf("From this LAN, %s:%u does not answer (%s): the router has "
		    "no NAT loopback, so the name works from outside only. %s\n",
		    p, hp->port, hp->detail, fix);
}

void
mapout_grant(const struct mapctl *c, const struct mapping_grant *g,
    const struct mapping_grant *outer, const struct hairpin_result *hp)
{
	const struct mapping_grant *out = outer ? outer : g;
	char ext[ADDR_PORT_STRLEN + 32], gw[ADDR_STRLEN], in[ADDR_PORT_STRLEN];
	char fix[600];
	const char *loop = mapout_hairpin(c, g, hp, fix, sizeof(fix));
	json_t *layers;

	if (c->json) {
		layers = json_pack("[o]", mapout_layer(g));
		if (outer)
			json_array_append_new(layers, mapout_layer(outer));
		mapout_json(json_pack("{s:b, s:s, s:i, s:o, s:o, s:i, s:s, s:o, s:I, s:o, s:b, s:o, s:o}",
		    "ok", 1, "protocol", proto_name(c->spec.protocol),
		    "internal_port", c->spec.internal_port,
		    "internal_address", mapout_addr(&g->internal),
		    "external_address", mapout_addr(&out->external),
		    "external_port", out->external_port, "via", via_name(g->via),
		    "gateway", mapout_addr(&g->gateway),
		    "lifetime", (json_int_t)g->lifetime, "layers", layers,
		    "pinhole", g->gateway.family == AF_INET6,
		    "hairpin", loop ? json_string(loop) : json_null(),
		    "hairpin_fix", fix[0] ? json_string(fix) : json_null()));
		return;
	}
	if (out->external.family)
		addr_ntop_port(&out->external, out->external_port, ext, sizeof(ext));
	else	/* the router named no address a host can hold */
		snprintf(ext, sizeof(ext), "an unknown address, port %u",
		    out->external_port);
	printf("%s/%s is reachable at %s (%svia %s on %s, lease %s%u s",
	    addr_ntop_port(&g->internal, c->spec.internal_port, in, sizeof(in)),
	    proto_name(c->spec.protocol), ext, g->gateway.family == AF_INET6 ?
	    "a pinhole in the router's IPv6 firewall, " : "", via_name(g->via),
	    addr_ntop(&g->gateway, gw, sizeof(gw)), g->lifetime ? "" :
	    "permanent, ", g->lifetime);
	if (outer)
		printf("; then via %s on the upstream router %s, port %u",
		    via_name(outer->via), addr_ntop(&outer->gateway, gw,
		    sizeof(gw)), outer->external_port);
	printf(")\n");
	mapout_hairpin_text(hp, fix);
}

void
mapout_error(const struct mapctl *c, const struct mapping_grant *g,
    const char *what)
{
	char gw[ADDR_STRLEN], hint[1024] = "";

	if (g->no_public_address)
		snprintf(hint, sizeof(hint), "the router at %s has no public "
		    "address: another NAT sits in front of it. %s",
		    addr_ntop(&g->gateway, gw, sizeof(gw)), what ? what :
		    "`homereach diagnose` says what to do");
	if (c->json) {
		mapout_json(json_pack("{s:b, s:s, s:i, s:s, s:b, s:s}", "ok", 0,
		    "protocol", proto_name(c->spec.protocol), "internal_port",
		    c->spec.internal_port, "error", g->error, "no_public_address",
		    g->no_public_address, "hint", hint));
		return;
	}
	fprintf(stderr, "homereach map: %u/%s: no gateway could %s it (%s)\n",
	    c->spec.internal_port, proto_name(c->spec.protocol),
	    c->cmd == MAPCTL_DEL ? "remove" : "map", g->error);
	if (hint[0])
		fprintf(stderr, "homereach map: %s\n", hint);
}

void
mapout_removed(const struct mapctl *c, const struct map_record *m)
{
	char ext[ADDR_PORT_STRLEN];

	if (c->json)
		mapout_json(json_pack("{s:b, s:s, s:i, s:i, s:b}", "ok", 1,
		    "protocol", proto_name(m->protocol), "internal_port",
		    m->internal_port, "external_port", m->external_port, "pinhole",
		    m->gateway.family == AF_INET6));
	else if (m->gateway.family == AF_INET6)
		printf("removed %u/%s (the pinhole to %s)\n", m->internal_port,
		    proto_name(m->protocol), addr_ntop_port(&m->external,
		    m->external_port, ext, sizeof(ext)));
	else
		printf("removed %u/%s (external port %u)\n", m->internal_port,
		    proto_name(m->protocol), m->external_port);
}

static int64_t
mapout_left(const struct map_record *m, int64_t now)
{
	int64_t left = m->granted_at + m->lifetime - now;

	return m->lifetime == 0 ? -1 : left < 0 ? 0 : left;
}

static const char *
mapout_said(const struct maplist_router *r)
{
	return r->said == MAPLIST_HAS_IT ? "has it" : r->said == MAPLIST_GONE ?
	    "gone" : "not asked";
}

static json_t *
mapout_list_entry(const struct map_record *m, const struct maplist_router *r,
    int64_t now)
{
	const char *via = m->via == VIA_ANY ? "pending" : via_name(m->via);

	return json_pack("{s:s, s:i, s:o, s:i, s:s, s:o, s:I, s:i, s:b, s:s, s:s?}",
	    "protocol", proto_name(m->protocol), "internal_port",
	    m->internal_port, "external_address", mapout_addr(&m->external),
	    "external_port", m->external_port, "via", via, "gateway",
	    mapout_addr(&m->gateway), "lease_left", (json_int_t)(r->said ==
	    MAPLIST_GONE ? 0 : mapout_left(m, now)), "kept_by", m->owner_pid,
	    "pinhole", m->gateway.family == AF_INET6, "router", mapout_said(r),
	    "router_said", r->said == MAPLIST_GONE ? r->detail : NULL);
}

/* The state's records, each with what its router said (a UPnP router is
 * asked; a gone mapping has no lease left, whatever was granted). */
void
mapout_list(const struct mapctl *c, const struct state *st,
    const struct maplist_router *router, int64_t now)
{
	json_t *list = json_array();
	char gw[ADDR_STRLEN];

	if (!c->json)
		printf("%-10s %-22s %-7s %-16s %-10s %-9s %s\n", "PORT", "EXTERNAL",
		    "VIA", "GATEWAY", "LEASE LEFT", "ROUTER", "KEPT BY");
	for (int i = 0; i < st->nmaps; i++) {
		const struct map_record *m = &st->maps[i];
		const struct maplist_router *r = &router[i];
		char port[16], where[ADDR_PORT_STRLEN], left[16] = "permanent";
		if (c->json) {
			json_array_append_new(list, mapout_list_entry(m, r, now));
			continue;
		}
		snprintf(port, sizeof(port), "%u/%s", m->internal_port,
		    proto_name(m->protocol));
		addr_ntop_port(&m->external, m->external_port, where,
		    sizeof(where));
		if (r->said == MAPLIST_GONE)
			snprintf(left, sizeof(left), "-");
		else if (mapout_left(m, now) >= 0)
			snprintf(left, sizeof(left), "%llds",
			    (long long)mapout_left(m, now));
		printf("%-10s %-22s %-7s %-16s %-10s %-9s %s\n", port, where,
		    m->via == VIA_ANY ? "pending" : via_name(m->via),
		    addr_ntop(&m->gateway, gw, sizeof(gw)), left, mapout_said(r),
		    m->owner_pid ? "running process" : "-");
		if (r->said == MAPLIST_GONE)
			printf("  the router no longer has it: %s\n", r->detail);
	}
	if (c->json)
		mapout_json(list);
	else
		json_decref(list);
}
