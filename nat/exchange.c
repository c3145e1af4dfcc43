#include "nat/exchange.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "lib/log.h"

#define EXCHANGE_FIRST_RTO_MS	250
#define EXCHANGE_MAX_DATAGRAM	1104

struct exchange {
	int fd, rto_ms;
	struct event *rd, *resend, *deadline;
	bool over, again;
	const struct exchange_ops *ops;
	void *arg;
};

static void
exchange_end(struct exchange *x, int status)
{
	if (x->over)
		return;
	x->over = true;
	event_del(x->rd);
	event_del(x->resend);
	event_del(x->deadline);
	x->ops->done(status, x->arg);
}

static void
exchange_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct exchange *x = arg;
	uint8_t buf[EXCHANGE_MAX_DATAGRAM];
	ssize_t n;

	(void)what;
	while (!x->over && (n = recv(fd, buf, sizeof(buf), 0)) >= 0)
		if (x->ops->parse(buf, (size_t)n, x->arg) == 1)
			exchange_end(x, 0);
	if (!x->over && errno == ECONNREFUSED)
		exchange_end(x, -ECONNREFUSED);
}

static void
exchange_on_resend(evutil_socket_t fd, short what, void *arg)
{
	struct exchange *x = arg;
	struct timeval tv = { x->rto_ms / 1000, x->rto_ms % 1000 * 1000 };
	int rc;

	(void)fd, (void)what;
	if ((rc = x->ops->send(x->fd, x->arg)) < 0)
		log_debug("exchange: send: %s", strerror(-rc));
	if (!x->again)
		x->rto_ms *= 2;
	x->again = false;
	evtimer_add(x->resend, &tv);
}

static void
exchange_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	exchange_end(arg, -ETIMEDOUT);
}

struct exchange *
exchange_start(struct event_base *base, int fd, int timeout_ms,
    const struct exchange_ops *ops, void *arg)
{
	struct exchange *x = calloc(1, sizeof(*x));
	struct timeval tv = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };

	if (x == NULL)
		return NULL;
	x->fd = fd;
	x->rto_ms = EXCHANGE_FIRST_RTO_MS;
	x->ops = ops;
	x->arg = arg;
	x->rd = event_new(base, fd, EV_READ | EV_PERSIST, exchange_on_read, x);
	x->resend = evtimer_new(base, exchange_on_resend, x);
	x->deadline = evtimer_new(base, exchange_on_deadline, x);
	if (x->rd == NULL || x->resend == NULL || x->deadline == NULL) {
		exchange_free(x);
		return NULL;
	}
	event_add(x->rd, NULL);
	evtimer_add(x->deadline, &tv);
	exchange_on_resend(-1, 0, x);
	return x;
}

void
exchange_again(struct exchange *x, int ms)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	if (x->over)
		return;
	x->again = true;
	evtimer_add(x->resend, &tv);
}

void
exchange_free(struct exchange *x)
{
	if (x == NULL)
		return;
	if (x->rd)
		event_free(x->rd);
	if (x->resend)
		event_free(x->resend);
	if (x->deadline)
		event_free(x->deadline);
	free(x);
}
