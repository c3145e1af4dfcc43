/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The diagnosis starts the local reads (route, interfaces), the gateway
 * probes, every STUN server and HTTP echo at once. The first STUN answer
 * gives a public target for the hop probe; a private hop after the home
 * router is probed as the upstream router. With cfg.ipv6, the IPv6 way in
 * too: the host's global addresses, the same observers over IPv6 from the
 * stable address, the IPv6 router's pinhole offer, and the check server.
 * done runs when all have reported, or at the deadline with what there
 * is.
 */
#include "agent/diagnosis/diagnosis.h"

#include "agent/config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>
#include <event2/http.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/resolve.h"
#include "lib/route.h"
#include "nat/gwprobe.h"
#include "nat/pcpserver.h"
#include "nat/upnp.h"
#include "probes/echo.h"
#include "probes/hop.h"
#include "probes/reach.h"
#include "probes/stunprobe.h"

#define DIAG_HOPS	HOP_MAX
#define DIAG_INBOUND_MS	4500	/* the check server waits 3 s */

struct diag_gw {
	struct diagnosis *d;
	int index;		/* into ev.gateways */
	struct gwprobe *gwp;
	struct upnpprobe *upnp;
};

struct diagnosis {
	struct event_base *base;
	struct diagnosis_config cfg;
	struct evidence ev;
	struct timeval deadline_at;
	struct stunprobe *stun[DIAG_MAX_SERVERS], *stun6[DIAG_MAX_SERVERS];
	struct echoprobe *echo[DIAG_MAX_SERVERS], *echo6[DIAG_MAX_SERVERS];
	struct diag_gw gws[5];		/* home, upstream, carrier, two PCP
					 * servers */
	struct gwprobe *pcp6;		/* the IPv6 router: PCP */
	struct upnpprobe *igd6;		/* ... and IGDv2 firewall control */
	struct reach *reach;		/* the inbound check over IPv6 */
	struct hopprobe *hop;
	struct hairpin *hairpin;
	struct event *deadline, *finish;
	int pending;
	bool starting, done_called;
	diagnosis_done_cb *done;
	void *arg;
};

static void
diag_settle(struct diagnosis *d)
{
	if (--d->pending == 0 && !d->starting)
		event_active(d->finish, 0, 0);
}

static void
diag_on_finish(evutil_socket_t fd, short what, void *arg)
{
	struct diagnosis *d = arg;

	(void)fd, (void)what;
	if (d->done_called)
		return;
	d->done_called = true;
	event_del(d->deadline);
	d->done(d, d->arg);
}

static int
diag_remaining_ms(const struct diagnosis *d)
{
	struct timeval now, left;

	gettimeofday(&now, NULL);
	if (!timercmp(&now, &d->deadline_at, <))
		return 0;
	timersub(&d->deadline_at, &now, &left);
	return (int)(left.tv_sec * 1000 + left.tv_usec / 1000);
}

/* An outside observer's answer: only a public address is a real view. */
static void
diag_outside(struct diagnosis *d, enum obs_source src, const char *server,
    bool v6, bool ok, const struct netaddr *a, const char *error)
{
	struct observation *o = evidence_add_obs(&d->ev, src, server);
	char text[ADDR_STRLEN];

	if (o == NULL)
		return;
	o->over_ipv6 = v6;
	if (!ok) {
		snprintf(o->error, sizeof(o->error), "%s", error);
	} else if (!addr_is_public(a)) {
		snprintf(o->error, sizeof(o->error), "reported %s, a %s address "
		    "(%s), which no outside observer can see",
		    addr_ntop(a, text, sizeof(text)),
		    addr_scope_name(addr_classify(a)),
		    addr_rfc(a) ? addr_rfc(a) : "reserved");
	} else {
		o->ok = true;
		o->address = *a;
	}
	log_debug("%s %s: %s", evidence_source_name(src), server,
	    o->ok ? addr_ntop(a, text, sizeof(text)) : o->error);
}

static void diag_probe_gateway(struct diagnosis *d, int slot,
    const struct netaddr *addr, enum gw_role role);

/* A router in front (the hop): the carrier's PCP server may be elsewhere,
 * where DHCP said or at the anycast address; at most two are asked. */
