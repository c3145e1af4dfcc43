/* SPDX-License-Identifier: BSD-2-Clause */
#include "nat/exchange.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"

#define EXCHANGE_FIRST_RTO_MS	250
#define EXCHANGE_MAX_DATAGRAM	1104

struct exchange {
	int rto_ms;
	struct loop_sock s;	/* timer: the resend */
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
	event_del(x->s.io);
	event_del(x->s.timer);
	event_del(x->s.deadline);
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
	int rto_ms = x->rto_ms;
	int rc;

	(void)fd, (void)what;
	if ((rc = x->ops->send(x->s.fd, x->arg)) < 0)
		log_debug("exchange: send: %s", strerror(-rc));
	if (!x->again)
		x->rto_ms *= 2;
	x->again = false;
	loop_after(x->s.timer, rto_ms);
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
	static const struct loop_sock_cbs cbs = {
		.io = exchange_on_read, .timer = exchange_on_resend,
		.deadline = exchange_on_deadline
	};
	struct exchange *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->rto_ms = EXCHANGE_FIRST_RTO_MS;
	x->ops = ops;
	x->arg = arg;
	if (loop_sock_open(&x->s, base, fd, false, &cbs, x) < 0) {
		free(x);
		return NULL;
	}
	loop_after(x->s.deadline, timeout_ms);
	exchange_on_resend(-1, 0, x);
	return x;
}

void
exchange_again(struct exchange *x, int ms)
{
	if (x->over)
		return;
	x->again = true;
	loop_after(x->s.timer, ms);
}

void
exchange_free(struct exchange *x)
{
	if (x == NULL)
		return;
	loop_sock_close(&x->s);
	free(x);
}
