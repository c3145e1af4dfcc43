/* SPDX-License-Identifier: BSD-2-Clause */
/* Report: the verdict first, then the advice, then the evidence. */
#include "agent/diagnosis/report.h"

#include <netinet/in.h>
#include <string.h>

#include <jansson.h>

#include "agent/diagnosis/way.h"
#include "lib/names.h"

#define BOLD(c)		((c) ? "\033[1m" : "")
#define RED(c)		((c) ? "\033[31m" : "")
#define GREEN(c)	((c) ? "\033[32m" : "")
#define RESET(c)	((c) ? "\033[0m" : "")

static const char *
report_role(enum gw_role role)
{
	static const char *const names[] = { "home-router", "upstream-router",
	    "carrier-nat", "carrier-pcp-server" };
	return NAME_OF(names, role, "unknown");
}

/* Print text wrapped at 76 columns, each line indented. */
static void
report_wrap(FILE *out, const char *text, int indent)
{
	int col = indent;

	fprintf(out, "%*s", indent, "");
	while (*text) {
		size_t w = strcspn(text, " ");
		if (col > indent && col + 1 + (int)w > 76) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)w, text);
		col += (int)w;
		text += w;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

static void
report_finding(FILE *out, const char *name, const struct proto_finding *f)
{
	char a[ADDR_STRLEN];

	fprintf(out, "    %-9s %s", name, f->detail[0] ? f->detail : "not asked");
	if (f->external.family)
		fprintf(out, ", WAN address %s", addr_ntop(&f->external, a,
		    sizeof(a)));
	fputc('\n', out);
}

static void
report_gateways(FILE *out, const struct evidence *ev)
{
	char a[ADDR_STRLEN];

	if (ev->ngateways == 0)
		return;
	fprintf(out, "\nRouters:\n");
	for (int i = 0; i < ev->ngateways; i++) {
		const struct gateway *gw = &ev->gateways[i];
		fprintf(out, "  %s %s", report_role(gw->role),
		    addr_ntop(&gw->address, a, sizeof(a)));
		if (gw->desc.friendly_name[0])
			fprintf(out, " \"%s\" (%s %s)", gw->desc.friendly_name,
			    gw->desc.manufacturer, gw->desc.model_name);
		fputc('\n', out);
		report_finding(out, "UPnP-IGD:", &gw->upnp);
		report_finding(out, "NAT-PMP:", &gw->natpmp);
		report_finding(out, "PCP:", &gw->pcp);
	}
}

static void
report_observations(FILE *out, const struct evidence *ev)
{
	char a[ADDR_STRLEN];

	fprintf(out, "\nObservations:\n");
	for (int i = 0; i < ev->nobs; i++) {
		const struct observation *o = &ev->obs[i];
		fprintf(out, "  %-9s %-28s %s%s\n", evidence_source_name(o->source),
		    o->server, o->ok ? "" : "error: ",
		    o->ok ? addr_ntop(&o->address, a, sizeof(a)) : o->error);
	}
	if (ev->nhops > 0) {
		fprintf(out, "  %-9s", "hops");
		for (int i = 0; i < ev->nhops; i++)
			fprintf(out, " %s", ev->hops[i].family ?
			    addr_ntop(&ev->hops[i], a, sizeof(a)) : "*");
		fputc('\n', out);
	}
	if (ev->mapping != BEH_UNKNOWN || ev->filtering != BEH_UNKNOWN)
		fprintf(out, "  NAT behaviour: mapping %s, filtering %s\n",
		    evidence_behaviour_name(ev->mapping),
		    evidence_behaviour_name(ev->filtering));
}

static void
report_ipv6_addresses(FILE *out, const struct ipv6_evidence *e)
{
	char a[ADDR_STRLEN];

	fprintf(out, "  this host:");
	for (int i = 0; i < e->naddrs; i++)
		fprintf(out, "%s %s (%s%s, %s)", i ? "," : "",
		    addr_ntop(&e->addrs[i].address, a, sizeof(a)),
		    e->addrs[i].temporary ? "temporary" : "stable",
		    e->addrs[i].deprecated ? ", deprecated" : "",
		    e->addrs[i].name);
	fprintf(out, "%s\n", e->naddrs ? "" : " no global address");
}

/* The IPv6 way in: addresses, what observers see, pinholes, inbound. */
static void
report_ipv6(FILE *out, const struct evidence *ev, const struct verdict6 *v6)
{
	const struct ipv6_evidence *e = &ev->v6;
	char a[ADDR_STRLEN];

	if (!e->asked)
		return;
	fprintf(out, "\nIPv6: %s\n", verdict6_name(v6->kind));
	report_ipv6_addresses(out, e);
	for (int i = 0; i < v6->nwhy; i++)
		report_wrap(out, v6->why[i], 2);
	if (e->router.family)
		fprintf(out, "  router %s: %s%s\n", addr_ntop(&e->router, a,
		    sizeof(a)), v6->pinhole_via ? "opens pinholes by " :
		    "opens no pinholes: ", v6->pinhole_via ? (strcmp(
		    v6->pinhole_via, "pcp") ? "UPnP IGDv2" : "PCP") :
		    v6->pinhole_why);
	if (e->inbound.asked)
		fprintf(out, "  inbound [%s]:%u/%s from outside: %s%s%s\n",
		    addr_ntop(&ev->global_ipv6, a, sizeof(a)), e->inbound.port,
		    proto_name(e->inbound.proto), e->inbound.result,
		    e->inbound.detail[0] ? ": " : "", e->inbound.detail);
}

