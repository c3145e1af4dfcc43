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

#define REDIRCHECK_HELLO	"homereach reachability check\n"

struct redircheck {
	int fd, proto;
	struct event *ev, *timer;
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
	event_del(c->ev);
	evtimer_del(c->timer);
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

static int
redircheck_open(struct redircheck *c, const struct netaddr *addr,
    uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(addr, port, &ss);
	int type = c->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;

	c->fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	if (connect(c->fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		return -1;
	if (type == SOCK_DGRAM && send(c->fd, REDIRCHECK_HELLO,
	    sizeof(REDIRCHECK_HELLO) - 1, 0) < 0)
		return -1;
	return 0;
}

struct redircheck *
redircheck_start(struct event_base *base, const struct netaddr *addr,
    uint16_t port, int proto, int timeout_ms, redircheck_cb *cb, void *arg)
{
	struct redircheck *c = calloc(1, sizeof(*c));
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	if (c == NULL)
		return NULL;
	*c = (struct redircheck){ .fd = -1, .proto = proto, .cb = cb, .arg = arg };
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (redircheck_open(c, addr, port) < 0) {
		int e = errno;
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		errno = e;
		return NULL;
	}
	c->ev = event_new(base, c->fd, proto == IPPROTO_TCP ? EV_WRITE :
	    EV_READ | EV_PERSIST,
	    redircheck_on_event, c);
	c->timer = evtimer_new(base, redircheck_on_timeout, c);
	event_add(c->ev, NULL);
	evtimer_add(c->timer, &tv);
	return c;
}

void
redircheck_free(struct redircheck *c)
{
	if (c == NULL)
		return;
	event_free(c->ev);
	event_free(c->timer);
	close(c->fd);
	free(c);
}
