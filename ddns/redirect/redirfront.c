/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect server's HTTP front, on both ports: plain HTTP (visitors
 * and /check) and TLS (registrations, and the rest the same way).
 *
 * Why not libevent's HTTP server here too: measured with wrk on one core,
 * evhttp made five system calls a request (readv, FIONREAD, two
 * epoll_ctl, writev) and two loop turns, since a bufferevent writes only
 * when epoll says it may; it served 0.43 of nginx's `return 307`. This
 * front reads with one recv, parses the head in place (httphead.c),
 * answers from the DNS cache and writes with one send in the same turn;
 * only a send that does not finish waits for EV_WRITE.
 *
 * A connection is counted against its source at accept (the per-source
 * limit) and closed when a request's head (and on the TLS port the
 * handshake) has not come in whole 10 s after the last answer or the
 * accept: a head sent a byte at a time does not keep it open. Out of
 * descriptors, every listener pauses for a second at a time, with a
 * reserve descriptor to take and close the connection waiting; those
 * already open are served meanwhile. One request is answered at a time
 * (pipelined ones wait in the buffer). A connection whose answer is still
 * coming when it closes is kept, without its socket, until the answer
 * arrives and is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lib/httphead.h"
#include "ddns/redirect/redirparse.h"
#include "lib/sources.h"
#include "ddns/redirect/redirsrv_int.h"
#include "lib/log.h"
#include "lib/resolve.h"

#define FRONT_IDLE_S		10
#define FRONT_BACKLOG		1024
#define FRONT_RESERVED		320	/* descriptors kept from visitors, at
					 * most a quarter of them */
#define FRONT_AUTH_MAX		1024	/* an Authorization field */
#define FRONT_OUT_MAX		(HTTPHEAD_MAX_TARGET + 1024)

struct front_conn {
	struct redirfront *f;
	evutil_socket_t fd;
	SSL *ssl;			/* the TLS port's, else NULL */
	struct source *src;
	struct netaddr from;		/* the peer (src may be its /64) */
	struct event *rd, *wr, *idle;
	bool rd_on;
	bool handshaking;		/* TLS, until the handshake is done */
	bool read_wants_write;		/* TLS: a read waits for EV_WRITE */
	char in[HTTPHEAD_MAX];
	size_t inlen;
	char *out;			/* what a send left, or NULL */
	size_t outlen, outoff;
	int busy;			/* front_run on the stack */
	bool waiting;			/* an answer is coming */
	bool keep_alive, head;		/* of the request being answered */
	bool closing;			/* close once the output is out */
	bool dead;			/* socket gone; kept for the answer */
	struct front_conn *prev, *next;
};

/* A listener's side: plain or TLS. */
struct front_side {
	struct redirfront *f;
	bool tls;
};

struct redirfront {
	struct redirsrv *s;
	const struct timeval *idle_tv;	/* a common timeout: O(1) re-arm */
	struct front_conn *conns;
	int nconns, ceiling;		/* open, and at most (descriptors) */
	struct front_side sides[2];
	struct evconnlistener *ls[2 * REDIRECT_MAX_LISTEN];
	int nls;
	int reserve;			/* given back when out of descriptors */
	struct event *resume;		/* the listeners, paused until then */
	time_t starved_logged;
	char date[40];
	time_t date_at;
};

static void front_run(struct front_conn *c);

static void
front_unlink(struct front_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		c->f->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* The socket and its events go; the struct too, unless an answer is due. */
static void
front_close(struct front_conn *c)
{
	if (!c->dead) {
		event_free(c->rd);
		event_free(c->wr);
		event_free(c->idle);
		if (c->ssl != NULL) {
			if (!c->handshaking)
				SSL_shutdown(c->ssl);	/* close_notify, if it fits */
			SSL_free(c->ssl);
			ERR_clear_error();
		}
		close(c->fd);
		c->src->conns--;
		c->f->nconns--;
		free(c->out);
		c->out = NULL;
		c->dead = true;
	}
	if (c->waiting)
		return;
	front_unlink(c);
	free(c);
}

/* Close now if it should close and nothing holds it. */
static void
front_settle(struct front_conn *c)
{
	if (c->busy == 0 && c->closing && c->out == NULL)
		front_close(c);
}

/* The connection is over: drop what was not sent. */
static void
front_abort(struct front_conn *c)
{
	free(c->out);
	c->out = NULL;
	c->closing = true;
	front_settle(c);
}

/* --- the transport: plain, or TLS --- */

/* After a TLS call returned r <= 0: 0 to wait for the socket, -1 over. */
static int
front_tls_wait(struct front_conn *c, int r, bool reading)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return reading ? 0 : -1;	/* no renegotiation: never */
	case SSL_ERROR_WANT_WRITE:
		c->read_wants_write |= reading;
		event_add(c->wr, NULL);
		return 0;
	default:
		ERR_clear_error();
		return -1;
	}
}

