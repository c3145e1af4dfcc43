/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The status page's server. One request a connection, GET or HEAD, its
 * head read by the one HTTP head parser (lib/httphead.c) within a short
 * deadline; at most WEB_MAX_CONNS at once, each buffer allocated while it
 * lives. One LAN host must not lock the owner out (the audit's 16 heads
 * that never ended took every slot): a source (an address, an IPv6 /64)
 * holds at most WEB_PER_SOURCE, and when all are taken the oldest
 * connection still sending its head makes room for the newcomer.
 * Password guesses follow the redirect server's rule (lib/sources.c):
 * one at a time from a source, each held longer after each failure.
 * The page and its script are built into the binary (webassets.c,
 * made from agent/daemon/page/ at build time); /status.json is the
 * agent's status, the same JSON as `homereach status --json`; /metrics
 * the Prometheus text.
 */
#include "agent/daemon/web.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/daemon/webassets.h"
#include "lib/httphead.h"
#include "lib/sources.h"
#include "lib/log.h"
#include "lib/loop.h"

struct web_conn {
	struct web *w;
	struct source *src;		/* counted in its source */
	uint64_t seq;			/* the order of accepts */
	bool headed;			/* the head is in: no longer evicted */
	bool guessing;			/* holds its source's one guess */
	struct httphead h;		/* the request, while a guess is held */
	struct loop_sock s;		/* io: readable; timer: a held guess;
					 * deadline */
	struct event *wr;		/* writable, while the answer is sent */
	char in[HTTPHEAD_MAX];		/* the request; then the answer's head */
	size_t len;			/* of the request, then of the head */
	const char *body;		/* an asset's bytes, or owned */
	char *owned;			/* a body to free (the JSON) */
	size_t body_len, sent;		/* sent: of head and body */
};

struct web {
	struct event_base *base;
	struct loop_sock listener;
	struct web_conn *conns[WEB_MAX_CONNS];
	struct sources *sources;
	uint64_t seq;
	char password[256];		/* "" for none */
	web_status_cb *status;
	web_metrics_cb *metrics;
	void *arg;
};

static void
web_close(struct web_conn *c)
{
	for (int i = 0; i < WEB_MAX_CONNS; i++)
		if (c->w->conns[i] == c)
			c->w->conns[i] = NULL;
	c->src->conns--;
	if (c->guessing)
		c->src->login = false;
	loop_event_free(&c->wr);
	loop_sock_close(&c->s);
	free(c->owned);
	explicit_bzero(c->in, c->len);		/* it may hold credentials */
	free(c);
}

static void
web_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *c = arg;
	ssize_t n;

	(void)what;
	while (c->sent < c->len + c->body_len) {
		struct iovec iov[2];
		int k = 0;
		if (c->sent < c->len)
			iov[k++] = (struct iovec){ c->in + c->sent, c->len - c->sent };
		size_t b = c->sent > c->len ? c->sent - c->len : 0;
		if (b < c->body_len)
			iov[k++] = (struct iovec){ (void *)(c->body + b),
			    c->body_len - b };
		n = sendmsg(fd, &(struct msghdr){ .msg_iov = iov,
		    .msg_iovlen = (size_t)k }, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		c->sent += (size_t)n;
	}
	web_close(c);
}

/* The head into the request's buffer, done with; the body where it is
 * (an asset's bytes are not copied); both sent as the socket takes them.
 * owned: a body to free after. */
static void
web_answer(struct web_conn *c, int status, const char *type,
    const void *body, size_t len, bool head, char *owned)
{
	static const char fmt[] = "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
	    "Content-Security-Policy: default-src 'none'; script-src 'self'; "
	    "style-src 'self'; connect-src 'self'; img-src 'self'; "
	    "frame-ancestors 'none'\r\nReferrer-Policy: no-referrer\r\n"
	    "%sConnection: close\r\n\r\n";
	const char *auth = status == 401 ?
	    "WWW-Authenticate: Basic realm=\"homereach\", charset=\"UTF-8\"\r\n" :
	    "";
	int n;

	event_del(c->s.io);
	explicit_bzero(c->in, c->len);		/* it may hold credentials */
	c->owned = owned;
	n = snprintf(c->in, sizeof(c->in), fmt, status, httphead_reason(status), type,
	    len, auth);
	c->len = n > 0 && (size_t)n < sizeof(c->in) ? (size_t)n : 0;
	c->body = head ? NULL : body;
	c->body_len = head ? 0 : len;
	if ((c->wr = event_new(c->w->base, c->s.fd, EV_WRITE | EV_PERSIST,
	    web_on_write, c)) == NULL || event_add(c->wr, NULL) < 0)
		web_close(c);
}

