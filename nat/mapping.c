/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A mapping operation walks the protocols in order (PCP, NAT-PMP, UPnP, or
 * the one asked for) until one grants it. Every step ends in a callback of
 * an exchange or probe; the next step starts from a separate event, never
 * inside the callback of the step that ended, so nothing frees itself.
 */
#include "nat/mapping.h"

#include <errno.h>
#include <natpmp.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/netif.h"
#include "nat/exchange.h"
#include "nat/natpmp.h"
#include "nat/portsock.h"
#include "nat/upnp.h"

#define MAP_PORT_PROTO_MS	1500	/* PCP and NAT-PMP, each */

struct mapping_op {
	struct event_base *base;
	struct netaddr gateway;
	struct mapping_spec spec;
	int timeout_ms;
	enum map_via order[3];
	int norder, step;
	int fd;
	natpmp_t natpmp, natpmp_addr;	/* libnatpmp: one request each */
	bool natpmp_open, natpmp_addr_open, port_closed;
	uint32_t pin_lifetime;		/* a pinhole renewal: asked once the
					 * old one is deleted, else 0 */
	int natpmp_pending, natpmp_status;
	struct exchange *x, *xaddr;
	struct upnpprobe *upnp;
	struct pcp_map_request pcp;
	struct event *next;
	struct mapping_grant g;
	mapping_cb *cb;
	void *arg;
};

static void __attribute__((format(printf, 2, 3)))
map_fail(struct mapping_op *op, const char *fmt, ...)
{
	struct mapping_grant *g = &op->g;
	size_t len = strlen(g->error);
	va_list ap;

	if (len > 0 && len + 2 < sizeof(g->error))
		strcat(g->error, "; "), len += 2;
	va_start(ap, fmt);
	vsnprintf(g->error + len, sizeof(g->error) - len, fmt, ap);
	va_end(ap);
}

/* End of a step: move on from a fresh event, not from inside a callback. */
static void
map_step_over(struct mapping_op *op)
{
	event_active(op->next, 0, 0);
}

static void
map_release(struct mapping_op *op)
{
	exchange_free(op->x);
	exchange_free(op->xaddr);
	op->x = op->xaddr = NULL;
	upnpprobe_free(op->upnp);
	op->upnp = NULL;
	if (op->natpmp_open)
		closenatpmp(&op->natpmp);
	if (op->natpmp_addr_open)
		closenatpmp(&op->natpmp_addr);
	op->natpmp_open = op->natpmp_addr_open = false;
	if (op->fd >= 0)
		close(op->fd);
	op->fd = -1;
}

/* --- PCP (RFC 6887 section 11) --- */

static int
map_pcp_send(int fd, void *arg)
{
	uint8_t buf[PCP_MAP_LEN];
	size_t n = pcp_build_map(buf, &((struct mapping_op *)arg)->pcp);

	return send(fd, buf, n, 0) == (ssize_t)n ? 0 : -errno;
}

static int
map_pcp_parse(const uint8_t *buf, size_t n, void *arg)
{
	struct mapping_op *op = arg;
	struct mapping_grant *g = &op->g;
	struct pcp_map_reply r;
	char why[REASON_LEN];

	if (pcp_parse_map(buf, n, &op->pcp, &r, why, sizeof(why)) < 0)
		return 0;	/* not ours or malformed: keep waiting */
	if (op->pin_lifetime != 0) {	/* the old pinhole is gone: ask anew */
		op->pcp.lifetime = op->pin_lifetime;
		op->pin_lifetime = 0;
		exchange_again(op->x, 0);
		return 0;
	}
	if (op->pcp.lifetime != 0 && r.hdr.result == 0 && r.hdr.lifetime == 0)
		return 0;	/* a late answer to that deletion */
	if (r.hdr.version == 0) {
		map_fail(op, "PCP: not spoken (a NAT-PMP gateway)");
		return 1;
	}
	g->epoch = r.hdr.epoch;
	if (r.hdr.result != 0) {
		g->no_public_address |= r.hdr.result == PCP_NETWORK_FAILURE;
		map_fail(op, "PCP: %s", pcp_result_name(r.hdr.result));
		return 1;
	}
	g->ok = true;
	if (addr_is_host(&r.external))
		g->external = r.external;
	else if (op->gateway.family == AF_INET6)	/* a firewall: no NAT */
		g->external = op->pcp.client;
	g->external_port = r.external_port;
	g->lifetime = r.hdr.lifetime;
	memcpy(g->nonce, op->pcp.nonce, PCP_NONCE_LEN);
	return 1;
}