/* Bytes read; 0 to wait; -1 when the connection is over. */
static ssize_t
front_recv(struct front_conn *c, char *buf, size_t len)
{
	ssize_t n;
	int r;

	if (c->ssl == NULL) {
		n = recv(c->fd, buf, len, 0);
		return n > 0 ? n : n < 0 && (errno == EAGAIN || errno == EINTR) ?
		    0 : -1;
	}
	if (c->handshaking) {
		if ((r = SSL_do_handshake(c->ssl)) != 1)
			return front_tls_wait(c, r, true);
		c->handshaking = false;
	}
	r = SSL_read(c->ssl, buf, (int)len);
	return r > 0 ? r : front_tls_wait(c, r, true);
}

/* Bytes sent; 0 to wait; -1 when the connection is over. */
static ssize_t
front_send_some(struct front_conn *c, const char *buf, size_t len)
{
	ssize_t n;
	int r;

	if (c->ssl == NULL) {
		n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		return n >= 0 ? n : errno == EAGAIN || errno == EINTR ? 0 : -1;
	}
	r = SSL_write(c->ssl, buf, (int)len);
	return r > 0 ? r : front_tls_wait(c, r, false);
}

/* Reading again: TLS may hold decrypted bytes the socket no longer
 * signals. */
static void
front_want_read(struct front_conn *c)
{
	event_add(c->rd, NULL);
	c->rd_on = true;
	if (c->ssl != NULL && SSL_pending(c->ssl) > 0)
		event_active(c->rd, EV_READ, 0);
}

static void
front_send(struct front_conn *c, const char *buf, size_t len)
{
	ssize_t n = front_send_some(c, buf, len);

	if (n < 0) {
		front_abort(c);
		return;
	}
	if ((size_t)n == len) {
		if (!c->keep_alive)
			c->closing = true;
		return;
	}
	if ((c->out = malloc(len - (size_t)n)) == NULL) {
		front_abort(c);
		return;
	}
	memcpy(c->out, buf + n, len - (size_t)n);
	c->outlen = len - (size_t)n;
	c->outoff = 0;
	event_add(c->wr, NULL);
}

