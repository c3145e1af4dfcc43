/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The flows are this process's own: a list keyed by protocol and local
 * port, each with its socket, its keep-alive timer and the public address
 * and port the server last saw. The first flow (the sentinel) sends a
 * request every HOLD_KEEPALIVE_S, so a move is seen within it; the others
 * as seldom as the measured binding lifetime allows (a packet out is what
 * keeps the carrier's port open), and all at once when the sentinel sees
 * a move. A request is sent sooner again when one goes unanswered; four in a row unanswered, the hold is lost
 * until the server answers again. Over TCP, the connection is the flow: a
 * closed one is opened again from the same port.
 *
 * The "hold" kind: layer 0 is the home router's mapping (nat/mapping.c,
 * kept by nat/mapkeep.c), layer 1 the flow, both kept by one keeper here.
 */
#include "nat/hold.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/names.h"
#include "lib/stun.h"

#define HOLD_RETX_MS	500	/* doubling, while unanswered */
#define HOLD_LOST_TRIES	4
#define HOLD_TCP_MAX	512	/* one STUN answer, buffered */

struct hold_op;

struct hold {
	struct hold *next;
	struct event_base *base;
	int protocol;
	uint16_t port;			/* local */
	struct netaddr server;
	struct loop_sock sock;		/* fd -1 between connections */
	struct event *timer;
	uint8_t txid[STUN_TXID_LEN];
	int tries;			/* unanswered in a row */
	bool connected;			/* TCP */
	uint8_t in[HOLD_TCP_MAX];
	size_t inlen;
	bool known, lost;
	int64_t answered_at;		/* unix time */
	struct netaddr public;
	uint16_t public_port;
	struct hold_op *waiters;	/* first answers asked for */
	void (*changed)(void *arg);	/* the keeper: moved, lost, back */
	void *changed_arg;
};

static struct hold *holds;
static int hold_interval_s = HOLD_KEEPALIVE_S;	/* the others' */

/* An answer to wayin: a router layer's (op) or a flow's. */
struct hold_op {
	struct hold_op *next;		/* among a hold's waiters */
	struct mapping_op *mapping;
	struct hold *hold;
	struct event *timer;		/* the deadline, or "answer now" */
	mapping_cb *cb;
	void *arg;
	bool removal, done;
};

static void hold_send(struct hold *h);
static void hold_io(evutil_socket_t fd, short what, void *arg);

static struct hold *
hold_find(int protocol, uint16_t port)
{
	for (struct hold *h = holds; h != NULL; h = h->next)
		if (h->protocol == protocol && h->port == port)
			return h;
	return NULL;
}

/* A TCP flow ends with a reset, not a FIN: no TIME_WAIT holds the local
 * port, which the next connection takes again at once. */
static void
hold_close_sock(struct hold *h)
{
	struct linger abort = { .l_onoff = 1, .l_linger = 0 };

	if (h->sock.fd >= 0 && h->protocol == IPPROTO_TCP)
		(void)setsockopt(h->sock.fd, SOL_SOCKET, SO_LINGER, &abort,
		    sizeof(abort));
	loop_sock_close(&h->sock);
	h->sock.fd = -1;
	h->connected = false;
	h->inlen = 0;
}

/* A socket from the local port to the server: UDP connected, TCP being
 * connected. */
static int
hold_open(struct hold *h)
{
	int type = h->protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_storage ss;
	struct netaddr any = { .family = AF_INET };
	socklen_t len;
	struct loop_sock_cbs cbs = { .io = hold_io, .what = EV_READ |
	    (type == SOCK_STREAM ? EV_WRITE : 0) };

	if (fd < 0)
		return -errno;
	len = addr_to_sockaddr(&any, h->port, &ss);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	len = addr_to_sockaddr(&h->server, STUN_DEFAULT_PORT, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		int e = -errno;
		close(fd);
		return e;
	}
	return loop_sock_open(&h->sock, h->base, fd, true, &cbs, h);
}

