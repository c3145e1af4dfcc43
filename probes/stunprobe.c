/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * STUN probe. Socket A runs the binding test and the RFC 5780 mapping tests
 * (section 4.3); socket B runs the filtering tests (section 4.4) on a
 * mapping that has only ever talked to the primary address, so the mapping
 * tests cannot open the filter being measured. Replies count only with a
 * known transaction ID and from the address that transaction expects.
 */
#include "probes/stunprobe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "lib/clock.h"
#include "lib/icmperr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/resolve.h"
#include "lib/stun.h"

#define STUN_FIRST_RTO_MS	100
#define STUN_URGENT_RTO_MS	25
#define STUN_UNREACH_MS		10	/* a request the network bounced */
#define STUN_UNREACH_MAX	30	/* ... this often at most: 300 ms */
#define STUN_BEH_BASE_MS	250	/* behaviour tests: this + 4 RTT */

enum { T_MAIN, T_FBASE, T_MAP2, T_MAP3, T_FILT2, T_FILT3, T_COUNT };

struct stun_txn {
	struct stunprobe *probe;
	int sock;			/* 0: socket A, 1: socket B */
	uint8_t change;
	uint8_t txid[STUN_TXID_LEN];
	struct netaddr to;
	uint16_t to_port;
	struct netaddr from;		/* where the answer must come from */
	uint16_t from_port;
	bool active, answered;
	struct stun_message reply;
	int rto_ms;
	int bounced;			/* ICMP unreachable, resent early */
	bool early;			/* the next send is such a one */
	struct event *resend;
};

struct stunprobe {
	struct event_base *base;
	/* Sockets A and B; A's deadline is the probe's, B's the behaviour
	 * tests'. */
	struct loop_sock sk[2];
	struct loop_lookup *lookup;
	struct stun_txn t[T_COUNT];
	struct stun_endpoint other;
	struct timespec started;	/* CLOCK_MONOTONIC */
	char server[128];
	int family;			/* of the sockets and the server */
	char last_error[REASON_LEN];
	bool finished, behaviour;
	int first_rto_ms;
	struct stun_result res;
	stun_result_cb *cb;
	void *arg;
};

static void
stun_send(struct stun_txn *t)
{
	uint8_t buf[STUN_MAX_REQUEST];
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(&t->to, t->to_port, &ss);
	size_t n = stun_build_binding(buf, t->txid, t->change);

	if (sendto(t->probe->sk[t->sock].fd, buf, n, 0, (void *)&ss, sl) < 0)
		log_debug("stun %s: send: %s", t->probe->server, strerror(errno));
}

static void
stun_on_resend(evutil_socket_t fd, short what, void *arg)
{
	struct stun_txn *t = arg;
	int rto_ms = t->rto_ms;

	(void)fd, (void)what;
	stun_send(t);
	if (!t->early)
		t->rto_ms *= 2;		/* RFC 8489 section 6.2.1 */
	t->early = false;
	loop_after(t->resend, rto_ms);
}

static void
stun_txn_start(struct stunprobe *p, int which, int sock,
    const struct netaddr *to, uint16_t to_port, uint8_t change,
    const struct netaddr *from, uint16_t from_port, int rto_ms)
{
	struct stun_txn *t = &p->t[which];

	t->probe = p;
	t->sock = sock;
	t->to = *to;
	t->to_port = to_port;
	t->change = change;
	t->from = *from;
	t->from_port = from_port;
	t->rto_ms = rto_ms;
	t->active = true;
	if (getrandom(t->txid, sizeof(t->txid), 0) != sizeof(t->txid))
		abort();	/* no CSPRNG: nothing safe to do */
	stun_on_resend(-1, 0, t);
}

/* A router said it could not deliver a request (its new route not up yet,
 * just after an address change): send it again soon, not after a whole
 * RTO; the retransmission schedule goes on from there. */
static void
stun_bounced(struct stunprobe *p, int sock, const struct icmperr *e)
{
	for (int i = 0; i < T_COUNT; i++) {
		struct stun_txn *t = &p->t[i];
		if (!t->active || t->answered || t->sock != sock ||
		    t->bounced == STUN_UNREACH_MAX || !addr_equal(&t->to, &e->dest) ||
		    t->to_port != e->dest_port)
			continue;
		t->bounced++;
		t->early = true;
		loop_after(t->resend, STUN_UNREACH_MS);
	}
}