static const char *
front_date(struct redirfront *f)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now != f->date_at) {	/* RFC 9110 section 5.6.7 */
		gmtime_r(&now, &tm);
		strftime(f->date, sizeof(f->date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		f->date_at = now;
	}
	return f->date;
}

/* Format and send a; safe for any answer the server builds. */
static void
front_write(struct front_conn *c, const struct redirsrv_answer *a)
{
	char buf[FRONT_OUT_MAX];
	size_t blen = a->body ? strlen(a->body) : 0;
	int n = snprintf(buf, sizeof(buf), "HTTP/1.1 %d %s\r\nDate: %s\r\n"
	    "Content-Length: %zu\r\n%s%s%s%s%s%s%s%s%s%s%s%s%s%s\r\n", a->code,
	    httphead_reason(a->code), front_date(c->f), blen,
	    a->location ? "Location: " : "", a->location ? a->location : "",
	    a->location ? "\r\n" : "",
	    a->body ? "Content-Type: " : "", a->body ? (a->ctype ? a->ctype :
	    "text/plain; charset=utf-8") : "", a->body ? "\r\nCache-Control: "
	    "no-store\r\n" : "",
	    a->retry_after ? "Retry-After: " : "", a->retry_after ?
	    a->retry_after : "", a->retry_after ? "\r\n" : "",
	    a->challenge ? "WWW-Authenticate: " : "", a->challenge ?
	    a->challenge : "", a->challenge ? "\r\n" : "",
	    a->code == 405 ? "Allow: GET, HEAD\r\n" : "",	/* RFC 9110 15.5.6 */
	    c->keep_alive ? "" : "Connection: close\r\n");

	if (n < 0 || (size_t)n + blen >= sizeof(buf)) {
		front_abort(c);
		return;
	}
	if (a->body && !c->head)
		memcpy(buf + n, a->body, blen);
	front_send(c, buf, (size_t)n + (c->head ? 0 : blen));
}

static void
front_answer(void *ctx, const struct redirsrv_answer *a)
{
	struct front_conn *c = ctx;

	c->waiting = false;
	if (c->dead) {			/* it closed meanwhile */
		front_close(c);
		return;
	}
	front_write(c, a);
	if (c->busy == 0)		/* an answer that came later */
		front_run(c);
}

static void
front_error(struct front_conn *c, int code)
{
	char body[80];
	struct redirsrv_answer a = { code, NULL, NULL, body, NULL, NULL };

	snprintf(body, sizeof(body), "%s.\n", httphead_reason(code));
	c->keep_alive = false;
	front_write(c, &a);
}

/* path and query of an origin-form or absolute-form target. */
static int
front_split(char *target, char **path, size_t *plen, char **query)
{
	char *p = target, *q;

	if (*p != '/') {
		if (strncasecmp(p, "http://", 7) && strncasecmp(p, "https://", 8))
			return -1;
		p = strchr(strstr(p, "://") + 3, '/');
		if (p == NULL)
			p = "/";
	}
	q = strchr(p, '?');
	*path = p;
	*plen = q ? (size_t)(q - p) : strlen(p);
	*query = q ? q + 1 : NULL;
	return 0;
}

static void
front_update(struct front_conn *c, const struct httphead *h, const char *query)
{
	char auth[FRONT_AUTH_MAX];

	/* Too long to be ours: it fails as a wrong one does. */
	snprintf(auth, sizeof(auth), "%.*s", h->auth_len < sizeof(auth) ?
	    (int)h->auth_len : 0, h->auth ? h->auth : "");
	redirsrv_update(c->f->s, c->src, &c->from, query, h->auth ? auth : NULL,
	    front_answer, c);
}

static void
front_request(struct front_conn *c, const struct httphead *h)
{
	static const struct redirsrv_answer tls_only = { 403, NULL, NULL,
	    "Registration is served over https only.\n", NULL, NULL };
	static const struct redirsrv_answer unknown = { 404, NULL, NULL,
	    "This name is not registered here.\n", NULL, NULL };
	char target[HTTPHEAD_MAX_TARGET + 1], host[300], name[REDIRPARSE_NAME_LEN];
	char *path, *query;
	size_t plen;

	memcpy(target, h->target, h->target_len);
	target[h->target_len] = '\0';
	c->keep_alive = h->keep_alive;
	c->head = h->method == HTTPHEAD_HEAD;
	if (h->host_len >= sizeof(host) || front_split(target, &path, &plen,
	    &query) < 0) {
		front_error(c, 400);
		return;
	}
	snprintf(host, sizeof(host), "%.*s", (int)h->host_len,
	    h->host ? h->host : "");
	c->waiting = true;
	switch (redirsrv_route_of(c->f->s, h->host ? host : NULL, path, plen,
	    name)) {
	case ROUTE_VISIT:
		redirsrv_visit(c->f->s, name, target, front_answer, c);
		break;
	case ROUTE_CHECK:
		redirsrv_check(c->f->s, c->src, &c->from, query, front_answer, c);
		break;
	case ROUTE_UPDATE:
		if (c->ssl == NULL)
			front_answer(c, &tls_only);
		else
			front_update(c, h, query);
		break;
	case ROUTE_UNKNOWN:
		front_answer(c, &unknown);
		break;
	default:
		c->waiting = false;
		front_error(c, 400);
	}
}

/* Answer what the buffer holds, one request at a time. */
static void
front_run(struct front_conn *c)
{
	struct httphead h;
	int rc;

	c->busy++;
	while (!c->closing && !c->waiting && c->out == NULL && c->inlen > 0) {
		if ((rc = httphead_parse(c->in, c->inlen, &h)) == 0)
			break;
		if (rc < 0) {
			front_error(c, -rc);
			break;
		}
		evtimer_add(c->idle, c->f->idle_tv);	/* 10 s for the next */
		front_request(c, &h);
		c->inlen -= (size_t)rc;
		memmove(c->in, c->in + rc, c->inlen);
	}
	c->busy--;
	if (!c->dead && !c->rd_on && !c->waiting && c->out == NULL &&
	    !c->closing)
		front_want_read(c);
	front_settle(c);
}

static void
front_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct front_conn *c = arg;
	ssize_t n;

	(void)what;
	if (c->waiting || c->out != NULL || c->inlen == sizeof(c->in)) {
		event_del(c->rd);	/* until the answer is out */
		c->rd_on = false;
		return;
	}
	(void)fd;
	if ((n = front_recv(c, c->in + c->inlen, sizeof(c->in) - c->inlen)) <= 0) {
		if (n < 0)
			front_abort(c);
		return;
	}
	c->inlen += (size_t)n;
	if (c->ssl != NULL && SSL_pending(c->ssl) > 0)
		event_active(c->rd, EV_READ, 0);	/* more, in TLS's buffer */
	front_run(c);
}