int64_t
hold_answered_at(int protocol, uint16_t port)
{
	const struct hold *h = hold_find(protocol, port);

	return h != NULL ? h->answered_at : 0;
}

/* --- the first answer, for wayin --- */

static void
hold_op_answer(struct hold_op *op, const struct hold *h, const char *error)
{
	struct mapping_grant g = { .ok = error == NULL, .via = VIA_HOLD };
	char server[ADDR_STRLEN];

	if (op->done)
		return;
	op->done = true;
	event_del(op->timer);
	if (h != NULL) {
		g.gateway = h->server;
		g.external = h->public;
		g.external_port = h->public_port;
	}
	if (error != NULL)
		snprintf(g.error, sizeof(g.error), "%s (the STUN server %s, from "
		    "port %u)", error, h ? addr_ntop(&h->server, server,
		    sizeof(server)) : "?", h ? h->port : 0);
	op->cb(&g, op->arg);
}

static void
hold_unwait(struct hold_op *op)
{
	struct hold_op **p;

	if (op->hold == NULL)
		return;
	for (p = &op->hold->waiters; *p != NULL; p = &(*p)->next)
		if (*p == op) {
			*p = op->next;
			break;
		}
	op->hold = NULL;
}

static void
hold_tell(struct hold *h, const char *error)
{
	struct hold_op *op;

	while ((op = h->waiters) != NULL) {
		hold_unwait(op);
		hold_op_answer(op, h, error);
	}
}

/* --- the flow --- */

/* The sentinel's keep-alives see a move within HOLD_KEEPALIVE_S; the
 * others' only keep their ports open, as seldom as the binding lifetime
 * allows (each asks again at once when the sentinel sees a move). */
/* A UDP flow if there is one: its answer shows a move at once, where a
 * TCP connection must first be found dead and made again. */
static const struct hold *
hold_sentinel(void)
{
	for (const struct hold *h = holds; h != NULL; h = h->next)
		if (h->protocol == IPPROTO_UDP)
			return h;
	return holds;
}

static int64_t
hold_keepalive_ms(const struct hold *h)
{
	int s = hold_interval_s;

	if (h == hold_sentinel() && s > HOLD_KEEPALIVE_S)
		s = HOLD_KEEPALIVE_S;
	return (int64_t)s * 1000;
}

void
hold_set_interval(int seconds)
{
	hold_interval_s = seconds >= 2 ? seconds : 2;
}

int
hold_interval(bool sentinel)
{
	return sentinel && hold_interval_s > HOLD_KEEPALIVE_S ?
	    HOLD_KEEPALIVE_S : hold_interval_s;
}

static void
hold_arm(struct hold *h)
{
	int64_t ms = h->tries == 0 ? hold_keepalive_ms(h) :
	    (int64_t)HOLD_RETX_MS << (h->tries - 1);

	loop_after(h->timer, ms);
}

/* One flow moved or came back: the others ask now where they are. */
static void
hold_poke_others(const struct hold *moved)
{
	for (struct hold *h = holds; h != NULL; h = h->next) {
		if (h == moved || !h->known || h->tries > 0)
			continue;
		if (h->protocol == IPPROTO_TCP)
			hold_close_sock(h);	/* the carrier forgot it too */
		h->tries = 1;
		hold_send(h);
		loop_after(h->timer, HOLD_RETX_MS);
	}
}

static void
hold_send(struct hold *h)
{
	uint8_t buf[STUN_MAX_REQUEST];
	size_t n;

	if (h->sock.fd < 0 && hold_open(h) < 0) {
		log_debug("hold %u/%s: cannot open its socket", h->port,
		    proto_name(h->protocol));
		return;
	}
	if (h->protocol == IPPROTO_TCP && !h->connected)
		return;		/* sent once connected */
	if (getrandom(h->txid, sizeof(h->txid), 0) != sizeof(h->txid))
		return;
	n = stun_build_binding(buf, h->txid, 0);
	if (send(h->sock.fd, buf, n, MSG_NOSIGNAL) < 0 &&
	    h->protocol == IPPROTO_TCP)
		hold_close_sock(h);
}

