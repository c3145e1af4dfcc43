/*
 * NAT-PMP and PCP share port 5351. Each runs as an exchange on its own
 * connected UDP socket (the kernel then drops datagrams from any other
 * source), retransmitted at 250 ms doubling (RFC 6886 section 3.1,
 * RFC 6887 section 8.1.1) until an answer or the deadline.
 */
#include "nat/gwprobe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <natpmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/log.h"
#include "nat/natpmp.h"
#include "nat/pcp.h"

#define GW_FIRST_RTO_MS	250

struct gw_exchange {
	struct gwprobe *probe;
	int fd, rto_ms;
	struct event *rd, *resend;
	struct proto_finding *finding;
	bool done;
	int (*send)(struct gw_exchange *x);
	void (*parse)(struct gw_exchange *x, const uint8_t *buf, size_t n);
};

struct gwprobe {
	struct netaddr gateway;
	natpmp_t natpmp;
	bool natpmp_open;
	struct netaddr client;		/* our address toward the gateway */
	struct gw_exchange xnatpmp, xpcp;
	struct proto_finding fnatpmp, fpcp;
	struct event *deadline;
	gwprobe_cb *cb;
	void *arg;
};

static void
gw_exchange_stop(struct gw_exchange *x)
{
	x->done = true;
	if (x->rd)
		event_del(x->rd);
	if (x->resend)
		event_del(x->resend);
}

static void
gw_maybe_finish(struct gwprobe *p)
{
	if (!p->xnatpmp.done || !p->xpcp.done)
		return;
	event_del(p->deadline);
	p->cb(&p->fnatpmp, &p->fpcp, p->arg);
}

static int
gw_natpmp_send(struct gw_exchange *x)
{
	return sendpublicaddressrequest(&x->probe->natpmp) == 2 ? 0 : -EIO;
}

static void
gw_natpmp_parse(struct gw_exchange *x, const uint8_t *buf, size_t n)
{
	struct proto_finding *f = x->finding;
	struct natpmp_reply r;

	if (natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, f->detail,
	    sizeof(f->detail)) < 0)
		return;		/* keep waiting; the reason stays recorded */
	f->answered = true;
	f->result = r.result;
	f->epoch = r.epoch;
	snprintf(f->detail, sizeof(f->detail), "%s",
	    natpmp_result_name(r.result));
	if (r.result == 0) {
		f->external = r.external;
		f->can_map = addr_is_public(&r.external);
	}
	gw_exchange_stop(x);
}

static int
gw_pcp_send(struct gw_exchange *x)
{
	uint8_t buf[PCP_HEADER_LEN];
	size_t n = pcp_build_announce(buf, &x->probe->client);

	return send(x->fd, buf, n, 0) == (ssize_t)n ? 0 : -errno;
}

static void
gw_pcp_parse(struct gw_exchange *x, const uint8_t *buf, size_t n)
{
	struct proto_finding *f = x->finding;
	struct pcp_reply r;

	if (pcp_parse_reply(buf, n, PCP_OP_ANNOUNCE, &r, f->detail,
	    sizeof(f->detail)) < 0)
		return;
	f->result = r.result;
	f->epoch = r.epoch;
	if (r.version == 0) {
		snprintf(f->detail, sizeof(f->detail), "NAT-PMP only: the "
		    "gateway does not speak PCP");
	} else {
		f->answered = true;
		f->can_map = r.result == 0;
		snprintf(f->detail, sizeof(f->detail), "%s",
		    pcp_result_name(r.result));
	}
	gw_exchange_stop(x);
}

static void
gw_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct gw_exchange *x = arg;
	uint8_t buf[PCP_MAX_LEN + 4];
	ssize_t n;

	(void)what;
	while (!x->done && (n = recv(fd, buf, sizeof(buf), 0)) >= 0)
		x->parse(x, buf, (size_t)n);
	if (!x->done && errno == ECONNREFUSED) {
		snprintf(x->finding->detail, sizeof(x->finding->detail),
		    "port 5351 closed (ICMP port unreachable)");
		gw_exchange_stop(x);
	}
	gw_maybe_finish(x->probe);
}