static void
stun_txn_stop(struct stun_txn *t)
{
	t->active = false;
	if (t->resend)
		event_del(t->resend);
}

static bool
stun_same_mapping(const struct stun_txn *a, const struct stun_txn *b)
{
	const struct stun_endpoint *x = stun_reflexive(&a->reply);
	const struct stun_endpoint *y = stun_reflexive(&b->reply);

	return addr_equal(&x->addr, &y->addr) && x->port == y->port;
}

static void
stun_behaviour(struct stunprobe *p)
{
	struct stun_result *r = &p->res;

	if (!r->has_other)
		return;
	if (p->t[T_MAP2].answered)
		r->mapping = stun_same_mapping(&p->t[T_MAIN], &p->t[T_MAP2]) ?
		    BEH_ENDPOINT_INDEPENDENT : !p->t[T_MAP3].answered ?
		    BEH_UNKNOWN : stun_same_mapping(&p->t[T_MAP2], &p->t[T_MAP3]) ?
		    BEH_ADDRESS_DEPENDENT : BEH_ADDRESS_PORT_DEPENDENT;
	if (p->t[T_FILT2].answered)
		r->filtering = BEH_ENDPOINT_INDEPENDENT;
	else if (p->t[T_FILT3].answered)
		r->filtering = BEH_ADDRESS_DEPENDENT;
	else if (p->t[T_FBASE].answered)
		r->filtering = BEH_ADDRESS_PORT_DEPENDENT;
}

static void
stun_finish(struct stunprobe *p)
{
	if (p->finished)
		return;
	p->finished = true;
	for (int i = 0; i < 2; i++)	/* late answers: nobody reads them */
		if (p->sk[i].io != NULL) {
			event_del(p->sk[i].io);
			event_del(p->sk[i].deadline);
		}
	for (int i = 0; i < T_COUNT; i++)
		stun_txn_stop(&p->t[i]);
	stun_behaviour(p);
	p->cb(&p->res, p->arg);
}

static void __attribute__((format(printf, 2, 3)))
stun_fail(struct stunprobe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->res.error, sizeof(p->res.error), fmt, ap);
	va_end(ap);
	stun_finish(p);
}

static bool
stun_behaviour_done(const struct stunprobe *p)
{
	for (int i = T_FBASE; i < T_COUNT; i++)
		if (p->t[i].active)
			return false;
	return true;
}

static void
stun_start_filtering(struct stunprobe *p)
{
	const struct netaddr *srv = &p->res.server_addr;
	uint16_t port = p->res.server_port;

	stun_txn_start(p, T_FILT2, 1, srv, port, STUN_CHANGE_IP |
	    STUN_CHANGE_PORT, &p->other.addr, p->other.port, 60);
	stun_txn_start(p, T_FILT3, 1, srv, port, STUN_CHANGE_PORT, srv,
	    p->other.port, 60);
}

/* Test I answered on socket A: now the mapping tests, if the server can. */
static void
stun_main_answered(struct stunprobe *p, struct stun_txn *t)
{
	const struct stun_endpoint *ep = stun_reflexive(&t->reply);
	struct stun_result *r = &p->res;
	int rtt = (int)clock_ms_since(&p->started);

	r->ok = true;
	r->rtt_ms = rtt;
	r->reflexive = ep->addr;
	r->reflexive_port = ep->port;
	p->other = t->reply.other;
	r->has_other = p->behaviour && p->other.present &&
	    p->other.addr.family == p->family &&
	    !addr_equal(&p->other.addr, &r->server_addr) &&
	    p->other.port != r->server_port;
	if (!r->has_other) {
		stun_finish(p);
		return;
	}
	loop_after(p->sk[1].deadline, STUN_BEH_BASE_MS + 4 * rtt);
	stun_txn_start(p, T_MAP2, 0, &p->other.addr, r->server_port, 0,
	    &p->other.addr, r->server_port, 60);
	stun_txn_start(p, T_MAP3, 0, &p->other.addr, p->other.port, 0,
	    &p->other.addr, p->other.port, 60);
	if (p->t[T_FBASE].answered)
		stun_start_filtering(p);
}