/* The server saw the flow come from public:port. */
static void
hold_answered(struct hold *h, const struct stun_endpoint *seen)
{
	bool moved = h->known && (!addr_equal(&h->public, &seen->addr) ||
	    h->public_port != seen->port);
	bool back = h->lost;

	h->tries = 0;
	h->lost = false;
	h->answered_at = (int64_t)time(NULL);
	h->public = seen->addr;
	h->public_port = seen->port;
	h->known = true;
	hold_arm(h);
	hold_tell(h, NULL);
	if (moved || back)
		hold_poke_others(h);
	if ((moved || back) && h->changed != NULL)
		h->changed(h->changed_arg);
}

static void
hold_message(struct hold *h, const uint8_t *buf, size_t len)
{
	struct stun_message m;
	const struct stun_endpoint *seen;
	char why[REASON_LEN];

	if (stun_parse(buf, len, &m, why, sizeof(why)) < 0 ||
	    m.type != STUN_BINDING_SUCCESS ||
	    memcmp(m.txid, h->txid, STUN_TXID_LEN) != 0 ||
	    (seen = stun_reflexive(&m)) == NULL || !seen->present ||
	    seen->addr.family != AF_INET)
		return;		/* not the answer to our request */
	hold_answered(h, seen);
}

/* TCP: a STUN message is its header and its length's worth. */
static void
hold_read_tcp(struct hold *h)
{
	ssize_t n = recv(h->sock.fd, h->in + h->inlen, sizeof(h->in) - h->inlen,
	    0);
	int need;

	if (n <= 0) {
		/* Closed or reset (a server closes idle ones; after a move it
		 * hears of a flow it does not know): opened again at the next
		 * send, the keep-alive's (or its retry, half a second on). */
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			hold_close_sock(h);
		return;
	}
	h->inlen += (size_t)n;
	while ((need = stun_frame_len(h->in, h->inlen, sizeof(h->in))) != 0) {
		if (need < 0) {
			hold_close_sock(h);	/* not STUN: opened again */
			return;
		}
		if (h->inlen < (size_t)need)
			return;
		hold_message(h, h->in, (size_t)need);
		memmove(h->in, h->in + need, h->inlen - (size_t)need);
		h->inlen -= (size_t)need;
	}
}

/* TCP: connected; from now on only reads are watched. */
static void
hold_connected(struct hold *h)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(h->sock.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
	    err != 0) {
		hold_close_sock(h);
		return;
	}
	event_del(h->sock.io);
	event_assign(h->sock.io, h->base, h->sock.fd, EV_READ | EV_PERSIST,
	    hold_io, h);
	event_add(h->sock.io, NULL);
	h->connected = true;
	hold_send(h);
}

static void
hold_io(evutil_socket_t fd, short what, void *arg)
{
	struct hold *h = arg;
	uint8_t buf[HOLD_TCP_MAX];
	ssize_t n;

	if (h->protocol == IPPROTO_TCP && !h->connected) {
		if (what & EV_WRITE)
			hold_connected(h);
		return;
	}
	if (h->protocol == IPPROTO_TCP) {
		hold_read_tcp(h);
		return;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		hold_message(h, buf, (size_t)n);
}

/* Unanswered: again, sooner; four in a row, lost (said once), and then
 * tried at every keep-alive. */
static void
hold_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct hold *h = arg;

	(void)fd, (void)what;
	if (h->tries >= HOLD_LOST_TRIES && !h->lost) {
		h->lost = true;
		log_warnx("hold %u/%s: the STUN server no longer answers",
		    h->port, proto_name(h->protocol));
		if (h->changed != NULL)
			h->changed(h->changed_arg);
	}
	if (h->tries < HOLD_LOST_TRIES)
		h->tries++;
	hold_send(h);
	loop_after(h->timer, h->lost ? hold_keepalive_ms(h) :
	    (int64_t)HOLD_RETX_MS << (h->tries - 1));
}

