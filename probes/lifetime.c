/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * All silences are tried at once, each from its own local port: the
 * answer comes within the longest silence that dies (longer ones would
 * die too, so they are not waited for), and at most in two minutes.
 * Every request is sent up to three times, half a second apart; a
 * binding that takes none of the three answers is dead.
 */
#include "probes/lifetime.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/loop.h"
#include "lib/stun.h"

#define LT_RETX_MS	500
#define LT_TRIES	3

static const int lt_waits[] = LIFETIME_WAITS;
#define LT_N	((int)(sizeof(lt_waits) / sizeof(lt_waits[0])))

enum lt_state { LT_BINDING, LT_SILENT, LT_ASKING, LT_ALIVE, LT_DEAD };

struct lt_probe {
	struct lifetime *l;
	struct loop_sock z;		/* the binding's own port */
	enum lt_state state;
	int wait_s, tries;
	uint8_t txid[STUN_TXID_LEN];	/* of the request out now */
	uint16_t mapped;		/* the binding's public port */
};

struct lifetime {
	struct netaddr server;
	uint16_t port;
	struct loop_sock y;		/* asks for the others' answers */
	struct lt_probe probes[LT_N];
	lifetime_cb *cb;
	void *arg;
	bool done;
};

static void
lt_finish(struct lifetime *l, const char *why)
{
	struct lifetime_result r = { .ok = why == NULL };

	l->done = true;
	loop_sock_close(&l->y);		/* nothing more comes */
	for (int i = 0; i < LT_N; i++) {
		const struct lt_probe *p = &l->probes[i];
		if (p->state == LT_ALIVE && p->wait_s > r.alive_s)
			r.alive_s = p->wait_s;
		if (p->state == LT_DEAD && (r.died_s == 0 || p->wait_s < r.died_s))
			r.died_s = p->wait_s;
	}
	for (int i = 0; i < LT_N; i++)
		loop_sock_close(&l->probes[i].z);
	if (why != NULL)
		snprintf(r.why, sizeof(r.why), "%s", why);
	l->cb(&r, l->arg);		/* may free l: the last thing done */
}

/* Done when every silence is known, or a binding died and every shorter
 * silence is known. */
static void
lt_settle(struct lifetime *l)
{
	int first_dead = -1;
	bool all = true;

	for (int i = 0; i < LT_N; i++) {
		if (l->probes[i].state == LT_DEAD && first_dead < 0)
			first_dead = i;
		if (l->probes[i].state != LT_DEAD && l->probes[i].state != LT_ALIVE &&
		    (first_dead < 0 || i < first_dead))
			all = false;
	}
	if (all || first_dead == 0)
		lt_finish(l, NULL);
}

static int
lt_send(struct lt_probe *p, int fd, const struct netaddr *to, uint16_t port,
    uint16_t response_port)
{
	uint8_t buf[STUN_MAX_REQUEST];
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(to, port, &ss);
	size_t n;

	if (p->tries == 0 && getrandom(p->txid, sizeof(p->txid), 0) !=
	    sizeof(p->txid))
		return -1;
	n = response_port ? stun_build_binding_to(buf, p->txid, response_port) :
	    stun_build_binding(buf, p->txid, 0);
	p->tries++;
	return sendto(fd, buf, n, 0, (struct sockaddr *)&ss, len) < 0 ? -1 : 0;
}

/* The binding's request (from its port), or the ask (from y's). */
static void
lt_send_state(struct lt_probe *p)
{
	struct lifetime *l = p->l;

	if (p->state == LT_BINDING)
		lt_send(p, p->z.fd, &l->server, l->port, 0);
	else
		lt_send(p, l->y.fd, &l->server, l->port, p->mapped);
	loop_after(p->z.timer, LT_RETX_MS);
}

static void
lt_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct lt_probe *p = arg;

	(void)fd, (void)what;
	if (p->state == LT_SILENT) {	/* the silence is over: ask */
		p->state = LT_ASKING;
		p->tries = 0;
	} else if (p->tries >= LT_TRIES) {
		if (p->state == LT_BINDING) {
			lt_finish(p->l, "the STUN server does not answer");
			return;
		}
		p->state = LT_DEAD;
		lt_settle(p->l);
		return;
	}
	lt_send_state(p);
}

/* At the binding's port: the first answer, or the asked one. */
static void
lt_on_z(evutil_socket_t fd, short what, void *arg)
{
	struct lt_probe *p = arg;
	struct stun_message m;
	const struct stun_endpoint *seen;
	uint8_t buf[512];
	char why[REASON_LEN];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	(void)what;
	if (n <= 0 || stun_parse(buf, (size_t)n, &m, why, sizeof(why)) < 0 ||
	    m.type != STUN_BINDING_SUCCESS ||
	    memcmp(m.txid, p->txid, STUN_TXID_LEN) != 0)
		return;
	if (p->state == LT_BINDING && (seen = stun_reflexive(&m)) != NULL &&
	    seen->present) {
		p->mapped = seen->port;
		p->state = LT_SILENT;
		loop_after(p->z.timer, (int64_t)p->wait_s * 1000);
	} else if (p->state == LT_ASKING) {
		p->state = LT_ALIVE;
		event_del(p->z.timer);
		lt_settle(p->l);
	}
}

/* At the asking port: an answer meant for a binding came here (or an
 * error): the server does not take RESPONSE-PORT. */
static void
lt_on_y(evutil_socket_t fd, short what, void *arg)
{
	struct lifetime *l = arg;
	struct stun_message m;
	uint8_t buf[512];
	char why[REASON_LEN];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	(void)what;
	if (n <= 0 || stun_parse(buf, (size_t)n, &m, why, sizeof(why)) < 0)
		return;
	for (int i = 0; i < LT_N; i++)
		if (l->probes[i].state == LT_ASKING &&
		    memcmp(m.txid, l->probes[i].txid, STUN_TXID_LEN) == 0) {
			lt_finish(l, "the STUN server does not take RESPONSE-PORT "
			    "(RFC 5780)");
			return;
		}
}

static int
lt_socket(struct loop_sock *s, struct event_base *base,
    const struct loop_sock_cbs *cbs, void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	return loop_sock_open(s, base, fd, true, cbs, arg);
}

struct lifetime *
lifetime_start(struct event_base *base, const struct netaddr *server,
    uint16_t port, lifetime_cb *cb, void *arg)
{
	static const struct loop_sock_cbs ycbs = { .io = lt_on_y };
	static const struct loop_sock_cbs zcbs = { .io = lt_on_z,
	    .timer = lt_on_timer };
	struct lifetime *l = calloc(1, sizeof(*l));

	if (l == NULL || server->family != AF_INET)
		goto fail;
	*l = (struct lifetime){ .server = *server, .port = port, .cb = cb,
	    .arg = arg, .y.fd = -1 };
	for (int i = 0; i < LT_N; i++)
		l->probes[i].z.fd = -1;
	if (lt_socket(&l->y, base, &ycbs, l) < 0)
		goto fail;
	for (int i = 0; i < LT_N; i++) {
		struct lt_probe *p = &l->probes[i];
		p->l = l;
		p->wait_s = lt_waits[i];
		if (lt_socket(&p->z, base, &zcbs, p) < 0)
			goto fail;
		lt_send_state(p);
	}
	return l;
fail:
	lifetime_free(l);
	return NULL;
}

void
lifetime_free(struct lifetime *l)
{
	if (l == NULL)
		return;
	loop_sock_close(&l->y);
	for (int i = 0; i < LT_N; i++)
		loop_sock_close(&l->probes[i].z);
	free(l);
}
