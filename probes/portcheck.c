/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Does a port answer: a TCP connect, or a UDP datagram that waits for any
 * answer, to one address and port; an ICMP port unreachable shows as
 * ECONNREFUSED on the connected socket. The redirect server's /check
 * aims it at the requester's own address only; the hairpin check at this
 * house's public address and its router.
 */
#include "probes/portcheck.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/clock.h"
#include "lib/loop.h"

#define PORTCHECK_HELLO	"homereach reachability check\n"

struct portcheck {
	int proto;
	struct loop_sock s;	/* io: TCP connected or UDP answered */
	struct timespec start;
	portcheck_cb *cb;
	void *arg;
	bool done;
};

static int
portcheck_ms(const struct portcheck *c)
{
	return (int)clock_ms_since(&c->start);
}

static void
portcheck_end(struct portcheck *c, const char *result)
{
	if (c->done)
		return;
	c->done = true;
	event_del(c->s.io);
	evtimer_del(c->s.deadline);
	if (c->s.own_fd && c->s.fd >= 0) {
		/* Answered: the service is let go at once (one that serves a
		 * client at a time, as iperf3, waited for the next check). */
		close(c->s.fd);
		c->s.fd = -1;
	}
	c->cb(result, portcheck_ms(c), c->arg);
}

static const char *
portcheck_errno(int e)
{
	return e == ECONNREFUSED ? "closed" : e == ETIMEDOUT ? "no-answer" :
	    "unreachable";
}

static void
portcheck_on_event(evutil_socket_t fd, short what, void *arg)
{
	struct portcheck *c = arg;
	int err = 0;
	socklen_t len = sizeof(err);
	char buf[64];

	(void)what;
	if (c->proto == IPPROTO_TCP) {
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		portcheck_end(c, err == 0 ? "open" : portcheck_errno(err));
	} else if (recv(fd, buf, sizeof(buf), 0) >= 0)
		portcheck_end(c, "open");
	else if (errno != EAGAIN)
		portcheck_end(c, portcheck_errno(errno));
}

static void
portcheck_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	portcheck_end(arg, "no-answer");
}

/* A socket connecting to addr:port (UDP: with the hello sent), or -1. */
static int
portcheck_open(int proto, const struct netaddr *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(addr, port, &ss);
	int type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if ((connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) || (type == SOCK_DGRAM && send(fd,
	    PORTCHECK_HELLO, sizeof(PORTCHECK_HELLO) - 1, 0) < 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct portcheck *
portcheck_start(struct event_base *base, const struct netaddr *addr,
    uint16_t port, int proto, int timeout_ms, portcheck_cb *cb, void *arg)
{
	static const struct loop_sock_cbs tcp = { .io = portcheck_on_event,
		.what = EV_WRITE, .deadline = portcheck_on_timeout };
	static const struct loop_sock_cbs udp = { .io = portcheck_on_event,
		.deadline = portcheck_on_timeout };
	struct portcheck *c = calloc(1, sizeof(*c));
	int fd;

	if (c == NULL)
		return NULL;
	*c = (struct portcheck){ .proto = proto, .cb = cb, .arg = arg };
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if ((fd = portcheck_open(proto, addr, port)) < 0 ||
	    loop_sock_open(&c->s, base, fd, true,
	    proto == IPPROTO_TCP ? &tcp : &udp, c) < 0) {
		int e = fd < 0 ? errno : ENOMEM;
		free(c);
		errno = e;
		return NULL;
	}
	loop_after(c->s.deadline, timeout_ms);
	return c;
}

void
portcheck_free(struct portcheck *c)
{
	if (c == NULL)
		return;
	loop_sock_close(&c->s);
	free(c);
}