static void
diag_pcp_servers(struct diagnosis *d, const struct netaddr *hop)
{
	struct netaddr pcp[PCPSERVER_MAX];
	int n = pcpserver_candidates(pcp, PCPSERVER_MAX), slot = 3;

	for (int i = 0; i < n && slot < 5; i++)
		if (!addr_equal(&pcp[i], hop))
			diag_probe_gateway(d, slot++, &pcp[i], GW_PCP);
}

static void
diag_on_hops(const struct netaddr *hops, int nhops, void *arg)
{
	struct diagnosis *d = arg;
	const struct gateway *home = evidence_role(&d->ev, GW_HOME);
	int carrier = evidence_carrier_hop(hops, nhops);

	memcpy(d->ev.hops, hops, sizeof(*hops) * (size_t)nhops);
	d->ev.nhops = nhops;
	if (nhops >= 2 && hops[1].family != 0 && !addr_is_public(&hops[1]) &&
	    (home == NULL || !addr_equal(&home->address, &hops[1]))) {
		diag_probe_gateway(d, 1, &hops[1], GW_UPSTREAM);
		diag_pcp_servers(d, &hops[1]);
	}
	/* Behind an ISP box: the carrier's NAT may map too (PCP, RFC 6887). */
	if (carrier > 1)
		diag_probe_gateway(d, 2, &hops[carrier], GW_CARRIER);
	diag_settle(d);
}

static void
diag_on_stun(const struct stun_result *r, void *arg)
{
	struct diagnosis *d = arg;
	int left = diag_remaining_ms(d);

	diag_outside(d, OBS_STUN, r->server, false, r->ok, &r->reflexive,
	    r->error);
	if (r->ok && r->has_other && d->ev.mapping == BEH_UNKNOWN) {
		d->ev.mapping = r->mapping;
		d->ev.filtering = r->filtering;
	}
	if (r->ok && d->hop == NULL && left > 0 && !d->cfg.quick) {
		d->hop = hopprobe_start(d->base, &r->server_addr, DIAG_HOPS,
		    left < 600 ? left : 600, diag_on_hops, d);
		d->pending += d->hop != NULL;
	}
	diag_settle(d);
}

static void
diag_on_echo(const struct echo_result *r, void *arg)
{
	struct diagnosis *d = arg;

	diag_outside(d, OBS_HTTP, r->url, false, r->ok, &r->address, r->error);
	diag_settle(d);
}

/* Over IPv6: a name without an IPv6 address is no observation. */
static void
diag_on_stun6(const struct stun_result *r, void *arg)
{
	struct diagnosis *d = arg;

	if (!r->no_address)
		diag_outside(d, OBS_STUN, r->server, true, r->ok, &r->reflexive,
		    r->error);
	diag_settle(d);
}

static void
diag_on_echo6(const struct echo_result *r, void *arg)
{
	struct diagnosis *d = arg;

	if (!r->no_address)
		diag_outside(d, OBS_HTTP, r->url, true, r->ok, &r->address,
		    r->error);
	diag_settle(d);
}

/* A gateway's claim about its WAN address, as an observation. */
static void
diag_claim(struct diagnosis *d, enum obs_source src, const struct gateway *gw,
    const struct proto_finding *f)
{
	char server[ADDR_STRLEN];
	struct observation *o = evidence_add_obs(&d->ev, src,
	    addr_ntop(&gw->address, server, sizeof(server)));

	if (o == NULL)
		return;
	o->ok = f->external.family != 0;
	o->address = f->external;
	if (!o->ok)
		snprintf(o->error, sizeof(o->error), "%s", f->detail);
}

static void
diag_on_gw(const struct proto_finding *natpmp, const struct proto_finding *pcp,
    void *arg)
{
	struct diag_gw *g = arg;
	struct gateway *gw = &g->d->ev.gateways[g->index];

	gw->natpmp = *natpmp;
	gw->pcp = *pcp;
	diag_claim(g->d, OBS_NATPMP, gw, natpmp);
	diag_settle(g->d);
}

static void
diag_on_upnp(const struct upnp_result *r, void *arg)
{
	struct diag_gw *g = arg;
	struct gateway *gw = &g->d->ev.gateways[g->index];

	gw->upnp = r->finding;
	gw->desc = r->desc;
	diag_claim(g->d, OBS_UPNP, gw, &r->finding);
	diag_settle(g->d);
}