static struct hold *
hold_new(struct event_base *base, int protocol, uint16_t port,
    const struct netaddr *server)
{
	struct hold *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->timer = evtimer_new(base, hold_on_timer, h)) ==
	    NULL) {
		free(h);
		return NULL;
	}
	h->base = base;
	h->protocol = protocol;
	h->port = port;
	h->server = *server;
	h->sock.fd = -1;
	h->next = holds;
	holds = h;
	return h;
}

/* The carrier forgets the port when nothing goes out of it any more. */
static void
hold_free(struct hold *h)
{
	struct hold **p;

	for (p = &holds; *p != NULL; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	hold_tell(h, "no longer held");
	hold_close_sock(h);
	loop_event_free(&h->timer);
	free(h);
}

/* A first request now; its answer, or the op's deadline, answers op. */
static int
hold_begin(struct hold *h)
{
	int rc;

	if (h->sock.fd >= 0 || h->known)
		return 0;
	if ((rc = hold_open(h)) < 0)
		return rc;
	h->tries = 1;
	hold_send(h);
	loop_after(h->timer, HOLD_RETX_MS);
	return 0;
}

/* --- the kind's operations: asking --- */

static void
hold_op_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct hold_op *op = arg;
	struct hold *h = op->hold;

	(void)fd, (void)what;
	hold_unwait(op);
	if (op->removal || (h != NULL && h->known))
		hold_op_answer(op, h, NULL);
	else
		hold_op_answer(op, h, "no answer");
}

static void
hold_op_mapped(const struct mapping_grant *g, void *arg)
{
	struct hold_op *op = arg;

	op->done = true;
	op->cb(g, op->arg);
}

/* The flow of layer 1 (spec->upstream), or the router's mapping of layer
 * 0. A flow's removal ends it (there is nothing to ask anyone). */
static void *
hold_ask(struct event_base *base, const struct netaddr *gateway,
    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb, void *arg)
{
	struct hold_op *op = calloc(1, sizeof(*op));
	struct hold *h;

	if (op == NULL)
		return NULL;
	*op = (struct hold_op){ .cb = cb, .arg = arg, .removal = spec->remove };
	if (!spec->upstream) {
		op->mapping = mapping_start(base, gateway, spec, timeout_ms,
		    hold_op_mapped, op);
		if (op->mapping != NULL)
			return op;
		free(op);
		return NULL;
	}
	if ((op->timer = evtimer_new(base, hold_op_on_timer, op)) == NULL) {
		free(op);
		return NULL;
	}
	h = hold_find(spec->protocol, spec->internal_port);
	if (spec->remove) {
		if (h != NULL)
			hold_free(h);
		loop_after(op->timer, 0);	/* answered from the loop */
		return op;
	}
	if ((h == NULL && (h = hold_new(base, spec->protocol,
	    spec->internal_port, gateway)) == NULL) || hold_begin(h) < 0) {
		loop_event_free(&op->timer);
		free(op);
		return NULL;
	}
	op->hold = h;
	op->next = h->waiters;
	h->waiters = op;
	loop_after(op->timer, h->known ? 0 : timeout_ms);
	return op;
}

static void
hold_ask_free(void *arg)
{
	struct hold_op *op = arg;

	if (op == NULL)
		return;
	hold_unwait(op);
	mapping_free(op->mapping);
	loop_event_free(&op->timer);
	free(op);
}

/* --- the kind's operations: keeping --- */

/* The home router's mapping kept by mapkeep, the flow by its hold. */
struct holdkeep {
	struct mapkeep *router;
	struct hold *hold;
	struct map_record rec;		/* the flow's layer */
	struct mapkeep_params p;	/* whom to tell, about both */
	bool stopping;
};

static void
holdkeep_save(enum mapkeep_change what, const struct map_record *m, void *arg)
{
	struct holdkeep *k = arg;

	k->p.save(what, m, k->p.arg);
}

