/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The way out, node by node. Routers come from the hop probe up to the
 * first public hop; each one that was asked as a gateway says what it is
 * and what it maps by. Names come from the routers themselves: the SVG
 * escapes them.
 */
#include "agent/diagnosis/way.h"

#include <string.h>

#include "lib/names.h"

const char *
way_state_name(enum way_state s)
{
	static const char *const names[] = { "ok", "warn", "bad", "plain" };
	return NAME_OF(names, s, "plain");
}

static const struct gateway *
way_gateway(const struct evidence *ev, const struct netaddr *a)
{
	for (int i = 0; i < ev->ngateways; i++)
		if (addr_equal(&ev->gateways[i].address, a))
			return &ev->gateways[i];
	return NULL;
}

static const char *
way_role(const struct gateway *gw)
{
	if (gw->role == GW_HOME)
		return "home router";
	if (gw->role == GW_CARRIER || addr_classify(&gw->address) ==
	    ADDR_SHARED || addr_is_dslite(&gw->address))
		return "carrier NAT";
	return "ISP router";
}

/* "Lab Networks HR-100, maps by PCP, NAT-PMP, WAN 5.0.1.2" */
static void
way_router(const struct gateway *gw, struct way_node *n)
{
	const struct netaddr *wan = evidence_gateway_wan(gw);
	const struct proto_finding *f[3] = { &gw->pcp, &gw->natpmp, &gw->upnp };
	static const char *const names[3] = { "PCP", "NAT-PMP", "UPnP" };
	char w[ADDR_STRLEN], maps[40] = "";
	bool answered = false;

	for (int i = 0; i < 3; i++) {
		answered |= f[i]->answered;
		if (f[i]->can_map)
			snprintf(maps + strlen(maps), sizeof(maps) - strlen(maps),
			    "%s%s", maps[0] ? ", " : "", names[i]);
	}
	if (evidence_gateway_refuses(gw))
		maps[0] = '\0';
	n->role = way_role(gw);
	n->address = gw->address;
	n->state = maps[0] ? WAY_OK : answered ? WAY_WARN : WAY_BAD;
	snprintf(n->detail, sizeof(n->detail), "%s%s%s%s%s%s%s",
	    gw->desc.manufacturer, gw->desc.manufacturer[0] ? " " : "",
	    gw->desc.model_name[0] ? gw->desc.model_name : gw->desc.friendly_name,
	    gw->desc.model_name[0] || gw->desc.friendly_name[0] ? ", " : "",
	    maps[0] ? "maps by " : evidence_gateway_refuses(gw) ?
	    "maps nothing: no public address" : answered ? "maps nothing" :
	    "no mapping protocol", maps, wan ? ", WAN " : "");
	if (wan != NULL)
		snprintf(n->detail + strlen(n->detail), sizeof(n->detail) -
		    strlen(n->detail), "%s", addr_ntop(wan, w, sizeof(w)));
}

int
way_nodes(const struct evidence *ev, const struct verdict *v,
    struct way_node *out, int max)
{
	const struct gateway *home = evidence_role(ev, GW_HOME);
	int n = 0;

	if (max < 3)
		return 0;
	out[n++] = (struct way_node){ .role = "this host",
	    .address = ev->lan_address, .state = WAY_OK };
	if (home != NULL)
		way_router(home, &out[n++]);
	for (int i = 1; i < ev->nhops && n < max - 1; i++) {
		const struct gateway *gw = way_gateway(ev, &ev->hops[i]);
		if (ev->hops[i].family == 0 || addr_is_public(&ev->hops[i]))
			break;
		if (gw != NULL)
			way_router(gw, &out[n]);
		else
			out[n] = (struct way_node){ .role = "router",
			    .address = ev->hops[i], .state = WAY_PLAIN,
			    .detail = "on the path, not asked" };
		n++;
	}
	out[n] = (struct way_node){ .role = "internet",
	    .address = v->public_v4, .state = v->inbound_possible ? WAY_OK :
	    WAY_BAD };
	snprintf(out[n].detail, sizeof(out[n].detail), "%s",
	    v->inbound_possible ? "inbound can work" : "inbound IPv4 blocked");
	return n + 1;
}

void
way_text(FILE *out, const struct way_node *n, int count)
{
	char a[ADDR_STRLEN];

	for (int i = 0; i < count; i++)
		fprintf(out, "%s%s %s%s%s\n", i ? "     -> " : "Way in: ", n[i].role,
		    n[i].address.family ? addr_ntop(&n[i].address, a, sizeof(a)) :
		    "(unknown)", n[i].detail[0] ? ": " : "", n[i].detail);
}

/* Text for XML: & < > " ' escaped, at most 30 characters shown. */
static void
way_xml(FILE *out, const char *s)
{
	for (int i = 0; s[i] && i < 30; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(s[i], out);
		}
	}
}

/* Where the detail's next line starts: at ", " before what it maps by or
 * its WAN address (the model and the protocols keep their commas). */
static const char *
way_next_line(const char *s)
{
	static const char *const starts[] = { ", maps", ", WAN", ", no mapping" };
	const char *best = NULL;

	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		const char *p = strstr(s, starts[i]);
		if (p != NULL && p != s && (best == NULL || p < best))
			best = p;
	}
	return best;
}

/* The address, then the detail a line a part. */
static void
way_svg_lines(FILE *out, const struct way_node *n, int x)
{
	char a[ADDR_STRLEN], line[sizeof(n->detail)];
	const char *s = n->detail, *next;
	int y = 38;

	fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", x + 8, y,
	    n->address.family ? addr_ntop(&n->address, a, sizeof(a)) : "?");
	while (*s && y < 86) {
		next = way_next_line(s);
		snprintf(line, sizeof(line), "%.*s", next ? (int)(next - s) :
		    (int)strlen(s), s);
		fprintf(out, "<text x=\"%d\" y=\"%d\">", x + 8, y += 16);
		way_xml(out, line);
		fputs("</text>\n", out);
		s = next ? next + 2 : s + strlen(s);
	}
}

void
way_svg(FILE *out, const struct way_node *n, int count)
{
	static const char *const stroke[] = { "#1a7f37", "#b26a00", "#c62828",
	    "#6e7781" };
	const int w = 200, h = 96, gap = 36;

	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
	    "%d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
	    count * (w + gap) - gap + 4, h + 4);
	for (int i = 0; i < count; i++) {
		int x = 2 + i * (w + gap);
		if (i > 0)
			fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			    "stroke=\"%s\" stroke-width=\"3\"/>\n", x - gap,
			    2 + h / 2, x, 2 + h / 2, stroke[i == count - 1 ?
			    n[i].state : WAY_PLAIN]);
		fprintf(out, "<rect x=\"%d\" y=\"2\" width=\"%d\" height=\"%d\" "
		    "rx=\"8\" fill=\"#f6f8fa\" stroke=\"%s\" stroke-width=\"2\"/>\n"
		    "<text x=\"%d\" y=\"20\" font-weight=\"bold\" font-size=\"12\">",
		    x, w, h, stroke[n[i].state], x + 8);
		way_xml(out, n[i].role);
		fputs("</text>\n", out);
		way_svg_lines(out, &n[i], x);
	}
	fputs("</svg>\n", out);
}
