/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hop probe, as traceroute's UDP mode does it: one datagram per TTL to the
 * target's port 33434 + ttl; ICMP time-exceeded and port-unreachable come
 * back on the error queue with the offender's address, and the payload
 * (the TTL) tells which probe it was. One resend after 200 ms.
 */
#include "probes/hop.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/icmperr.h"
#include "lib/log.h"
#include "lib/loop.h"

#define HOP_BASE_PORT	33434
#define HOP_RESEND_MS	200

struct hopprobe {
	int nhops, reached;		/* reached: TTL of the target, or 0 */
	struct netaddr target;
	struct netaddr hops[HOP_MAX];
	struct loop_sock s;		/* timer: the one resend */
	bool finished;
	hop_result_cb *cb;
	void *arg;
};

/* With IP_RECVERR, an ICMP error from an earlier probe makes the next send
 * fail once with that error, without sending: send again. */
static void
hop_sendto(int fd, const void *buf, size_t len,
    const struct sockaddr_storage *ss, socklen_t sl, int ttl)
{
	for (int tries = 0; tries < 4; tries++) {
		if (sendto(fd, buf, len, 0, (const void *)ss, sl) >= 0)
			return;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
	}
	log_debug("hop probe: send ttl %d: %s", ttl, strerror(errno));
}

static void
hop_send(struct hopprobe *p)
{
	struct sockaddr_storage ss;

	for (int ttl = 1; ttl <= p->nhops; ttl++) {
		socklen_t sl = addr_to_sockaddr(&p->target,
		    (uint16_t)(HOP_BASE_PORT + ttl), &ss);
		uint8_t payload[8] = { 'h', 'r', 'h', 'o', 'p', (uint8_t)ttl };
		if (p->hops[ttl - 1].family != 0)
			continue;
		setsockopt(p->s.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		hop_sendto(p->s.fd, payload, sizeof(payload), &ss, sl, ttl);
	}
}

static bool
hop_complete(const struct hopprobe *p)
{
	int last = p->reached ? p->reached : p->nhops;

	for (int i = 0; i < last; i++) {
		if (p->hops[i].family == 0)
			return false;
		if (addr_is_public(&p->hops[i]))
			return true;
	}
	return true;
}

/* The hops up to the first public one (or the target, or the last). */
static int
hop_count(const struct hopprobe *p)
{
	int last = p->reached ? p->reached : p->nhops;

	for (int i = 0; i < last; i++)
		if (p->hops[i].family != 0 && addr_is_public(&p->hops[i]))
			return i + 1;
	return last;
}

static void
hop_finish(struct hopprobe *p)
{
	int n = hop_count(p);

	if (p->finished)
		return;
	p->finished = true;
	event_del(p->s.io);
	event_del(p->s.timer);
	event_del(p->s.deadline);
	p->cb(p->hops, n, p->arg);
}

/* One error-queue entry: which TTL, and who answered. */
static void
hop_error(struct hopprobe *p, const struct icmperr *e)
{
	int ttl;

	if (e->payload_len < 6 || memcmp(e->payload, "hrhop", 5) != 0)
		return;
	ttl = e->payload[5];
	if (ttl < 1 || ttl > p->nhops)
		return;
	if (e->type == ICMP_TIME_EXCEEDED)
		p->hops[ttl - 1] = e->offender;
	else if (e->type == ICMP_UNREACHABLE && (!p->reached || ttl < p->reached)) {
		p->reached = ttl;		/* the target itself answered */
		p->hops[ttl - 1] = e->offender;
	}
}

static void
hop_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct hopprobe *p = arg;
	uint8_t payload[64];
	struct icmperr e;

	(void)what;
	while (icmperr_next(fd, &e))
		hop_error(p, &e);
	while (recv(fd, payload, sizeof(payload), 0) >= 0)
		;	/* a target that answered UDP: nothing to learn */
	if (hop_complete(p))
		hop_finish(p);
}

static void
hop_on_resend(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	hop_send(arg);
}

static void
hop_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	hop_finish(arg);
}

struct hopprobe *
hopprobe_start(struct event_base *base, const struct netaddr *target,
    int nhops, int timeout_ms, hop_result_cb *cb, void *arg)
{
	static const struct loop_sock_cbs cbs = {
		.io = hop_on_read, .timer = hop_on_resend,
		.deadline = hop_on_deadline
	};
	struct hopprobe *p = calloc(1, sizeof(*p));
	int fd, on = 1;

	if (p == NULL)
		return NULL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on,
	    sizeof(on)) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 || loop_sock_open(&p->s, base, fd, true, &cbs, p) < 0) {
		free(p);
		return NULL;
	}
	p->target = *target;
	p->nhops = nhops < HOP_MAX ? nhops : HOP_MAX;
	p->cb = cb;
	p->arg = arg;
	loop_after(p->s.timer, HOP_RESEND_MS);
	loop_after(p->s.deadline, timeout_ms);
	hop_send(p);
	return p;
}

void
hopprobe_free(struct hopprobe *p)
{
	if (p == NULL)
		return;
	loop_sock_close(&p->s);
	free(p);
}
