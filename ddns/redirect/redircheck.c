/*
 * The /check probe: a TCP connect, or a UDP datagram that waits for any
 * answer, to one address and port; an ICMP port unreachable shows as
 * ECONNREFUSED on the connected socket. The caller picks the address
 * (always the requester's own), so nothing here can be aimed elsewhere.
 */
#include "ddns/redirect/redircheck.h"

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

#define REDIRCHECK_HELLO	"homereach reachability check\n"

struct redircheck {
	int proto;
	struct loop_sock s;	/* io: TCP connected or UDP answered */
	struct timespec start;
	redircheck_cb *cb;
	void *arg;
	bool done;
};

static int
redircheck_ms(const struct redircheck *c)
{
	return (int)clock_ms_since(&c->start);
}

static void
redircheck_end(struct redircheck *c, const char *result)
{
	if (c->done)
		return;
	c->done = true;
	event_del(c->s.io);
	evtimer_del(c->s.deadline);
	c->cb(result, redircheck_ms(c), c->arg);
}

static const char *
redircheck_errno(int e)
{
	return e == ECONNREFUSED ? "closed" : e == ETIMEDOUT ? "no-answer" :
	    "unreachable";
}

static void
redircheck_on_event(evutil_socket_t fd, short what, void *arg)
{
	struct redircheck *c = arg;
	int err = 0;
	socklen_t len = sizeof(err);
	char buf[64];

	(void)what;
	if (c->proto == IPPROTO_TCP) {
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		redircheck_end(c, err == 0 ? "open" : redircheck_errno(err));
	} else if (recv(fd, buf, sizeof(buf), 0) >= 0)
		redircheck_end(c, "open");
	else if (errno != EAGAIN)
		redircheck_end(c, redircheck_errno(errno));
}

static void
redircheck_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	redircheck_end(arg, "no-answer");
}

/* A socket connecting to addr:port (UDP: with the hello sent), or -1. */
static int
redircheck_open(int proto, const struct netaddr *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(addr, port, &ss);
	int type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if ((connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) || (type == SOCK_DGRAM && send(fd,
	    REDIRCHECK_HELLO, sizeof(REDIRCHECK_HELLO) - 1, 0) < 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct redircheck *
redircheck_start(struct event_base *base, const struct netaddr *addr,
    uint16_t port, int proto, int timeout_ms, redircheck_cb *cb, void *arg)
{
	static const struct loop_sock_cbs tcp = { .io = redircheck_on_event,
		.what = EV_WRITE, .deadline = redircheck_on_timeout };
	static const struct loop_sock_cbs udp = { .io = redircheck_on_event,
		.deadline = redircheck_on_timeout };
	struct redircheck *c = calloc(1, sizeof(*c));
	int fd;

	if (c == NULL)
		return NULL;
	*c = (struct redircheck){ .proto = proto, .cb = cb, .arg = arg };
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if ((fd = redircheck_open(proto, addr, port)) < 0 ||
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
redircheck_free(struct redircheck *c)
{
	if (c == NULL)
		return;
	loop_sock_close(&c->s);
	free(c);
}
