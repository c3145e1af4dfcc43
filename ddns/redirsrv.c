/*
 * The redirect server. A visitor's request is answered from the cache
 * of DNS answers (redirdns.c) without an allocation when the name is
 * known; the answer is a redirect to the address and port that DNS holds,
 * never to anything a request names. Plain HTTP is served by our own
 * small front (redirfront.c: visitors and /check); TLS by libevent's HTTP
 * server (registrations, and the rest the same way).
 */
#include "ddns/redirsrv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "agent/log.h"
#include "ddns/httphead.h"
#include "ddns/redirdns.h"
#include "ddns/redirect.h"
#include "ddns/redirsrc.h"
#include "ddns/redirsrv_int.h"
#include "probes/resolve.h"

#define REDIRSRV_MAX_HEADERS	8192
#define REDIRSRV_MAX_BODY	1024
#define REDIRSRV_TIMEOUT	10	/* seconds, reading a request */

const char *
redirsrv_reason(int code)
{
	switch (code) {
	case 301: return "Moved Permanently";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "OK";
	}
}

void
redirsrv_reply(struct evhttp_request *req, int code, const char *text)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *body = evbuffer_new();

	evhttp_add_header(h, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (body != NULL)
		evbuffer_add_printf(body, "%s\n", text);
	evhttp_send_reply(req, code, redirsrv_reason(code), body);
	if (body != NULL)
		evbuffer_free(body);
}

/* --- visitors --- */

struct redirsrv_wait {
	struct redirsrv *s;
	redirsrv_answer_fn *fn;
	void *ctx;
	char uri[];
};

static void
redirsrv_found(const struct redirsrv *s, const struct redirdns_result *r,
    const char *uri, redirsrv_answer_fn *fn, void *ctx)
{
	struct redirsrv_answer a = { 404, NULL, NULL,
	    "This name is not registered here.\n", NULL };
	char loc[HTTPHEAD_MAX_TARGET + 80];

	if (r->status == REDIRDNS_FAILED) {
		a = (struct redirsrv_answer){ 503, NULL, NULL, "DNS did not "
		    "answer; try again soon.\n", "5" };
	} else if (r->status == REDIRDNS_FOUND) {
		if (redirect_location(&r->addr, r->port, uri, loc, sizeof(loc)) == 0)
			a = (struct redirsrv_answer){ s->cfg->status, loc,
			    NULL, NULL, NULL };
		else
			a = (struct redirsrv_answer){ 414, NULL, NULL,
			    "The request target is too long.\n", NULL };
	}
	fn(ctx, &a);
}

static void
redirsrv_on_found(const struct redirdns_result *r, void *arg)
{
	struct redirsrv_wait *w = arg;

	redirsrv_found(w->s, r, w->uri, w->fn, w->ctx);
	free(w);
}

void
redirsrv_visit(struct redirsrv *s, const char *name, const char *uri,
    redirsrv_answer_fn *fn, void *ctx)
{
	static const struct redirsrv_answer busy = { 503, NULL, NULL, "Busy.\n",
	    "5" };
	struct redirdns_result r;
	struct redirsrv_wait *w;
	size_t n = strlen(uri);

	if (redirdns_peek(s->dns, name, &r)) {
		redirsrv_found(s, &r, uri, fn, ctx);
		return;
	}
	if ((w = malloc(sizeof(*w) + n + 1)) == NULL) {
		fn(ctx, &busy);
		return;
	}
	w->s = s;
	w->fn = fn;
	w->ctx = ctx;
	memcpy(w->uri, uri, n + 1);
	if (redirdns_lookup(s->dns, name, redirsrv_on_found, w) < 0) {
		free(w);
		fn(ctx, &busy);
	}
}

/* Is the name the zone's or under it, and not the server's own? */
static bool
redirsrv_visitor_name(const struct redirsrv *s, const char *name)
{
	const char *z = s->cfg->zone;
	size_t n = strlen(name), m = strlen(z);

	for (int i = 0; i < s->cfg->nserver_name; i++)
		if (!strcasecmp(name, s->cfg->server_name[i]))
			return false;
	while (m > 0 && z[m - 1] == '.')
		m--;
	return m == 0 || (n > m && name[n - m - 1] == '.' &&
	    !strncasecmp(name + n - m, z, m));
}

static bool
redirsrv_path_is(const char *path, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(path, want, n);
}

enum redirsrv_route
redirsrv_route_of(const struct redirsrv *s, const char *host, const char *path,
    size_t path_len, char *name)
{
	bool named = host != NULL && redirect_host(host, name,
	    REDIRECT_NAME_LEN) == 0;

	if (named && redirsrv_visitor_name(s, name))
		return ROUTE_VISIT;
	if (redirsrv_path_is(path, path_len, "/check"))
		return ROUTE_CHECK;
	if (redirsrv_path_is(path, path_len, "/nic/update"))
		return ROUTE_UPDATE;
	return named ? ROUTE_UNKNOWN : ROUTE_BAD_HOST;
}

/* --- libevent's HTTP server (TLS): registrations, and the rest too --- */