/* The reason phrase is the body: a string that outlives the answer. */
static void
web_error(struct web_conn *c, int status)
{
	const char *body = httphead_reason(status);

	web_answer(c, status, "text/plain; charset=utf-8", body, strlen(body),
	    false, NULL);
}

/* Constant time in the length of what was sent. */
static bool
web_same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i < lb ? i : 0]);
	return d == 0 && lb > 0;
}

/* The password alone counts: any user name, an empty one too. */
static bool
web_password_ok(const struct web *w, const struct httphead *h)
{
	char header[600], user[128], pass[256];
	bool ok;

	if (h->auth == NULL || h->auth_len >= sizeof(header))
		return false;
	memcpy(header, h->auth, h->auth_len);
	header[h->auth_len] = '\0';
	ok = httphead_basic_auth(header, user, sizeof(user), pass,
	    sizeof(pass)) == 0 && web_same(pass, w->password);
	explicit_bzero(header, sizeof(header));
	explicit_bzero(pass, sizeof(pass));
	return ok;
}

/* Without a password, only a Host that names no one else: an address, or
 * localhost (DNS rebinding, RFC 9110 section 7.2). */
static bool
web_host_ok(const struct web *w, const struct httphead *h)
{
	char host[300];
	size_t n = h->host_len;
	struct netaddr a;

	if (w->password[0] != '\0' || h->host == NULL)
		return w->password[0] != '\0' || h->minor == 0;
	if (n >= sizeof(host))
		return false;
	memcpy(host, h->host, n);
	host[n] = '\0';
	if (host[0] == '[') {			/* [v6]:port */
		char *end = strchr(host, ']');
		if (end == NULL)
			return false;
		*end = '\0';
		return addr_parse(host + 1, &a) == 0;
	}
	host[strcspn(host, ":")] = '\0';
	return addr_parse(host, &a) == 0 || !strcasecmp(host, "localhost");
}

/* An authorized request: its answer. */
static void
web_serve(struct web_conn *c, const struct httphead *h)
{
	bool head = h->method == HTTPHEAD_HEAD;
	size_t plen = 0;
	const struct web_asset *a;
	char *json;

	while (plen < h->target_len && h->target[plen] != '?' &&
	    h->target[plen] != '#')
		plen++;
	if ((plen == 12 && !memcmp(h->target, "/status.json", 12)) ||
	    (plen == 8 && !memcmp(h->target, "/metrics", 8))) {
		bool metrics = plen == 8;
		if ((json = metrics ? c->w->metrics(c->w->arg) :
		    c->w->status(c->w->arg)) == NULL) {
			web_error(c, 503);
			return;
		}
		web_answer(c, 200, metrics ? "text/plain; version=0.0.4; "
		    "charset=utf-8" : "application/json", json, strlen(json), head,
		    json);
		return;
	}
	if ((a = web_asset_find(h->target, plen)) == NULL) {
		web_error(c, 404);
		return;
	}
	web_answer(c, 200, a->type, a->data, a->len, head, NULL);
}

/* A guess, checked: its outcome counts for the source's next delay. */
static void
web_guess(struct web_conn *c, const struct httphead *h)
{
	bool ok = web_password_ok(c->w, h);

	c->guessing = false;
	source_login_done(c->src, ok);
	if (ok)
		web_serve(c, h);
	else
		web_error(c, 401);
}

static void
web_on_held(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *c = arg;

	(void)fd, (void)what;
	web_guess(c, &c->h);
}

/* With a password: a request without one is asked for it; a guess is
 * checked at once, or after the source's delay, and one at a time. */
static void
web_route(struct web_conn *c, const struct httphead *h)
{
	int delay;

	if (!web_host_ok(c->w, h)) {
		web_error(c, 421);
		return;
	}
	if (c->w->password[0] == '\0') {
		web_serve(c, h);
		return;
	}
	if (h->auth == NULL) {
		web_error(c, 401);
		return;
	}
	if (c->src->login) {
		web_error(c, 429);
		return;
	}
	c->guessing = c->src->login = true;
	if ((delay = source_login_delay(c->src, time(NULL))) == 0) {
		web_guess(c, h);
		return;
	}
	c->h = *h;			/* it points into c->in, kept as it is */
	event_del(c->s.io);
	loop_after(c->s.deadline, delay * 1000 + WEB_DEADLINE_MS);
	loop_after(c->s.timer, delay * 1000);
}

