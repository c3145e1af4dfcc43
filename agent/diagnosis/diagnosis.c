/*
 * The diagnosis starts the local reads (route, interfaces), the gateway
 * probes, every STUN server and HTTP echo at once. The first STUN answer
 * gives a public target for the hop probe; a private hop after the home
 * router is probed as the upstream router. done runs when all have
 * reported, or at the deadline with what there is.
 */
#include "agent/diagnosis/diagnosis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/route.h"
#include "nat/gwprobe.h"
#include "nat/upnp.h"
#include "probes/echo.h"
#include "probes/hop.h"
#include "probes/stunprobe.h"

#define DIAG_HOPS	3

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
	struct stunprobe *stun[DIAG_MAX_SERVERS];
	struct echoprobe *echo[DIAG_MAX_SERVERS];
	struct diag_gw gws[2];		/* home, upstream */
	struct hopprobe *hop;
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
    bool ok, const struct netaddr *a, const char *error)
{
	struct observation *o = evidence_add_obs(&d->ev, src, server);
	char text[ADDR_STRLEN];

	if (o == NULL)
		return;
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

static void
diag_on_hops(const struct netaddr *hops, int nhops, void *arg)
{
	struct diagnosis *d = arg;
	const struct gateway *home = evidence_role(&d->ev, GW_HOME);

	memcpy(d->ev.hops, hops, sizeof(*hops) * (size_t)nhops);
	d->ev.nhops = nhops;
	if (nhops >= 2 && hops[1].family != 0 && !addr_is_public(&hops[1]) &&
	    (home == NULL || !addr_equal(&home->address, &hops[1])))
		diag_probe_gateway(d, 1, &hops[1], GW_UPSTREAM);
	diag_settle(d);
}

static void
diag_on_stun(const struct stun_result *r, void *arg)
{
	struct diagnosis *d = arg;
	int left = diag_remaining_ms(d);

	diag_outside(d, OBS_STUN, r->server, r->ok, &r->reflexive, r->error);
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

	diag_outside(d, OBS_HTTP, r->url, r->ok, &r->address, r->error);
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
	if (d->cfg.quick)
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
		d->pending++;	/* before start: the callback may run at once */
		d->stun[i] = stunprobe_start(d->base, dns, d->cfg.stun[i],
		    d->cfg.timeout_ms, (d->cfg.behaviour ? STUNPROBE_BEHAVIOUR : 0) |
		    (d->cfg.quick ? STUNPROBE_URGENT : 0), diag_on_stun, d);
		if (d->stun[i] == NULL)
			d->pending--;
	}
	for (int i = 0; i < d->cfg.necho; i++) {
		d->echo[i] = echoprobe_start(d->base, d->cfg.echo[i],
		    d->cfg.timeout_ms, diag_on_echo, d);
		d->pending += d->echo[i] != NULL;
	}
}

static const char *diagnosis_default_stun[] = {
	"stun.l.google.com:19302", "stun.cloudflare.com:3478",
};
static const char *diagnosis_default_echo[] = {
	"https://api.ipify.org", "https://ipv4.icanhazip.com",
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
	struct timeval span = { cfg->timeout_ms / 1000,
	    cfg->timeout_ms % 1000 * 1000 };

	gettimeofday(&now, NULL);
	timeradd(&now, &span, &d->deadline_at);
	loop_after(d->deadline, cfg->timeout_ms + 100);	/* probes first */
	diag_local(d);
	diag_outside_probes(d, dns);
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
		echoprobe_free(d->echo[i]);
	}
	for (int i = 0; i < 2; i++) {
		gwprobe_free(d->gws[i].gwp);
		upnpprobe_free(d->gws[i].upnp);
	}
	hopprobe_free(d->hop);
	loop_event_free(&d->deadline);
	loop_event_free(&d->finish);
	free(d);
}