static void
diag_probe_gateway(struct diagnosis *d, int slot, const struct netaddr *addr,
    enum gw_role role)
{
	struct gateway *gw = evidence_gateway(&d->ev, addr, role);
	struct diag_gw *g = &d->gws[slot];
	int left = diag_remaining_ms(d);

	if (gw == NULL || left == 0)
		return;
	g->d = d;
	g->index = (int)(gw - d->ev.gateways);
	/* Quick: a check after an announcement, when the gateway may
	 * answer before its WAN side is ready. */
	g->gwp = gwprobe_start(d->base, addr, left, d->cfg.quick, diag_on_gw, g);
	d->pending += g->gwp != NULL;
	if (d->cfg.quick || role == GW_PCP)	/* no UPnP at a PCP server */
		return;
	g->upnp = upnpprobe_start(d->base, addr, role == GW_HOME, left, NULL,
	    diag_on_upnp, g);
	d->pending += g->upnp != NULL;
}

/* This host's own addresses: the "interface" observations. */
static void
diag_interfaces(struct evidence *ev)
{
	struct netif_addr v4[NETIF_MAX];
	struct observation *o;
	int n = netif_ipv4(v4, NETIF_MAX);

	for (int i = 0; i < n; i++) {
		if ((o = evidence_add_obs(ev, OBS_INTERFACE, v4[i].name)) == NULL)
			break;
		o->ok = true;
		o->address = v4[i].address;
	}
	ev->has_global_ipv6 = netif_global_ipv6(&ev->global_ipv6) == 0;
}

static void
diag_on_hairpin(const struct hairpin_result *r, void *arg)
{
	struct diagnosis *d = arg;
	struct hairpin_evidence *h = &d->ev.hairpin;

	h->kind = r->kind;
	snprintf(h->detail, sizeof(h->detail), "%s", r->detail);
	diag_settle(d);
}

/* From the LAN to the public side of a mapping this host holds, beside
 * the home router's own port: NAT loopback or not. */
static void
diag_hairpin(struct diagnosis *d, const struct netaddr *router)
{
	struct hairpin_evidence *h = &d->ev.hairpin;
	int left = diag_remaining_ms(d);

	if (d->cfg.hairpin_port == 0 || d->cfg.quick || left == 0)
		return;
	h->kind = HAIRPIN_UNKNOWN;	/* until it answers */
	h->public = d->cfg.hairpin_to;
	h->port = d->cfg.hairpin_port;
	snprintf(h->name, sizeof(h->name), "%s", d->cfg.hairpin_name ?
	    d->cfg.hairpin_name : "");
	d->hairpin = hairpin_start(d->base, &h->public, h->port, router,
	    left < 1000 ? left : 1000, diag_on_hairpin, d);
	h->asked = d->hairpin != NULL;
	d->pending += h->asked;
}

static void
diag_local(struct diagnosis *d)
{
	struct route_default rt;
	char why[REASON_LEN];

	diag_interfaces(&d->ev);
	if (route_read_default(&rt, why, sizeof(why)) < 0) {
		log_info("%s", why);
		return;
	}
	netif_source_for(&rt.gateway, &d->ev.lan_address);
	diag_probe_gateway(d, 0, &rt.gateway, GW_HOME);
	diag_hairpin(d, &rt.gateway);
}

/* --- the IPv6 way in (cfg.ipv6) --- */

static void
diag_on_pcp6(const struct proto_finding *natpmp, const struct proto_finding *pcp,
    void *arg)
{
	struct diagnosis *d = arg;

	(void)natpmp;
	d->ev.v6.pcp = *pcp;
	diag_settle(d);
}

static void
diag_on_igd6(const struct upnp_result *r, void *arg)
{
	struct diagnosis *d = arg;
	struct proto_finding *f = &d->ev.v6.igd;

	f->asked = true;
	f->answered = r->finding.answered;
	f->can_map = r->done;
	snprintf(f->detail, sizeof(f->detail), "%s", r->done ? "pinholes "
	    "allowed" : r->map_error[0] ? r->map_error : r->finding.detail);
	diag_settle(d);
}