static void
map_port_done(int status, void *arg)
{
	struct mapping_op *op = arg;
	const char *name = op->order[op->step - 1] == VIA_PCP ? "PCP" : "NAT-PMP";

	if (status == -ECONNREFUSED) {
		op->port_closed = true;
		map_fail(op, "%s: port 5351 closed", name);
	} else if (status == -ETIMEDOUT) {
		map_fail(op, "%s: no answer", name);
	}
	map_step_over(op);
}

static const struct exchange_ops map_pcp_ops = {
	map_pcp_send, map_pcp_parse, map_port_done,
};

static void
map_try_pcp(struct mapping_op *op, int timeout_ms)
{
	struct pcp_map_request *req = &op->pcp;
	const struct mapping_spec *s = &op->spec;

	/* A pinhole (an IPv6 gateway) is for the address named, and PCP
	 * wants the request to come from it (RFC 6887 section 8.1). */
	if ((op->fd = portsock_open(&op->gateway, op->gateway.family ==
	    AF_INET6 ? &s->client : NULL, &op->g.internal)) < 0) {
		char a[ADDR_STRLEN];
		if (errno == EADDRNOTAVAIL)	/* renumbered: it ends by its lease */
			map_fail(op, "PCP: this host no longer has %s to ask from",
			    addr_ntop(&s->client, a, sizeof(a)));
		else
			map_fail(op, "PCP: cannot open a socket");
		map_step_over(op);
		return;
	}
	memset(req, 0, sizeof(*req));
	if (s->client.family)		/* upstream: the home router's WAN */
		op->g.internal = s->client;
	req->client = op->g.internal;
	if (s->has_nonce)
		memcpy(req->nonce, s->nonce, PCP_NONCE_LEN);
	else if (getrandom(req->nonce, PCP_NONCE_LEN, 0) != PCP_NONCE_LEN)
		abort();	/* no CSPRNG: nothing safe to do */
	req->protocol = (uint8_t)s->protocol;
	req->internal_port = s->internal_port;
	req->external_port = s->external_port ? s->external_port : s->internal_port;
	req->lifetime = s->remove ? 0 : s->lifetime;
	/*
	 * Renewing a pinhole: miniupnpd (2.3.1 with nftables, and its PF
	 * backend: miniupnp issues 744, 747) "updates" one by adding a second
	 * rule without the request's nonce, which no PCP deletion can remove
	 * after. Deleted first and made again, it stays removable; what is
	 * established through it stays (the firewall tracks connections).
	 */
	if (op->gateway.family == AF_INET6 && s->renew && !s->remove) {
		op->pin_lifetime = req->lifetime;
		req->lifetime = 0;
	}
	op->x = exchange_start(op->base, op->fd, timeout_ms, &map_pcp_ops, op);
	if (op->x == NULL)
		map_step_over(op);
}

/* --- NAT-PMP (RFC 6886 section 3.3), and at the same time the external
 * address (section 3.2): two libnatpmp handles, one request each --- */

static int
map_natpmp_send(int fd, void *arg)
{
	struct mapping_op *op = arg;
	const struct mapping_spec *s = &op->spec;
	int proto = s->protocol == IPPROTO_TCP ? NATPMP_PROTOCOL_TCP :
	    NATPMP_PROTOCOL_UDP;
	uint16_t ext = s->remove ? 0 : s->external_port ? s->external_port :
	    s->internal_port;

	(void)fd;
	return sendnewportmappingrequest(&op->natpmp, proto, s->internal_port,
	    ext, s->remove ? 0 : s->lifetime) == 12 ? 0 : -EIO;
}