static void
stun_answered(struct stunprobe *p, struct stun_txn *t)
{
	int which = (int)(t - p->t);

	stun_txn_stop(t);
	t->answered = true;
	if (which == T_MAIN)
		stun_main_answered(p, t);
	else if (which == T_FBASE && p->res.has_other)
		stun_start_filtering(p);
	if (!p->finished && p->res.ok && (!p->res.has_other ||
	    stun_behaviour_done(p)))
		stun_finish(p);
}

static struct stun_txn *
stun_match(struct stunprobe *p, int sock, const struct stun_message *m,
    const struct netaddr *src, uint16_t sport)
{
	for (int i = 0; i < T_COUNT; i++) {
		struct stun_txn *t = &p->t[i];
		if (!t->active || t->sock != sock ||
		    memcmp(t->txid, m->txid, STUN_TXID_LEN) != 0)
			continue;
		if (!addr_equal(src, &t->from) || sport != t->from_port) {
			snprintf(p->last_error, sizeof(p->last_error),
			    "ignored a reply from an address that was not asked");
			return NULL;
		}
		return t;
	}
	snprintf(p->last_error, sizeof(p->last_error),
	    "ignored a reply with an unknown transaction ID");
	return NULL;
}

static void
stun_datagram(struct stunprobe *p, int sock, const uint8_t *buf, size_t n,
    const struct netaddr *src, uint16_t sport)
{
	struct stun_message m;
	struct stun_txn *t;
	char why[REASON_LEN];

	if (stun_parse(buf, n, &m, why, sizeof(why)) < 0) {
		snprintf(p->last_error, sizeof(p->last_error), "%s", why);
		return;
	}
	if ((t = stun_match(p, sock, &m, src, sport)) == NULL)
		return;
	if (m.type == STUN_BINDING_ERROR && t == &p->t[T_MAIN]) {
		snprintf(why, sizeof(why), "error response %d", m.error_code);
		stun_fail(p, "server answered with an %s", why);
	} else if (m.type != STUN_BINDING_SUCCESS || !stun_reflexive(&m)) {
		snprintf(p->last_error, sizeof(p->last_error), "%s",
		    m.type != STUN_BINDING_SUCCESS ? "reply is not a binding "
		    "success" : "success reply without a mapped address");
		if (t != &p->t[T_MAIN])
			stun_txn_stop(t);
	} else {
		t->reply = m;
		stun_answered(p, t);
	}
}

static void
stun_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct stunprobe *p = arg;
	int sock = fd == p->sk[0].fd ? 0 : 1;
	uint8_t buf[1500];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct netaddr src;
	uint16_t sport;
	ssize_t n;

	(void)what;
	for (struct icmperr e; !p->finished && icmperr_next(fd, &e); )
		if (e.type == ICMP_UNREACHABLE)
			stun_bounced(p, sock, &e);
	while (!p->finished &&
	    (n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (void *)&from, &fl)) >= 0) {
		addr_from_sockaddr((struct sockaddr *)&from, &src, &sport);
		fl = sizeof(from);
		if ((size_t)n > sizeof(buf))
			snprintf(p->last_error, sizeof(p->last_error),
			    "ignored a datagram of %zd bytes", n);
		else
			stun_datagram(p, sock, buf, (size_t)n, &src, sport);
	}
}

static void
stun_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct stunprobe *p = arg;
	char why[REASON_LEN + 32];

	(void)fd, (void)what;
	if (p->res.ok) {
		stun_finish(p);
		return;
	}
	if (p->last_error[0])
		snprintf(why, sizeof(why), "no valid answer (%s)", p->last_error);
	else
		snprintf(why, sizeof(why), "no answer");
	stun_fail(p, "%s", why);
}

static void
stun_begin(struct stunprobe *p)
{
	const struct netaddr *srv = &p->res.server_addr;
	uint16_t port = p->res.server_port;

	clock_gettime(CLOCK_MONOTONIC, &p->started);
	stun_txn_start(p, T_MAIN, 0, srv, port, 0, srv, port, p->first_rto_ms);
	stun_txn_start(p, T_FBASE, 1, srv, port, 0, srv, port, p->first_rto_ms);
}