static void
diag_on_inbound(const struct reach_result *r, void *arg)
{
	struct diagnosis *d = arg;
	struct inbound_check *in = &d->ev.v6.inbound;

	snprintf(in->result, sizeof(in->result), "%s", r->result);
	snprintf(in->detail, sizeof(in->detail), "%s", r->detail);
	diag_settle(d);
}

/* The router in front of the IPv6 addresses: does it open pinholes? */
static void
diag_ipv6_router(struct diagnosis *d)
{
	static const struct upnp_map_args status = { .op = UPNP_OP_PIN_STATUS };
	struct route_default rt;
	char why[REASON_LEN];
	int left = diag_remaining_ms(d);

	if (route_read_default6(&rt, why, sizeof(why)) < 0) {
		log_debug("%s", why);
		return;
	}
	d->ev.v6.router = rt.gateway;
	d->ev.v6.pcp.asked = true;
	d->pcp6 = gwprobe_start(d->base, &rt.gateway, left, false, diag_on_pcp6,
	    d);
	d->pending += d->pcp6 != NULL;
	d->igd6 = upnpprobe_start(d->base, &rt.gateway, false, left, &status,
	    diag_on_igd6, d);
	d->pending += d->igd6 != NULL;
}

/* Each observer that may be asked over IPv6 (a name, or an IPv6
 * literal), from source. */
static void
diag_ipv6_observers(struct diagnosis *d, struct evdns_base *dns,
    const struct netaddr *source)
{
	for (int i = 0; i < d->cfg.nstun; i++) {
		if (resolve_literal_family(d->cfg.stun[i]) == AF_INET)
			continue;
		d->pending++;
		d->stun6[i] = stunprobe_start(d->base, dns, d->cfg.stun[i],
		    source, d->cfg.timeout_ms, 0, diag_on_stun6, d);
		d->pending -= d->stun6[i] == NULL;
	}
	for (int i = 0; i < d->cfg.necho; i++) {
		if (echo_url_family(d->cfg.echo[i]) == AF_INET)
			continue;
		d->echo6[i] = echoprobe_start(d->base, d->cfg.echo[i], source,
		    d->cfg.timeout_ms, diag_on_echo6, d);
		d->pending += d->echo6[i] != NULL;
	}
}

/* Does the port answer from outside over IPv6, at the stable address? */
static void
diag_ipv6_inbound(struct diagnosis *d, struct evdns_base *dns)
{
	struct inbound_check *in = &d->ev.v6.inbound;
	int rc;

	if (d->cfg.check_url == NULL || d->cfg.check_port == 0 ||
	    !d->ev.has_global_ipv6 || (d->reach = reach_new(d->base, dns,
	    1)) == NULL)
		return;
	in->asked = true;
	in->port = d->cfg.check_port;
	in->proto = d->cfg.check_proto;
	snprintf(in->result, sizeof(in->result), "error");
	snprintf(in->detail, sizeof(in->detail), "no answer from the check "
	    "server in time");
	d->pending++;
	rc = reach_check(d->reach, d->cfg.check_url, "diagnose",
	    &d->ev.global_ipv6, in->port, in->proto, diag_on_inbound, d);
	if (rc < 0) {
		snprintf(in->detail, sizeof(in->detail), rc == REACH_OTHER_FAMILY ?
		    "%.60s names no IPv6 server" : "cannot ask %.60s",
		    d->cfg.check_url);
		d->pending--;
	}
}

static void
diag_ipv6(struct diagnosis *d, struct evdns_base *dns)
{
	struct ipv6_evidence *e = &d->ev.v6;

	e->asked = true;
	e->naddrs = netif_ipv6(e->addrs, EV_MAX_ADDR6);
	if (e->naddrs == 0)
		return;
	diag_ipv6_router(d);
	diag_ipv6_observers(d, dns, d->ev.has_global_ipv6 ?
	    &d->ev.global_ipv6 : &e->addrs[0].address);
	diag_ipv6_inbound(d, dns);
}

static void
diag_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	log_debug("diagnosis: deadline reached");
	diag_on_finish(-1, 0, arg);
}