static void
report_hairpin(FILE *out, const struct hairpin_evidence *h)
{
	char a[ADDR_STRLEN];

	if (h->asked)
		fprintf(out, "\nNAT loopback: %s (%s:%u/tcp from this LAN: %s)\n",
		    hairpin_name(h->kind), addr_ntop(&h->public, a, sizeof(a)),
		    h->port, h->detail[0] ? h->detail : "no answer in time");
}

void
report_text(FILE *out, const struct evidence *ev, const struct verdict *v,
    bool color)
{
	char a[ADDR_STRLEN];
	struct way_node way[WAY_MAX];

	fprintf(out, "%sVerdict: %s%s%s", BOLD(color),
	    v->inbound_possible ? GREEN(color) : RED(color),
	    verdict_name(v->kind), RESET(color));
	if (v->nat_layers >= 0)
		fprintf(out, " (%d NAT layer%s)", v->nat_layers,
		    v->nat_layers == 1 ? "" : "s");
	fprintf(out, "\nInbound connections: %s\n", v->inbound_possible ?
	    "can work" : "blocked by this topology");
	if (v->public_v4.family)
		fprintf(out, "Public IPv4: %s\n", addr_ntop(&v->public_v4, a,
		    sizeof(a)));
	fputc('\n', out);
	way_text(out, way, way_nodes(ev, v, way, WAY_MAX));
	fputc('\n', out);
	for (int i = 0; i < v->nwhy; i++)
		report_wrap(out, v->why[i], 2);
	if (v->nadvice > 0)
		fprintf(out, "\n%sWhat to do:%s\n", BOLD(color), RESET(color));
	for (int i = 0; i < v->nadvice; i++) {
		fprintf(out, "%d. %s%s%s [%s]\n", i + 1, BOLD(color),
		    v->advice[i].title, RESET(color), v->advice[i].id);
		report_wrap(out, v->advice[i].detail, 3);
	}
	report_ipv6(out, ev, &v->v6);
	report_hairpin(out, &ev->hairpin);
	report_gateways(out, ev);
	report_observations(out, ev);
}

static json_t *
report_addr(const struct netaddr *a)
{
	char text[ADDR_STRLEN];

	return a->family ? json_string(addr_ntop(a, text, sizeof(text))) :
	    json_null();
}

static json_t *
report_json_finding(const struct proto_finding *f)
{
	return json_pack("{s:b, s:b, s:b, s:i, s:I, s:o, s:s}",
	    "asked", f->asked, "answered", f->answered, "can_map", f->can_map,
	    "result", f->result, "epoch", (json_int_t)f->epoch,
	    "external_address", report_addr(&f->external), "detail", f->detail);
}

static json_t *
report_json_gateways(const struct evidence *ev)
{
	json_t *list = json_array();

	for (int i = 0; i < ev->ngateways; i++) {
		const struct gateway *gw = &ev->gateways[i];
		json_array_append_new(list, json_pack(
		    "{s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o}",
		    "address", report_addr(&gw->address),
		    "role", report_role(gw->role),
		    "friendly_name", gw->desc.friendly_name,
		    "manufacturer", gw->desc.manufacturer,
		    "model_name", gw->desc.model_name,
		    "upnp", report_json_finding(&gw->upnp),
		    "natpmp", report_json_finding(&gw->natpmp),
		    "pcp", report_json_finding(&gw->pcp)));
	}
	return list;
}

static json_t *
report_json_observations(const struct evidence *ev)
{
	json_t *list = json_array();

	for (int i = 0; i < ev->nobs; i++) {
		const struct observation *o = &ev->obs[i];
		json_t *j = json_pack("{s:s, s:s, s:i}", "source",
		    evidence_source_name(o->source), "server", o->server,
		    "family", o->over_ipv6 ? 6 : 4);
		if (o->ok)
			json_object_set_new(j, "address", report_addr(&o->address));
		else
			json_object_set_new(j, "error", json_string(o->error));
		json_array_append_new(list, j);
	}
	return list;
}

static json_t *
report_json_advice(const struct verdict *v)
{
	json_t *list = json_array();

	for (int i = 0; i < v->nadvice; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
		    "id", v->advice[i].id, "title", v->advice[i].title,
		    "detail", v->advice[i].detail));
	return list;
}

static json_t *
report_json_lines(const char (*lines)[VERDICT_LINE], int n)
{
	json_t *list = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_string(lines[i]));
	return list;
}

static json_t *
report_json_hops(const struct evidence *ev)
{
	json_t *list = json_array();

	for (int i = 0; i < ev->nhops; i++)
		json_array_append_new(list, report_addr(&ev->hops[i]));
	return list;
}