static void
front_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct front_conn *c = arg;
	ssize_t n;

	(void)fd, (void)what;
	if (c->read_wants_write) {	/* TLS: a read or handshake waited */
		c->read_wants_write = false;
		if (c->out == NULL)
			event_del(c->wr);
		event_active(c->rd, EV_READ, 0);
		if (c->out == NULL)
			return;
	}
	if ((n = front_send_some(c, c->out + c->outoff,
	    c->outlen - c->outoff)) < 0) {
		front_abort(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff < c->outlen)
		return;
	event_del(c->wr);
	free(c->out);
	c->out = NULL;
	if (!c->keep_alive)
		c->closing = true;
	front_run(c);
}

static void
front_on_idle(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	front_abort(arg);
}

/* A refused connection: plain HTTP is told why; TLS cannot be, yet. */
static void
front_refuse(evutil_socket_t fd, bool tls)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";

	if (!tls)
		(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static struct front_conn *
front_conn_new(struct redirfront *f, struct event_base *base,
    evutil_socket_t fd, bool tls)
{
	struct front_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = fd;
	c->rd = event_new(base, fd, EV_READ | EV_PERSIST, front_on_read, c);
	c->wr = event_new(base, fd, EV_WRITE | EV_PERSIST, front_on_write, c);
	c->idle = evtimer_new(base, front_on_idle, c);
	if (tls && (c->ssl = SSL_new(f->s->tls)) != NULL &&
	    SSL_set_fd(c->ssl, fd) == 1) {
		SSL_set_accept_state(c->ssl);
		c->handshaking = true;
	}
	if (c->rd == NULL || c->wr == NULL || c->idle == NULL ||
	    (tls && !c->handshaking)) {
		if (c->rd)
			event_free(c->rd);
		if (c->wr)
			event_free(c->wr);
		if (c->idle)
			event_free(c->idle);
		SSL_free(c->ssl);
		free(c);
		return NULL;
	}
	return c;
}

/*
 * Room for one more: below the source's limit, and below the ceiling,
 * else the oldest connection that waits for nothing makes room (a
 * flood of idle connections from many sources must not shut visitors out,
 * the audit's 1100 from one /64 did).
 */
static bool
front_admit(struct redirfront *f, const struct source *src)
{
	struct front_conn *c, *oldest = NULL;

	if (src->conns >= f->s->cfg->max_per_source)
		return false;
	if (f->nconns < f->ceiling)
		return true;
	for (c = f->conns; c != NULL; c = c->next)
		if (!c->dead && !c->waiting && c->out == NULL)
			oldest = c;	/* idle, or a head that never ends */
	if (oldest == NULL)
		return false;
	front_close(oldest);
	return true;
}

static void
front_on_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct front_side *side = arg;
	struct redirfront *f = side->f;
	struct front_conn *c;
	struct source *src;
	struct netaddr a;

	(void)salen;
	addr_from_sockaddr(sa, &a, NULL);
	addr_unmap(&a);
	src = sources_get(f->s->sources, &a);
	if (src == NULL || !front_admit(f, src) ||
	    (c = front_conn_new(f, evconnlistener_get_base(l), fd,
	    side->tls)) == NULL) {
		front_refuse(fd, side->tls);
		return;
	}
	c->f = f;
	c->src = src;
	c->from = a;
	c->next = f->conns;
	if (f->conns)
		f->conns->prev = c;
	f->conns = c;
	src->conns++;
	f->nconns++;
	front_want_read(c);
	evtimer_add(c->idle, f->idle_tv);
}

/* --- listening --- */

/* Connections at most: the descriptors, less room for the listeners,
 * the DNS updates and the checks. */