static void
gw_on_resend(evutil_socket_t fd, short what, void *arg)
{
	struct gw_exchange *x = arg;
	struct timeval tv = { x->rto_ms / 1000, x->rto_ms % 1000 * 1000 };

	(void)fd, (void)what;
	if (x->send(x) < 0)
		log_debug("gateway probe: send: %s", strerror(errno));
	x->rto_ms *= 2;
	evtimer_add(x->resend, &tv);
}

static int
gw_exchange_start(struct gwprobe *p, struct gw_exchange *x, int fd,
    struct proto_finding *f, struct event_base *base)
{
	x->probe = p;
	x->fd = fd;
	x->finding = f;
	x->rto_ms = GW_FIRST_RTO_MS;
	f->asked = true;
	x->rd = event_new(base, fd, EV_READ | EV_PERSIST, gw_on_read, x);
	x->resend = evtimer_new(base, gw_on_resend, x);
	if (x->rd == NULL || x->resend == NULL)
		return -ENOMEM;
	event_add(x->rd, NULL);
	gw_on_resend(-1, 0, x);
	return 0;
}

static int
gw_pcp_socket(struct gwprobe *p)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(&p->gateway, NATPMP_UDP_PORT, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		goto fail;
	addr_from_sockaddr((struct sockaddr *)&ss, &p->client, NULL);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static void
gw_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct gwprobe *p = arg;
	struct gw_exchange *xs[] = { &p->xnatpmp, &p->xpcp };

	(void)fd, (void)what;
	for (int i = 0; i < 2; i++) {
		if (xs[i]->done)
			continue;
		if (xs[i]->finding->detail[0] == '\0')
			snprintf(xs[i]->finding->detail,
			    sizeof(xs[i]->finding->detail), "no answer");
		gw_exchange_stop(xs[i]);
	}
	gw_maybe_finish(p);
}

static int
gw_start_natpmp(struct gwprobe *p, struct event_base *base)
{
	in_addr_t gw;

	memcpy(&gw, p->gateway.bytes, 4);
	if (p->gateway.family != AF_INET || initnatpmp(&p->natpmp, 1, gw) < 0) {
		snprintf(p->fnatpmp.detail, sizeof(p->fnatpmp.detail),
		    "cannot open a NAT-PMP socket");
		p->xnatpmp.done = true;
		return 0;
	}
	p->natpmp_open = true;
	p->xnatpmp.send = gw_natpmp_send;
	p->xnatpmp.parse = gw_natpmp_parse;
	return gw_exchange_start(p, &p->xnatpmp, p->natpmp.s, &p->fnatpmp, base);
}

static int
gw_start_pcp(struct gwprobe *p, struct event_base *base)
{
	int fd = gw_pcp_socket(p);

	if (fd < 0) {
		snprintf(p->fpcp.detail, sizeof(p->fpcp.detail),
		    "cannot open a PCP socket: %s", strerror(errno));
		p->xpcp.done = true;
		p->xpcp.fd = -1;
		return 0;
	}
	p->xpcp.send = gw_pcp_send;
	p->xpcp.parse = gw_pcp_parse;
	return gw_exchange_start(p, &p->xpcp, fd, &p->fpcp, base);
}

struct gwprobe *
gwprobe_start(struct event_base *base, const struct netaddr *gateway,
    int timeout_ms, gwprobe_cb *cb, void *arg)
{
	struct gwprobe *p = calloc(1, sizeof(*p));
	struct timeval tv = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };

	if (p == NULL)
		return NULL;
	p->gateway = *gateway;
	p->cb = cb;
	p->arg = arg;
	p->xpcp.fd = -1;
	p->deadline = evtimer_new(base, gw_on_deadline, p);
	if (p->deadline == NULL || gw_start_natpmp(p, base) < 0 ||
	    gw_start_pcp(p, base) < 0) {
		gwprobe_free(p);
		return NULL;
	}
	evtimer_add(p->deadline, &tv);
	return p;
}

static void
gw_exchange_free(struct gw_exchange *x)
{
	if (x->rd)
		event_free(x->rd);
	if (x->resend)
		event_free(x->resend);
}

void
gwprobe_free(struct gwprobe *p)
{
	if (p == NULL)
		return;
	gw_exchange_free(&p->xnatpmp);
	gw_exchange_free(&p->xpcp);
	if (p->natpmp_open)
		closenatpmp(&p->natpmp);
	if (p->xpcp.fd >= 0)
		close(p->xpcp.fd);
	if (p->deadline)
		event_free(p->deadline);
	free(p);
}