static int
map_natpmp_parse(const uint8_t *buf, size_t n, void *arg)
{
	struct mapping_op *op = arg;
	struct mapping_grant *g = &op->g;
	uint8_t want = op->spec.protocol == IPPROTO_TCP ? NATPMP_OP_MAP_TCP :
	    NATPMP_OP_MAP_UDP;
	struct natpmp_reply r;
	char why[REASON_LEN];

	if (natpmp_parse_reply(buf, n, want, &r, why, sizeof(why)) < 0 ||
	    (r.result == 0 && r.internal_port != op->spec.internal_port))
		return 0;	/* not ours or malformed: keep waiting */
	g->epoch = r.epoch;
	if (r.result != 0) {
		g->no_public_address |= r.result == NATPMP_NETWORK_FAILURE;
		map_fail(op, "NAT-PMP: %s", natpmp_result_name(r.result));
		return 1;
	}
	g->ok = true;
	g->external_port = r.external_port;
	g->lifetime = r.lifetime;
	return 1;
}

static int
map_natpmp_addr_send(int fd, void *arg)
{
	(void)fd;
	return sendpublicaddressrequest(&((struct mapping_op *)arg)->natpmp_addr)
	    == 2 ? 0 : -EIO;
}

static int
map_natpmp_addr_parse(const uint8_t *buf, size_t n, void *arg)
{
	struct mapping_op *op = arg;
	struct natpmp_reply r;
	char why[REASON_LEN];

	if (natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, why,
	    sizeof(why)) < 0)
		return 0;
	if (r.result == 0 && addr_is_host(&r.external))
		op->g.external = r.external;
	return 1;
}

static void
map_natpmp_settle(struct mapping_op *op)
{
	if (--op->natpmp_pending == 0)
		map_port_done(op->natpmp_status, op);
}

static void
map_natpmp_done(int status, void *arg)
{
	((struct mapping_op *)arg)->natpmp_status = status;
	map_natpmp_settle(arg);
}

static void
map_natpmp_addr_done(int status, void *arg)
{
	(void)status;	/* the mapping's own outcome decides */
	map_natpmp_settle(arg);
}

static const struct exchange_ops map_natpmp_ops = {
	map_natpmp_send, map_natpmp_parse, map_natpmp_done,
};
static const struct exchange_ops map_natpmp_addr_ops = {
	map_natpmp_addr_send, map_natpmp_addr_parse, map_natpmp_addr_done,
};

static void
map_try_natpmp(struct mapping_op *op, int timeout_ms)
{
	if (op->gateway.family == AF_INET6) {
		map_fail(op, "NAT-PMP: IPv4 only (RFC 6886)");
		map_step_over(op);
		return;
	}
	if (op->port_closed || portsock_natpmp(&op->natpmp, &op->gateway) < 0) {
		if (!op->port_closed)
			map_fail(op, "NAT-PMP: cannot open a socket");
		map_step_over(op);
		return;
	}
	op->natpmp_open = true;
	netif_source_for(&op->gateway, &op->g.internal);
	op->x = exchange_start(op->base, op->natpmp.s, timeout_ms,
	    &map_natpmp_ops, op);
	if (op->x == NULL) {
		map_step_over(op);
		return;
	}
	op->natpmp_pending = 1;
	if (!op->spec.remove &&
	    portsock_natpmp(&op->natpmp_addr, &op->gateway) == 0) {
		op->natpmp_addr_open = true;
		op->xaddr = exchange_start(op->base, op->natpmp_addr.s,
		    timeout_ms, &map_natpmp_addr_ops, op);
		op->natpmp_pending += op->xaddr != NULL;
	}
}

/* --- UPnP-IGD --- */

static void
map_upnp_done(const struct upnp_result *r, void *arg)
{
	struct mapping_op *op = arg;
	struct mapping_grant *g = &op->g;

	if (r->done && op->gateway.family == AF_INET6) {
		g->ok = true;			/* a pinhole: no NAT */
		g->external = op->g.internal;
		g->external_port = op->spec.remove ? 0 : r->external_port;
		g->lifetime = r->lifetime;
		g->pinhole_id = r->pinhole_id;
	} else if (r->done) {
		g->ok = true;
		g->external = r->finding.external;
		g->external_port = op->spec.remove ? 0 : r->external_port;
		g->lifetime = r->lifetime;
	} else {
		g->no_public_address |= r->finding.answered &&
		    (r->finding.external.family == 0 ||
		    !addr_is_public(&r->finding.external));
		map_fail(op, "UPnP: %s", r->map_error[0] ? r->map_error :
		    r->finding.detail);
	}
	map_step_over(op);
}