static void
stun_resolved(int err, const struct netaddr *a, void *arg)
{
	struct stunprobe *p = arg;

	p->lookup = NULL;
	if (err == EVUTIL_EAI_NODATA || err == EVUTIL_EAI_NONAME) {
		p->res.no_address = p->family == AF_INET6;
		stun_fail(p, "no IPv%d address", p->family == AF_INET6 ? 6 : 4);
		return;
	}
	if (err != 0) {
		stun_fail(p, "cannot resolve: %s", evutil_gai_strerror(err));
		return;
	}
	p->res.server_addr = *a;
	stun_begin(p);
}

/* A UDP socket of the probe's family, bound to source and port if there
 * is one. */
static int
stun_socket(const struct netaddr *source, int family, uint16_t port)
{
	struct netaddr any = { .family = family };
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || (source == NULL && port == 0))
		return fd < 0 ? -errno : fd;
	sl = addr_to_sockaddr(source ? source : &any, port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Sockets A and B, and a resend timer for each transaction. */
static int
stun_sockets(struct stunprobe *p, const struct netaddr *source,
    const uint16_t *ports)
{
	static const struct loop_sock_cbs cbs = {
		.io = stun_on_read, .deadline = stun_on_deadline
	};

	for (int i = 0; i < 2; i++) {
		int fd = stun_socket(source, p->family, ports ? ports[i] : 0);
		if (fd < 0)
			return fd;
		icmperr_enable(fd);
		if (loop_sock_open(&p->sk[i], p->base, fd, true, &cbs, p) < 0)
			return -ENOMEM;
	}
	for (int i = 0; i < T_COUNT; i++)
		if ((p->t[i].resend = evtimer_new(p->base, stun_on_resend,
		    &p->t[i])) == NULL)
			return -ENOMEM;
	return 0;
}

static void
stun_lookup(struct stunprobe *p, struct evdns_base *dns, const char *host)
{
	if (addr_parse(host, &p->res.server_addr) == 0) {
		if (p->res.server_addr.family == p->family)
			stun_begin(p);
		else
			stun_fail(p, "not an IPv%d address", p->family ==
			    AF_INET6 ? 6 : 4);
		return;
	}
	p->lookup = loop_lookup_start(dns, host, p->family, SOCK_DGRAM,
	    stun_resolved, p);
}

struct stunprobe *
stunprobe_start(struct event_base *base, struct evdns_base *dns,
    const char *server, const struct netaddr *source, int timeout_ms,
    int flags, stun_result_cb *cb, void *arg)
{
	return stunprobe_start_ports(base, dns, server, source, NULL,
	    timeout_ms, flags, cb, arg);
}

struct stunprobe *
stunprobe_start_ports(struct event_base *base, struct evdns_base *dns,
    const char *server, const struct netaddr *source, const uint16_t *ports,
    int timeout_ms, int flags, stun_result_cb *cb, void *arg)
{
	struct stunprobe *p = calloc(1, sizeof(*p));
	char host[128], why[REASON_LEN];

	if (p == NULL)
		return NULL;
	p->sk[0].fd = p->sk[1].fd = -1;
	p->base = base;
	p->family = source ? source->family : AF_INET;
	p->behaviour = flags & STUNPROBE_BEHAVIOUR;
	p->first_rto_ms = flags & STUNPROBE_URGENT ? STUN_URGENT_RTO_MS :
	    STUN_FIRST_RTO_MS;
	p->cb = cb;
	p->arg = arg;
	p->res.server = server;
	snprintf(p->server, sizeof(p->server), "%s", server);
	if (stun_sockets(p, source, ports) < 0) {
		stunprobe_free(p);
		return NULL;
	}
	loop_after(p->sk[0].deadline, timeout_ms);
	if (resolve_split(server, STUN_DEFAULT_PORT, host, sizeof(host),
	    &p->res.server_port, why, sizeof(why)) < 0)
		stun_fail(p, "%s", why);	/* reported via cb at once */
	else
		stun_lookup(p, dns, host);
	return p;
}

void
stunprobe_free(struct stunprobe *p)
{
	if (p == NULL)
		return;
	loop_lookup_cancel(p->lookup);
	for (int i = 0; i < T_COUNT; i++)
		if (p->t[i].resend)
			event_free(p->t[i].resend);
	for (int i = 0; i < 2; i++)
		loop_sock_close(&p->sk[i]);
	free(p);
}