static int
front_ceiling(void)
{
	struct rlimit rl;
	int n = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		n = rl.rlim_cur > 1000000 ? 1000000 : (int)rl.rlim_cur;
	n -= n / 4 < FRONT_RESERVED ? n / 4 : FRONT_RESERVED;
	return n < 16 ? 16 : n;
}

/*
 * Out of descriptors, accept() fails at once and libevent would try again
 * and again (the audit saw 4.8 million log lines). Give back the reserve,
 * take the waiting connection and close it, pause every listener for a
 * second, and say so once a minute at most.
 */
static void
front_on_accept_error(struct evconnlistener *l, void *arg)
{
	struct redirfront *f = ((struct front_side *)arg)->f;
	int err = EVUTIL_SOCKET_ERROR(), fd;
	struct timeval pause = { 1, 0 };
	time_t now = time(NULL);

	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM) {
		log_warnx("accept: %s", strerror(err));
		return;
	}
	if (f->reserve >= 0)
		close(f->reserve);
	if ((fd = accept(evconnlistener_get_fd(l), NULL, NULL)) >= 0)
		close(fd);
	f->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (now - f->starved_logged >= 60) {
		log_warnx("out of file descriptors (%s): refusing new "
		    "connections a second at a time", strerror(err));
		f->starved_logged = now;
	}
	for (int i = 0; i < f->nls; i++)
		evconnlistener_disable(f->ls[i]);
	evtimer_add(f->resume, &pause);
}

static void
front_on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct redirfront *f = arg;

	(void)fd, (void)what;
	for (int i = 0; i < f->nls; i++)
		evconnlistener_enable(f->ls[i]);
}

static int
front_listen(struct redirfront *f, const char *where, bool tls, char *why,
    size_t len)
{
	struct sockaddr_storage ss;
	int sslen = sizeof(ss);
	char host[300], text[310];
	uint16_t port;

	if (resolve_split(where, tls ? 443 : 80, host, sizeof(host), &port, why,
	    len) < 0)
		return -1;
	snprintf(text, sizeof(text), strchr(host, ':') ? "[%s]:%u" : "%s:%u",
	    host, port);	/* IPv6 in brackets */
	if (evutil_parse_sockaddr_port(text, (struct sockaddr *)&ss, &sslen) < 0) {
		snprintf(why, len, "listen: \"%s\" is not address:port", where);
		return -1;
	}
	f->ls[f->nls] = evconnlistener_new_bind(f->s->base, front_on_accept,
	    &f->sides[tls], LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_CLOSE_ON_EXEC, FRONT_BACKLOG, (struct sockaddr *)&ss, sslen);
	if (f->ls[f->nls] == NULL) {
		snprintf(why, len, "cannot listen on %s: %s", where, strerror(errno));
		return -1;
	}
	evconnlistener_set_error_cb(f->ls[f->nls++], front_on_accept_error);
	return 0;
}

struct redirfront *
redirfront_new(struct redirsrv *s, char *why, size_t len)
{
	struct redirfront *f = calloc(1, sizeof(*f));
	struct timeval idle = { FRONT_IDLE_S, 0 };

	if (f == NULL)
		return NULL;
	f->s = s;
	f->sides[0] = (struct front_side){ f, false };
	f->sides[1] = (struct front_side){ f, true };
	f->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	f->idle_tv = event_base_init_common_timeout(s->base, &idle);
	f->ceiling = front_ceiling();
	if ((f->resume = evtimer_new(s->base, front_on_resume, f)) == NULL) {
		redirfront_free(f);
		return NULL;
	}
	for (int i = 0; i < s->cfg->nlisten + s->cfg->ntls; i++) {
		bool tls = i >= s->cfg->nlisten;
		if (front_listen(f, tls ? s->cfg->tls_listen[i - s->cfg->nlisten] :
		    s->cfg->listen[i], tls, why, len) < 0) {
			redirfront_free(f);
			return NULL;
		}
	}
	return f;
}

void
redirfront_free(struct redirfront *f)
{
	if (f == NULL)
		return;
	for (int i = 0; i < f->nls; i++)
		evconnlistener_free(f->ls[i]);
	if (f->resume)
		event_free(f->resume);
	if (f->reserve >= 0)
		close(f->reserve);
	while (f->conns != NULL) {
		struct front_conn *c = f->conns;
		c->waiting = false;	/* the server drops its answers too */
		front_close(c);
	}
	free(f);
}