static json_t *
report_json_addresses6(const struct ipv6_evidence *e)
{
	json_t *list = json_array();

	for (int i = 0; i < e->naddrs; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:b, s:b}",
		    "address", report_addr(&e->addrs[i].address),
		    "interface", e->addrs[i].name,
		    "temporary", e->addrs[i].temporary,
		    "deprecated", e->addrs[i].deprecated));
	return list;
}

static json_t *
report_json_inbound(const struct evidence *ev)
{
	const struct inbound_check *in = &ev->v6.inbound;

	if (!in->asked)
		return json_null();
	return json_pack("{s:o, s:i, s:s, s:s, s:s}",
	    "address", report_addr(&ev->global_ipv6), "port", in->port,
	    "proto", proto_name(in->proto), "result", in->result,
	    "detail", in->detail);
}

/* "path": the way out, node by node (the status page draws it). */
static json_t *
report_json_way(const struct evidence *ev, const struct verdict *v)
{
	struct way_node way[WAY_MAX];
	int n = way_nodes(ev, v, way, WAY_MAX);
	json_t *list = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:o, s:s, s:s}",
		    "role", way[i].role, "address", report_addr(&way[i].address),
		    "detail", way[i].detail, "state", way_state_name(way[i].state)));
	return list;
}

/* "hairpin": null without a TCP mapping on record. */
static json_t *
report_json_hairpin(const struct hairpin_evidence *h)
{
	if (!h->asked)
		return json_null();
	return json_pack("{s:s, s:o, s:i, s:s}", "result", hairpin_name(h->kind),
	    "address", report_addr(&h->public), "port", h->port, "detail",
	    h->detail);
}

/* "ipv6": null when not asked (the agent's checks). */
static json_t *
report_json_ipv6(const struct evidence *ev, const struct verdict6 *v6)
{
	const struct ipv6_evidence *e = &ev->v6;

	if (!e->asked)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:{s:b, s:o, s:o, s:o},"
	    " s:o, s:o}",
	    "state", verdict6_name(v6->kind),
	    "addresses", report_json_addresses6(e),
	    "stable", report_addr(&ev->global_ipv6),
	    "router", report_addr(&e->router),
	    "observed", report_addr(&v6->public_v6),
	    "translated", v6->translated,
	    "pinhole", "offered", v6->pinhole_via != NULL,
	    "via", v6->pinhole_via ? json_string(v6->pinhole_via) : json_null(),
	    "pcp", report_json_finding(&e->pcp),
	    "upnp", report_json_finding(&e->igd),
	    "inbound", report_json_inbound(ev),
	    "evidence", report_json_lines(v6->why, v6->nwhy));
}

static json_t *report_json_summary_core(const struct evidence *ev,
    const struct verdict *v);

/* The carrier's NAT as tested through the home router, or null. */
static json_t *
report_json_carrier(const struct carrier_finding *f)
{
	static const char *const kinds[] = { "untested", "full-cone",
		"per-destination", "filters" };

	if (f->words[0] == '\0')
		return json_null();
	return json_pack("{s:s, s:s}", "behaviour", kinds[f->kind], "finding",
	    f->words);
}

json_t *
report_json_summary(const struct evidence *ev, const struct verdict *v)
{
	json_t *o = report_json_summary_core(ev, v);

	if (o != NULL)
		json_object_set_new(o, "carrier_nat",
		    report_json_carrier(&ev->carrier_test));
	return o;
}

static json_t *
report_json_summary_core(const struct evidence *ev, const struct verdict *v)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
	    "verdict", verdict_name(v->kind),
	    "nat_layers", v->nat_layers >= 0 ? json_integer(v->nat_layers) :
	    json_null(),
	    "public_ipv4", report_addr(&v->public_v4),
	    "public_ipv6", report_addr(&v->v6.public_v6),
	    "inbound_possible", v->inbound_possible,
	    "lan_address", report_addr(&ev->lan_address),
	    "path", report_json_way(ev, v),
	    "evidence", report_json_lines(v->why, v->nwhy),
	    "advice", report_json_advice(v),
	    "hairpin", report_json_hairpin(&ev->hairpin));
}

/* The summary, and the whole evidence behind it. */
json_t *
report_json_object(const struct evidence *ev, const struct verdict *v,
    int elapsed_ms)
{
	json_t *root = report_json_summary(ev, v);

	if (root == NULL || json_object_update_new(root, json_pack(
	    "{s:o, s:o, s:o, s:{s:s, s:s}, s:o, s:i}",
	    "gateways", report_json_gateways(ev),
	    "observations", report_json_observations(ev),
	    "hops", report_json_hops(ev),
	    "nat_behaviour", "mapping", evidence_behaviour_name(ev->mapping),
	    "filtering", evidence_behaviour_name(ev->filtering),
	    "ipv6", report_json_ipv6(ev, &v->v6),
	    "elapsed_ms", elapsed_ms)) < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int
report_json(FILE *out, const struct evidence *ev, const struct verdict *v,
    int elapsed_ms)
{
	json_t *root = report_json_object(ev, v, elapsed_ms);
	int rc;

	if (root == NULL)
		return -1;
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return rc;
}