static void
diag_outside_probes(struct diagnosis *d, struct evdns_base *dns)
{
	for (int i = 0; i < d->cfg.nstun; i++) {
		if (resolve_literal_family(d->cfg.stun[i]) == AF_INET6)
			continue;	/* asked over IPv6 only */
		d->pending++;	/* before start: the callback may run at once */
		d->stun[i] = stunprobe_start(d->base, dns, d->cfg.stun[i],
		    NULL, d->cfg.timeout_ms, (d->cfg.behaviour ? STUNPROBE_BEHAVIOUR : 0) |
		    (d->cfg.quick ? STUNPROBE_URGENT : 0), diag_on_stun, d);
		if (d->stun[i] == NULL)
			d->pending--;
	}
	for (int i = 0; i < d->cfg.necho; i++) {
		if (echo_url_family(d->cfg.echo[i]) == AF_INET6)
			continue;
		d->echo[i] = echoprobe_start(d->base, d->cfg.echo[i], NULL,
		    d->cfg.timeout_ms, diag_on_echo, d);
		d->pending += d->echo[i] != NULL;
	}
}

static const char *diagnosis_default_stun[] = {
	"stun.l.google.com:19302", "stun.cloudflare.com:3478",
};
static const char *diagnosis_default_echo[] = {
	"https://api64.ipify.org", "https://icanhazip.com",	/* both families */
};

void
diagnosis_use_defaults(struct diagnosis_config *c)
{
	if (c->nstun + c->necho > 0)
		return;
	for (size_t i = 0; i < 2; i++) {
		c->stun[c->nstun++] = diagnosis_default_stun[i];
		c->echo[c->necho++] = diagnosis_default_echo[i];
	}
}

struct diagnosis *
diagnosis_start(struct event_base *base, struct evdns_base *dns,
    const struct diagnosis_config *cfg, diagnosis_done_cb *done, void *arg)
{
	struct diagnosis *d = calloc(1, sizeof(*d));
	struct timeval now;

	if (d == NULL || (d->finish = event_new(base, -1, 0, diag_on_finish,
	    d)) == NULL || (d->deadline = evtimer_new(base, diag_on_deadline,
	    d)) == NULL) {
		diagnosis_free(d);
		return NULL;
	}
	d->base = base;
	d->cfg = *cfg;
	d->done = done;
	d->arg = arg;
	d->starting = true;
	/* The check server waits 3 s for an answer from our port. */
	int ms = cfg->ipv6 && cfg->check_port && cfg->timeout_ms <
	    DIAG_INBOUND_MS ? DIAG_INBOUND_MS : cfg->timeout_ms;
	struct timeval span = { ms / 1000, ms % 1000 * 1000 };

	gettimeofday(&now, NULL);
	timeradd(&now, &span, &d->deadline_at);
	loop_after(d->deadline, ms + 100);	/* probes first */
	diag_local(d);
	diag_outside_probes(d, dns);
	if (cfg->ipv6)
		diag_ipv6(d, dns);
	d->starting = false;
	if (d->pending == 0)
		event_active(d->finish, 0, 0);
	return d;
}

const struct evidence *
diagnosis_evidence(const struct diagnosis *d)
{
	return &d->ev;
}

void
diagnosis_free(struct diagnosis *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < DIAG_MAX_SERVERS; i++) {
		stunprobe_free(d->stun[i]);
		stunprobe_free(d->stun6[i]);
		echoprobe_free(d->echo[i]);
		echoprobe_free(d->echo6[i]);
	}
	gwprobe_free(d->pcp6);
	upnpprobe_free(d->igd6);
	reach_free(d->reach);
	for (size_t i = 0; i < sizeof(d->gws) / sizeof(d->gws[0]); i++) {
		gwprobe_free(d->gws[i].gwp);
		upnpprobe_free(d->gws[i].upnp);
	}
	hopprobe_free(d->hop);
	hairpin_free(d->hairpin);
	loop_event_free(&d->deadline);
	loop_event_free(&d->finish);
	free(d);
}

void
diagnosis_observers(struct diagnosis_config *dc, const struct config *cfg)
{
	if (dc->nstun + dc->necho > 0)	/* the command line's */
		return;
	for (int i = 0; i < cfg->nstun && dc->nstun < DIAG_MAX_SERVERS; i++)
		dc->stun[dc->nstun++] = cfg->stun[i];
	for (int i = 0; i < cfg->necho && dc->necho < DIAG_MAX_SERVERS; i++)
		dc->echo[dc->necho++] = cfg->http_echo[i];
	diagnosis_use_defaults(dc);
}