static void
map_try_upnp(struct mapping_op *op, int timeout_ms)
{
	const struct mapping_spec *s = &op->spec;
	bool pin = op->gateway.family == AF_INET6;	/* IGDv2 pinhole */
	struct upnp_map_args a = {
		.op = pin ? (s->remove ? UPNP_OP_PIN_DELETE : UPNP_OP_PIN_ADD) :
		    s->remove ? UPNP_OP_DELETE : UPNP_OP_ADD,
		.protocol = s->protocol, .internal_port = s->internal_port,
		.external_port = s->external_port, .lifetime = s->lifetime,
		.pinhole_id = s->pinhole_id,
	};

	netif_source_for(&op->gateway, &op->g.internal);
	if (s->client.family)
		op->g.internal = s->client;
	a.internal_client = op->g.internal;
	op->upnp = upnpprobe_start(op->base, &op->gateway, true, timeout_ms, &a,
	    map_upnp_done, op);
	if (op->upnp == NULL) {
		map_fail(op, "UPnP: cannot start");
		map_step_over(op);
	}
}

static void
map_next(evutil_socket_t fd, short what, void *arg)
{
	struct mapping_op *op = arg;
	int per_port = op->norder > 1 ? MAP_PORT_PROTO_MS : op->timeout_ms;

	(void)fd, (void)what;
	map_release(op);
	if ((op->g.ok && !(op->spec.remove && op->spec.via == VIA_ANY)) ||
	    op->step == op->norder) {
		op->g.via = op->g.ok ? op->order[op->step - 1] : op->spec.via;
		op->cb(&op->g, op->arg);
		return;
	}
	switch (op->order[op->step++]) {
	case VIA_PCP: map_try_pcp(op, per_port); break;
	case VIA_NATPMP: map_try_natpmp(op, per_port); break;
	default: map_try_upnp(op, op->timeout_ms); break;
	}
}

struct mapping_op *
mapping_start(struct event_base *base, const struct netaddr *gateway,
    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb, void *arg)
{
	struct mapping_op *op = calloc(1, sizeof(*op));

	if (op == NULL || (op->next = event_new(base, -1, 0, map_next, op)) == NULL) {
		free(op);
		return NULL;
	}
	op->base = base;
	op->gateway = *gateway;
	op->g.gateway = *gateway;
	op->spec = *spec;
	op->timeout_ms = timeout_ms;
	op->fd = -1;
	op->cb = cb;
	op->arg = arg;
	if (spec->via == VIA_ANY && spec->upstream) {
		/* Through a NAT, NAT-PMP maps to whatever source it sees; PCP
		 * and UPnP must be told that address. */
		op->order[op->norder++] = VIA_NATPMP;
		if (spec->client.family) {
			op->order[op->norder++] = VIA_PCP;
			op->order[op->norder++] = VIA_UPNP;
		}
	} else if (spec->via == VIA_ANY && gateway->family == AF_INET6) {
		/* A pinhole in the router's IPv6 firewall: no NAT-PMP there. */
		op->order[0] = VIA_PCP, op->order[1] = VIA_UPNP;
		op->norder = 2;
	} else if (spec->via == VIA_ANY) {
		op->order[0] = VIA_PCP, op->order[1] = VIA_NATPMP, op->order[2] = VIA_UPNP;
		op->norder = 3;
	} else {
		op->order[0] = spec->via;
		op->norder = 1;
	}
	map_step_over(op);
	return op;
}

int
mapping_choose_nonce(struct mapping_spec *spec)
{
	if (spec->has_nonce)
		return 0;
	if (getrandom(spec->nonce, PCP_NONCE_LEN, 0) != PCP_NONCE_LEN)
		return -1;
	spec->has_nonce = true;
	return 0;
}

void
mapping_free(struct mapping_op *op)
{
	if (op == NULL)
		return;
	map_release(op);
	event_free(op->next);
	free(op);
}