/* The flow's news: another public address or port (the carrier moved
 * the subscriber, or turned to another way of mapping), lost, back. */
static void
holdkeep_changed(void *arg)
{
	struct holdkeep *k = arg;
	struct hold *h = k->hold;
	char now[ADDR_PORT_STRLEN];

	if (h->lost) {
		if (k->p.lost != NULL)
			k->p.lost(1, "the STUN server no longer answers the held "
			    "port's keep-alives", k->p.arg);
		return;
	}
	log_info("hold %u/%s: the carrier's side is now %s", h->port,
	    proto_name(h->protocol), addr_ntop_port(&h->public, h->public_port,
	    now, sizeof(now)));
	k->rec.external = h->public;
	k->rec.external_port = h->public_port;
	k->rec.granted_at = (int64_t)time(NULL);
	k->p.save(MAPKEEP_STORE, &k->rec, k->p.arg);
	if (k->p.granted != NULL)
		k->p.granted(1, true, k->p.arg);
}

static void
holdkeep_granted(int layer, bool ok, void *arg)
{
	struct holdkeep *k = arg;

	if (k->p.granted != NULL)
		k->p.granted(layer, ok, k->p.arg);
}

static void
holdkeep_lost(int layer, const char *why, void *arg)
{
	struct holdkeep *k = arg;

	if (k->p.lost != NULL)
		k->p.lost(layer, why, k->p.arg);
}

static void
holdkeep_done(int status, void *arg)
{
	struct holdkeep *k = arg;

	k->p.done(status, k->p.arg);
}

static void *
holdkeep_start(struct event_base *base, const struct mapkeep_params *p)
{
	struct holdkeep *k = calloc(1, sizeof(*k));
	struct mapkeep_params router = *p;

	if (k == NULL)
		return NULL;
	k->p = *p;
	k->rec = p->recs[p->n - 1];
	k->hold = hold_find(k->rec.protocol, k->rec.internal_port);
	router.n = 1;
	router.save = holdkeep_save;
	router.granted = holdkeep_granted;
	router.lost = holdkeep_lost;
	router.done = holdkeep_done;
	router.arg = k;
	if (k->hold == NULL || (k->router = mapkeep_start(base, &router)) ==
	    NULL) {
		free(k);
		return NULL;
	}
	k->hold->changed = holdkeep_changed;
	k->hold->changed_arg = k;
	return k;
}

static void
holdkeep_free(void *arg)
{
	struct holdkeep *k = arg;

	if (k->hold != NULL && k->hold->changed_arg == k)
		k->hold->changed = NULL;
	mapkeep_free(k->router);
	free(k);
}

/* The flow ends (the carrier forgets its port), then the router's
 * mapping is removed. */
static void
holdkeep_stop(void *arg)
{
	struct holdkeep *k = arg;

	if (k->stopping)
		return;
	k->stopping = true;
	if (k->hold != NULL)
		hold_free(k->hold);
	k->hold = NULL;
	k->p.save(MAPKEEP_DROP, &k->rec, k->p.arg);
	mapkeep_stop(k->router);
}

static void
holdkeep_refresh(void *arg, const char *why)
{
	struct holdkeep *k = arg;

	mapkeep_refresh(k->router, why);
	if (k->hold != NULL)
		hold_send(k->hold);
}

static const struct map_record *
holdkeep_layer(const void *arg, int i)
{
	const struct holdkeep *k = arg;

	return i == 0 ? mapkeep_layer(k->router, 0) : i == 1 ? &k->rec : NULL;
}

static bool
holdkeep_busy(const void *arg)
{
	const struct holdkeep *k = arg;

	return mapkeep_busy(k->router);
}

const struct wayin_ops hold_ops = {
	hold_ask, hold_ask_free, holdkeep_start, holdkeep_free, holdkeep_stop,
	holdkeep_refresh, holdkeep_layer, holdkeep_busy,
};
