/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Advice: concrete steps for the verdict, naming the devices and addresses
 * found. Ids are stable (they are part of the --json output).
 */
#include "agent/diagnosis/verdict.h"
#include "lib/names.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct advice *
advice_add(struct verdict *v, const char *id, const char *title,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct advice *
advice_add(struct verdict *v, const char *id, const char *title,
    const char *fmt, ...)
{
	struct advice *a;
	va_list ap;

	if (v->nadvice == VERDICT_MAX_ADVICE)
		return NULL;
	a = &v->advice[v->nadvice++];
	a->id = id;
	a->title = title;
	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
	a->detail[0] = (char)toupper((unsigned char)a->detail[0]);
	return a;
}

/* "the router at 192.168.1.1 (AVM FRITZ!Box 7590)" */
static const char *
advice_device(const struct gateway *gw, const char *what, char *buf,
    size_t len)
{
	char a[ADDR_STRLEN];
	const struct desc_info *d;

	if (gw == NULL) {
		snprintf(buf, len, "the %s", what);
		return buf;
	}
	d = &gw->desc;
	addr_ntop(&gw->address, a, sizeof(a));
	if (d->model_name[0] || d->friendly_name[0])
		snprintf(buf, len, "the %s at %s (%s%s%s)", what, a,
		    d->manufacturer, d->manufacturer[0] ? " " : "",
		    d->model_name[0] ? d->model_name : d->friendly_name);
	else
		snprintf(buf, len, "the %s at %s", what, a);
	return buf;
}

static void
advice_public(struct verdict *v)
{
	char p[ADDR_STRLEN];

	advice_add(v, "none-needed", "Nothing to change",
	    "This host holds the public address %s itself, so no NAT is in "
	    "the way. Only its own firewall decides which ports are reachable.",
	    addr_ntop(&v->public_v4, p, sizeof(p)));
}

static void
advice_single(const struct evidence *ev, struct verdict *v)
{
	char dev[200], lan[ADDR_STRLEN], p[ADDR_STRLEN];

	advice_device(v->home, "router", dev, sizeof(dev));
	addr_ntop(&ev->lan_address, lan, sizeof(lan));
	addr_ntop(&v->public_v4, p, sizeof(p));
	if (v->inbound_possible) {
		advice_add(v, "none-needed", "Nothing to change",
		    "%s holds the public address %s and accepts port mapping "
		    "requests: `homereach map add PORT` opens a port to this "
		    "host (%s).", dev, p, lan);
		return;
	}
	advice_add(v, "enable-port-mapping", "Turn on UPnP or NAT-PMP/PCP",
	    "%s does not answer UPnP-IGD, NAT-PMP or PCP. Enable one of them "
	    "in its settings (often under \"UPnP\" or \"NAT traversal\"), then "
	    "`homereach map add PORT` keeps the port open by itself.", dev);
	advice_add(v, "manual-port-forward", "Forward the port by hand",
	    "In the port forwarding page of %s, forward the service's TCP or "
	    "UDP port to this host, %s. Give this host a fixed LAN address "
	    "first, or the rule breaks when its lease changes.", dev, lan);
	advice_add(v, "dmz", "Or make this host the DMZ host",
	    "%s can send every unsolicited connection to %s (\"exposed host\" "
	    "or DMZ). All ports then reach this host, so its own firewall must "
	    "be strict.", dev, lan);
}

static void
advice_double(const struct evidence *ev, struct verdict *v)
{
	char isp[200], home[200], hw[ADDR_STRLEN + 20] = "its WAN port";
	char lan[ADDR_STRLEN];
	const struct netaddr *wan = v->home ? evidence_gateway_wan(v->home) : NULL;

	advice_device(v->upstream, "ISP router", isp, sizeof(isp));
	advice_device(v->home, "home router", home, sizeof(home));
	if (wan != NULL) {
		char w[ADDR_STRLEN];
		snprintf(hw, sizeof(hw), "its WAN address %s",
		    addr_ntop(wan, w, sizeof(w)));
	}
	addr_ntop(&ev->lan_address, lan, sizeof(lan));
	advice_add(v, "bridge-mode", "Switch the ISP router to bridge mode",
	    "Put %s into bridge (\"switching hub\", modem-only) mode. Its NAT "
	    "disappears and %s receives the public address itself, so port "
	    "mapping works again. Every device plugged into the ISP router "
	    "would then need a public address of its own, and some ISPs hand "
	    "out only one: connect everything behind %s.", isp, home, home);
	advice_add(v, "twin-ip", "Or use Twin IP / Super DMZ",
	    "If %s offers Twin IP, Super DMZ or IP passthrough, point it at "
	    "%s, %s. That router then gets the public address and keeps its "
	    "own NAT; all ports reach it, so its firewall matters.", isp,
	    home, hw);
	advice_add(v, "dmz", "Or make the home router the ISP router's DMZ host",
	    "In %s, set the DMZ (exposed host) to the home router, %s. Inbound "
	    "traffic then reaches %s, where port mappings apply; the home router still sees "
	    "a private WAN address, so it may refuse automatic mappings.",
	    isp, hw, home);
	advice_add(v, "manual-port-forward", "Or forward the port on both routers",
	    "Forward the port on %s to the home router (%s), and on %s to "
	    "this host (%s)%s.",
	    isp, hw, home, lan, v->upstream && evidence_gateway_can_map(v->upstream) ?
	    "; the ISP router accepts mapping requests, so `homereach map` "
	    "can do both layers" : "");
}

/* "the router at fe80::1%2 opens pinholes by PCP: ..." or what it said. */
static void
advice_pinhole_offer(const struct evidence *ev, const struct verdict6 *v6,
    char *buf, size_t len)
{
	const struct inbound_check *in = &ev->v6.inbound;
	char r[ADDR_STRLEN], port[16] = "PORT";

	addr_ntop(&ev->v6.router, r, sizeof(r));
	if (in->asked)
		snprintf(port, sizeof(port), "%u/%s", in->port,
		    proto_name(in->proto));
	if (v6->pinhole_via != NULL)
		snprintf(buf, len, "The router at %s opens pinholes on request "
		    "(%s): `homereach map add %s` opens the port to this host "
		    "over IPv6 too, and the agent keeps it open", r,
		    !strcmp(v6->pinhole_via, "pcp") ? "PCP" : "UPnP IGDv2", port);
	else if (ev->v6.router.family != 0)
		snprintf(buf, len, "The router at %s opens no pinholes on "
		    "request (%s): allow the port to this host in its IPv6 "
		    "firewall settings by hand (often \"IPv6 firewall\" or "
		    "\"allow incoming connections\")", r, v6->pinhole_why);
	else
		snprintf(buf, len, "No IPv6 default route: this host has an "
		    "address but no router to send through");
}

/* Checked from outside: the address and port that work, or what blocks
 * them. */
static void
advice_ipv6_checked(const struct evidence *ev, struct verdict *v,
    const char *host)
{
	const struct inbound_check *in = &ev->v6.inbound;
	char offer[600];

	if (v->v6.kind == V6_OPEN) {
		advice_add(v, "use-ipv6", "Use IPv6: it works now",
		    "Visitors with IPv6 reach [%s]:%u/%s now. Publish %s as an "
		    "AAAA record (a [ddns] record with ipv6 = yes keeps it).",
		    host, in->port, proto_name(in->proto), host);
		return;
	}
	if (!strcmp(in->result, "closed")) {
		advice_add(v, "use-ipv6", "Use IPv6: start the service",
		    "[%s]:%u/%s is reached from outside, but nothing listens "
		    "there (connection refused): the firewall lets it through; "
		    "start the service on port %u.", host, in->port,
		    proto_name(in->proto), in->port);
		return;
	}
	advice_pinhole_offer(ev, &v->v6, offer, sizeof(offer));
	advice_add(v, "use-ipv6", "Use IPv6: open the router's firewall",
	    "[%s]:%u/%s does not answer from outside (%s): the router's IPv6 "
	    "firewall drops it. %s.", host, in->port, proto_name(in->proto),
	    in->result, offer);
}

static void
advice_ipv6(const struct evidence *ev, struct verdict *v)
{
	char a[ADDR_STRLEN], p[ADDR_STRLEN], offer[600];
	const struct verdict6 *v6 = &v->v6;

	if (!ev->has_global_ipv6) {
		advice_add(v, "use-ipv6", "Use IPv6", ev->v6.naddrs > 0 ?
		    "This host has only temporary (privacy) IPv6 addresses, "
		    "which change and take no inbound connections: give it a "
		    "stable one (SLAAC with a stable interface identifier, or a "
		    "DHCPv6 reservation)." : "This host has no global IPv6 "
		    "address. Ask the ISP whether the line offers IPv6 and "
		    "enable it on the router: IPv6 addresses are public, with "
		    "no carrier NAT in the way.");
		return;
	}
	addr_ntop(&ev->global_ipv6, a, sizeof(a));
	if (v6->kind == V6_NO_INTERNET) {
		advice_add(v, "use-ipv6", "Use IPv6: the line's IPv6 is not "
		    "through", "This host has the global IPv6 address %s, but no "
		    "outside observer answered over IPv6: check that the "
		    "router's IPv6 internet connection is up.", a);
	} else if (v6->translated) {
		advice_add(v, "use-ipv6", "Use IPv6 through the translated "
		    "address", "The router translates this host's address %s "
		    "to %s (NPTv6 or NAT66): visitors reach %s, so publish that "
		    "one as AAAA, and forward the port to %s on the router.", a,
		    addr_ntop(&v6->public_v6, p, sizeof(p)), p, a);
	} else if (v6->kind == V6_OPEN || v6->kind == V6_BLOCKED) {
		advice_ipv6_checked(ev, v, a);
	} else if (ev->v6.asked) {
		advice_pinhole_offer(ev, v6, offer, sizeof(offer));
		advice_add(v, "use-ipv6", "Use IPv6",
		    "This host has the global IPv6 address %s, which no NAT "
		    "hides. %s; publish %s as an AAAA record. Visitors need IPv6 "
		    "too.", a, offer, a);
	} else {
		advice_add(v, "use-ipv6", "Use IPv6",
		    "This host has the global IPv6 address %s, which no NAT "
		    "hides: publish it as an AAAA record and open the port in "
		    "the router's IPv6 firewall. Visitors need IPv6 too.", a);
	}
}

/* The ISP box between the home router and the carrier: the upstream
 * router probed, else the first private hop before the carrier's. */
static bool
advice_isp_box(const struct evidence *ev, const struct verdict *v,
    struct netaddr *box)
{
	if (v->upstream != NULL && addr_classify(&v->upstream->address) ==
	    ADDR_PRIVATE) {
		*box = v->upstream->address;
		return true;
	}
	for (int i = 1; i < ev->nhops; i++) {
		enum addr_scope s = ev->hops[i].family ?
		    addr_classify(&ev->hops[i]) : ADDR_RESERVED;
		if (s == ADDR_PUBLIC || s == ADDR_SHARED)
			break;
		if (s == ADDR_PRIVATE) {
			*box = ev->hops[i];
			return true;
		}
	}
	return false;
}

/* The first protocol a gateway maps by, as users know it. */
static const char *
advice_maps_by(const struct gateway *gw)
{
	return gw->pcp.can_map ? "PCP" : gw->natpmp.can_map ? "NAT-PMP" :
	    "UPnP";
}

/* The carrier's NAT maps on request (PCP at the carrier, RFC 6887): the
 * way in through it, or what stands in the way. */
static void
advice_carrier_maps(struct verdict *v)
{
	char car[200], home[200], box[ADDR_STRLEN], p[ADDR_STRLEN];
	const struct netaddr *pub = evidence_gateway_wan(v->carrier);

	advice_device(v->carrier, "carrier's NAT", car, sizeof(car));
	advice_device(v->home, "home router", home, sizeof(home));
	addr_ntop(pub ? pub : &v->public_v4, p, sizeof(p));
	if (v->carrier->role == GW_CARRIER && v->upstream != NULL)
		advice_add(v, "carrier-pcp", "Map at the carrier's NAT, after "
		    "bridge mode", "%s maps ports on request (%s), but the ISP "
		    "router at %s stands between it and %s. Put the ISP router in "
		    "bridge mode; then `homereach map add PORT` maps on the home "
		    "router and on the carrier, and visitors reach %s:PORT.", car,
		    advice_maps_by(v->carrier), addr_ntop(&v->upstream->address,
		    box, sizeof(box)), home, p);
	else if (v->inbound_possible)
		advice_add(v, "carrier-pcp", "Map at the carrier's NAT",
		    "%s maps ports on request (%s): `homereach map add PORT` maps "
		    "on %s and then there, and visitors reach %s at the port the "
		    "carrier grants (its address is shared: often not the one "
		    "asked; `map add` says which).", car,
		    advice_maps_by(v->carrier), home, p);
	else
		advice_add(v, "carrier-pcp", "Let the home router map behind the "
		    "carrier", "%s maps ports on request (%s), but %s refuses to: "
		    "its WAN address is in the carrier's shared space (RFC 6598), "
		    "so it takes every port for closed. Tell it the public "
		    "address %s (miniupnpd: ext_ip=%s; other routers call it "
		    "\"behind another NAT\" or a PCP proxy); then `homereach map "
		    "add PORT` maps on both.",
		    car, advice_maps_by(v->carrier), home, p, p);
}

/* homereach's redirect server: visitors of a name go on to the port that
 * works. */
static void
advice_port_redirect(struct verdict *v, const char *when)
{
	advice_add(v, "port-redirect", "Send visitors on to the port that "
	    "works", "%s: homereach's redirect server (a [ddns] record with "
	    "provider = redirect) sends visitors of http://NAME/ on to the "
	    "address and port that answer, so nobody has to type a port.",
	    when);
}

#define ADVICE_PORT_BLOCKED	"If the ISP blocks the port visitors " \
	"expect (80 or 443), or the router grants another external port"

static void
advice_relay(struct verdict *v, const char *over)
{
	advice_add(v, "relay", "Or use a relay with a public address",
	    "Where nothing inbound can work, a small server%s reaches the "
	    "house from outside without any inbound port: `homereach "
	    "relay-server` on it forwards each service's port over WireGuard "
	    "to this house, the visitor's address kept; its `add-home NAME` "
	    "writes the [relay] section to paste into this house's "
	    "homereach.conf, and the agent then uses it when nothing better "
	    "opens IPv4.", over);
}

static void
advice_ask_public_ip(struct verdict *v)
{
	char p[ADDR_STRLEN];

	advice_add(v, "request-public-ip", "Ask the ISP for a public IPv4 address",
	    "The line is behind carrier-grade NAT: %s is shared with other "
	    "customers and no port on it is this house's own. Many ISPs give a "
	    "public (often \"static\" or \"fixed\") IPv4 address on request, "
	    "sometimes for a fee: ask for \"a public IPv4 address instead of "
	    "carrier-grade NAT (CGN)\", or for dual stack if the line has "
	    "IPv6.", addr_ntop(&v->public_v4, p, sizeof(p)));
}

/* The home router maps, the carrier's NAT does not: a port held open from
 * inside may let strangers in, if that NAT is a full cone. */
static void
advice_hold(const struct evidence *ev, struct verdict *v)
{
	char p[ADDR_STRLEN];
	bool full = ev->carrier_test.kind == CARRIER_FULL_CONE;
	struct advice *a;

	a = advice_add(v, "hold", "Hold a port open through the carrier's NAT",
	    "%s `homereach agent` %s each service there: the A record names %s "
	    "and an SRV record each service's port (the carrier's port is not "
	    "the service's own); it tests again when the port moves, and "
	    "withdraws what no longer answers.", full ? "The carrier's NAT is a "
	    "full cone (tested through the home router): it lets anyone in to a "
	    "port this house keeps using outbound." : "Many carrier NATs let "
	    "anyone in to a port this house keeps using outbound "
	    "(endpoint-independent mapping and filtering, RFC 4787: \"full "
	    "cone\").", full ? "holds" : "tests the carrier's NAT through a "
	    "mapping on the home router and, where it is a full cone, holds",
	    addr_ntop(&v->public_v4, p, sizeof(p)));
	if (a != NULL && ev->no_srv[0])
		snprintf(a->detail + strlen(a->detail), sizeof(a->detail) -
		    strlen(a->detail), " The record %s cannot carry the port (no "
		    "SRV records): use rfc2136, cloudflare or the redirect server "
		    "for it.", ev->no_srv);
}

/* The ways out, in order: the carrier's own mapping when it offers one,
 * IPv6 when this host has it, a public address from the ISP, bridge mode
 * for an ISP box (not enough alone), then the redirect server or a relay. */
static void
advice_cgnat(const struct evidence *ev, struct verdict *v)
{
	char dev[200];
	struct netaddr box;
	bool carrier_maps = v->carrier && evidence_gateway_can_map(v->carrier);

	if (carrier_maps)
		advice_carrier_maps(v);
	else if (ev->carrier_test.kind == CARRIER_FULL_CONE ||
	    (ev->carrier_test.words[0] == '\0' && v->home != NULL &&
	    evidence_gateway_names_public(v->home)))
		advice_hold(ev, v);	/* a full cone, or not tested here */
	if (ev->has_global_ipv6)
		advice_ipv6(ev, v);
	advice_ask_public_ip(v);
	if (!ev->has_global_ipv6)
		advice_ipv6(ev, v);
	if (advice_isp_box(ev, v, &box)) {
		struct gateway g = { .address = box };
		const struct gateway *up = v->upstream ? v->upstream : &g;
		advice_device(up, "ISP router", dev, sizeof(dev));
		advice_add(v, "bridge-mode", "Also put the ISP router in bridge "
		    "mode (not enough alone)", "Bridge mode for %s removes one NAT "
		    "layer, so that port mapping on the home router reaches the "
		    "carrier's NAT; the carrier's NAT stays, so this alone opens "
		    "nothing: do it together with a public address from the ISP%s.",
		    dev, carrier_maps ? " or the carrier's mapping" : "");
	}
	if (carrier_maps)
		advice_port_redirect(v, "The carrier grants whatever port is "
		    "free on its shared address, rarely 80 or 443");
	else
		advice_relay(v, "");
}

/* DS-Lite: no inbound IPv4 at all, whatever the home router does; IPv6
 * is the way in, and the line itself can change. */
static void
advice_dslite(const struct evidence *ev, struct verdict *v)
{
	advice_ipv6(ev, v);
	advice_add(v, "request-public-ip", "Ask the ISP for dual stack",
	    "The line is DS-Lite: its IPv4 is the ISP's, shared with other "
	    "customers behind their AFTR, and no port forwarding or mapping can "
	    "open it. Some ISPs switch a line to dual stack (a public IPv4 "
	    "address beside IPv6) on request: ask for \"dual stack instead of "
	    "DS-Lite\".");
	advice_relay(v, " with a public IPv4 address, reached over IPv6 if "
	    "need be");
}

void
advice_local_dns(char *buf, size_t len, const char *name,
    const struct netaddr *host)
{
	char h[ADDR_STRLEN];
	const char *n = name ? name : "NAME";

	addr_ntop(host, h, sizeof(h));
	snprintf(buf, len, "Inside the house, give %s a local DNS record for "
	    "this host, %s: dnsmasq `address=/%s/%s`; unbound `local-data: "
	    "\"%s. A %s\"`; Pi-hole: Local DNS > DNS Records (or `%s %s` in "
	    "/etc/pihole/custom.list); or the router's own local DNS or hosts "
	    "page.", n, h, n, h, n, h, h, n);
}

/* The router does not loop its public address back (hairpin check of a
 * mapping this host holds). */
static void
advice_hairpin(const struct evidence *ev, struct verdict *v)
{
	char p[ADDR_STRLEN], fix[600];
	const struct hairpin_evidence *hp = &ev->hairpin;

	if (!hp->asked || hp->kind != HAIRPIN_NO)
		return;
	advice_local_dns(fix, sizeof(fix), hp->name[0] ? hp->name : NULL,
	    &ev->lan_address);
	advice_add(v, "local-dns", "Reach it by name inside the house too",
	    "This host's mapping %s:%u does not answer from this LAN (%s): "
	    "the router has no NAT loopback, so its name works from outside "
	    "only. %s", addr_ntop(&hp->public, p,
	    sizeof(p)), hp->port, hp->detail, fix);
}

void
advice_decide(const struct evidence *ev, struct verdict *v)
{
	switch (v->kind) {
	case V_PUBLIC:
		advice_public(v);
		break;
	case V_SINGLE_NAT:
		advice_single(ev, v);
		advice_port_redirect(v, ADVICE_PORT_BLOCKED);
		break;
	case V_UNKNOWN:
		advice_single(ev, v);
		break;
	case V_DOUBLE_NAT:
		advice_double(ev, v);
		if (ev->has_global_ipv6)
			advice_ipv6(ev, v);
		advice_port_redirect(v, ADVICE_PORT_BLOCKED);
		break;
	case V_CGNAT:
		advice_cgnat(ev, v);
		break;
	case V_DSLITE:
		advice_dslite(ev, v);
		break;
	case V_NO_INTERNET:
		break;
	}
	advice_hairpin(ev, v);
}