static void
web_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *c = arg;
	struct httphead h;
	ssize_t n;
	int rc;

	(void)what;
	n = recv(fd, c->in + c->len, sizeof(c->in) - c->len, 0);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		web_close(c);
		return;
	}
	c->len += (size_t)n;
	rc = httphead_parse(c->in, c->len, &h);
	if (rc == 0 && c->len == sizeof(c->in))
		rc = -431;
	if (rc < 0)
		web_error(c, -rc);
	else if (rc > 0) {
		c->headed = true;
		loop_after(c->s.deadline, WEB_DEADLINE_MS);
		web_route(c, &h);
	}
}

static void
web_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	web_close(arg);
}

/* A free slot; when there is none, the oldest connection still sending
 * its head gives up its own; -1 if every one is being answered. */
static int
web_slot(struct web *w)
{
	int oldest = -1;

	for (int i = 0; i < WEB_MAX_CONNS; i++) {
		if (w->conns[i] == NULL)
			return i;
		if (!w->conns[i]->headed && (oldest < 0 ||
		    w->conns[i]->seq < w->conns[oldest]->seq))
			oldest = i;
	}
	if (oldest >= 0)
		web_close(w->conns[oldest]);
	return oldest;
}

static void
web_accept_one(struct web *w, int fd, const struct netaddr *from)
{
	static const struct loop_sock_cbs cbs = { .io = web_on_read,
		.timer = web_on_held, .deadline = web_on_deadline };
	struct source *src = sources_get(w->sources, from);
	struct web_conn *c;
	int slot;

	/* Not calloc: the 8 KB buffer is written only as far as it is read. */
	if (src == NULL || src->conns >= WEB_PER_SOURCE ||
	    (slot = web_slot(w)) < 0 || (c = malloc(sizeof(*c))) == NULL) {
		close(fd);		/* the client may try again */
		return;
	}
	c->w = w;
	c->src = src;
	c->seq = ++w->seq;
	c->headed = c->guessing = false;
	c->s = (struct loop_sock){ .fd = -1 };
	c->wr = NULL;
	c->len = c->body_len = c->sent = 0;
	c->body = c->owned = NULL;
	if (loop_sock_open(&c->s, w->base, fd, true, &cbs, c) < 0) {
		free(c);
		return;
	}
	src->conns++;
	loop_after(c->s.deadline, WEB_HEAD_MS);
	w->conns[slot] = c;
}

static void
web_on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct web *w = arg;
	int fd;

	(void)what;
	for (int i = 0; i < WEB_MAX_CONNS; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct netaddr from;
		fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK |
		    SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_debug("status page: accept: %s", strerror(errno));
			return;
		}
		addr_from_sockaddr((struct sockaddr *)&ss, &from, NULL);
		addr_unmap(&from);
		web_accept_one(w, fd, &from);
	}
}

static int
web_listen(const struct netaddr *addr, uint16_t port, char *why, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0), on = 1;
	char where[ADDR_PORT_STRLEN];

	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == 0 && bind(fd, (struct sockaddr *)&ss, sl) == 0 &&
	    listen(fd, WEB_MAX_CONNS) == 0)
		return fd;
	snprintf(why, len, "web_listen %s: %s", addr_ntop_port(addr, port,
	    where, sizeof(where)), strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

struct web *
web_start(struct event_base *base, const struct netaddr *addr, uint16_t port,
    const char *password, web_status_cb *status, web_metrics_cb *metrics,
    void *arg, char *why, size_t len)
{
	static const struct loop_sock_cbs cbs = { .io = web_on_accept };
	struct web *w = calloc(1, sizeof(*w));
	int fd = -1;

	if (w == NULL) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	*w = (struct web){ .base = base, .status = status, .metrics = metrics,
	    .arg = arg };
	snprintf(w->password, sizeof(w->password), "%s", password ? password :
	    "");
	if ((w->sources = sources_new(base, 32)) == NULL ||
	    (fd = web_listen(addr, port, why, len)) < 0 ||
	    loop_sock_open(&w->listener, base, fd, true, &cbs, w) < 0) {
		if (w->sources == NULL || fd >= 0)	/* else said */
			snprintf(why, len, "out of memory");
		sources_free(w->sources);
		explicit_bzero(w->password, sizeof(w->password));
		free(w);
		return NULL;
	}
	return w;
}

void
web_free(struct web *w)
{
	if (w == NULL)
		return;
	for (int i = 0; i < WEB_MAX_CONNS; i++)
		if (w->conns[i] != NULL)
			web_close(w->conns[i]);
	loop_sock_close(&w->listener);
	sources_free(w->sources);
	explicit_bzero(w->password, sizeof(w->password));
	free(w);
}