static void
redirsrv_evhttp_answer(void *ctx, const struct redirsrv_answer *a)
{
	struct evhttp_request *req = ctx;
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *body = a->body ? evbuffer_new() : NULL;

	if (a->location)
		evhttp_add_header(h, "Location", a->location);
	if (a->retry_after)
		evhttp_add_header(h, "Retry-After", a->retry_after);
	if (a->body) {
		evhttp_add_header(h, "Content-Type", a->ctype ? a->ctype :
		    "text/plain; charset=utf-8");
		evhttp_add_header(h, "Cache-Control", "no-store");
		if (body)
			evbuffer_add(body, a->body, strlen(a->body));
	}
	evhttp_send_reply(req, a->code, redirsrv_reason(a->code), body);
	if (body)
		evbuffer_free(body);
}

static void
redirsrv_on_request(struct evhttp_request *req, void *arg)
{
	struct redirsrv_side *side = arg;
	struct redirsrv *s = side->s;
	struct redirsrc *src = redirsrc_of(s->sources, req,
	    s->cfg->max_per_source);
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = evhttp_uri_get_path(u) ? evhttp_uri_get_path(u) : "/";
	char name[REDIRECT_NAME_LEN];

	if (src == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		redirsrv_reply(req, 503, "Too many connections from your address.");
		return;
	}
	switch (redirsrv_route_of(s, evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Host"), path, strlen(path),
	    name)) {
	case ROUTE_VISIT:
		redirsrv_visit(s, name, evhttp_request_get_uri(req),
		    redirsrv_evhttp_answer, req);
		break;
	case ROUTE_CHECK:
		redirsrv_check(s, src, evhttp_uri_get_query(u),
		    redirsrv_evhttp_answer, req);
		break;
	case ROUTE_UPDATE:
		redirsrv_update(s, req, src, side->tls);
		break;
	case ROUTE_UNKNOWN:
		redirsrv_reply(req, 404, "This name is not registered here.");
		break;
	default:
		redirsrv_reply(req, 400, "The Host header is not a host name.");
	}
}

/* --- listening --- */

static struct bufferevent *
redirsrv_on_tls_conn(struct event_base *base, void *arg)
{
	struct redirsrv *s = arg;
	SSL *ssl = SSL_new(s->tls);

	return ssl ? bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE) : NULL;
}

static SSL_CTX *
redirsrv_tls(const struct redirect_config *c, char *why, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(why, len, "TLS: %s or %s: %s", c->tls_cert, c->tls_key,
		    ERR_reason_error_string(ERR_peek_last_error()) ?
		    ERR_reason_error_string(ERR_peek_last_error()) : "unusable");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static struct evhttp *
redirsrv_http(struct redirsrv *s, struct redirsrv_side *side)
{
	struct evhttp *h = evhttp_new(s->base);

	if (h == NULL)
		return NULL;
	evhttp_set_max_headers_size(h, REDIRSRV_MAX_HEADERS);
	evhttp_set_max_body_size(h, REDIRSRV_MAX_BODY);
	evhttp_set_timeout(h, REDIRSRV_TIMEOUT);
	evhttp_set_allowed_methods(h, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(h, redirsrv_on_request, side);
	if (side->tls)
		evhttp_set_bevcb(h, redirsrv_on_tls_conn, s);
	return h;
}

static int
redirsrv_bind(struct evhttp *h, const char (*list)[256], int n,
    uint16_t dflt, char *why, size_t len)
{
	for (int i = 0; i < n; i++) {
		char host[256];
		uint16_t port;
		if (resolve_split(list[i], dflt, host, sizeof(host), &port, why,
		    len) < 0)
			return -1;
		if (evhttp_bind_socket_with_handle(h, host, port) == NULL) {
			snprintf(why, len, "cannot listen on %s (in use? an "
			    "address of this host?)", list[i]);
			return -1;
		}
	}
	return 0;
}

struct redirsrv *
redirsrv_new(struct event_base *base, const struct redirect_config *cfg,
    char *why, size_t len)
{
	struct redirsrv *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->base = base;
	s->cfg = cfg;
	s->secure = (struct redirsrv_side){ s, true };
	if ((s->dns = redirdns_new(base, cfg->dns_server, why, len)) == NULL ||
	    (s->sources = redirsrc_table_new(base)) == NULL)
		goto fail;
	if (cfg->nlisten && (s->front = redirfront_new(s, why, len)) == NULL)
		goto fail;
	if (cfg->ntls && ((s->tls = redirsrv_tls(cfg, why, len)) == NULL ||
	    (s->https = redirsrv_http(s, &s->secure)) == NULL ||
	    redirsrv_bind(s->https, cfg->tls_listen, cfg->ntls, 443, why, len) < 0))
		goto fail;
	return s;
fail:
	redirsrv_free(s);
	return NULL;
}

void
redirsrv_free(struct redirsrv *s)
{
	struct redirdns_stats st = { 0 };

	if (s == NULL)
		return;
	if (s->dns != NULL) {
		redirdns_stats(s->dns, &st);
		log_info("visitors: %llu lookups, %llu from the cache, %llu DNS "
		    "queries", (unsigned long long)st.lookups,
		    (unsigned long long)st.hits, (unsigned long long)st.queries);
	}
	redirsrv_jobs_free(s);
	redirfront_free(s->front);
	if (s->https)
		evhttp_free(s->https);
	SSL_CTX_free(s->tls);
	redirsrc_table_free(s->sources);
	redirdns_free(s->dns);
	free(s);
}
