/*
 * The redirect server. A visitor's request is answered from the cache
 * of DNS answers (redirdns.c) without a copy or an allocation when the
 * name is known; the answer is a redirect to the address and port that
 * DNS holds, never to anything a request names. /nic/update (TLS only)
 * and /check are served for any Host that is not a registered name.
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
#include "ddns/redirdns.h"
#include "ddns/redirect.h"
#include "ddns/redirsrc.h"
#include "ddns/redirsrv_int.h"
#include "probes/resolve.h"

#define REDIRSRV_MAX_HEADERS	8192
#define REDIRSRV_MAX_BODY	1024
#define REDIRSRV_TIMEOUT	10	/* seconds, reading a request */

static const char *
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
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
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
	struct evhttp_request *req;
};

static void
redirsrv_send_found(struct redirsrv *s, struct evhttp_request *req,
    const struct redirdns_result *r)
{
	char loc[4200];

	if (r->status == REDIRDNS_UNKNOWN) {
		redirsrv_reply(req, 404, "This name is not registered here.");
		return;
	}
	if (r->status == REDIRDNS_FAILED) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "5");
		redirsrv_reply(req, 503, "DNS did not answer; try again soon.");
		return;
	}
	if (redirect_location(&r->addr, r->port, evhttp_request_get_uri(req),
	    loc, sizeof(loc)) < 0) {
		redirsrv_reply(req, 400, "The request target is too long.");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", loc);
	evhttp_send_reply(req, s->cfg->status, redirsrv_reason(s->cfg->status),
	    NULL);
}

static void
redirsrv_on_found(const struct redirdns_result *r, void *arg)
{
	struct redirsrv_wait *w = arg;

	redirsrv_send_found(w->s, w->req, r);
	free(w);
}

/* Is the name one this server's zone holds? With no zone, any. */
static bool
redirsrv_ours(const struct redirsrv *s, const char *name)
{
	const char *z = s->cfg->zone;
	size_t n = strlen(name), m = strlen(z);

	while (m > 0 && z[m - 1] == '.')
		m--;
	return m == 0 || (n > m && name[n - m - 1] == '.' &&
	    !strncasecmp(name + n - m, z, m));
}

static void
redirsrv_visitor(struct redirsrv *s, struct evhttp_request *req,
    const char *name)
{
	struct redirdns_result r;
	struct redirsrv_wait *w;

	if (!redirsrv_ours(s, name)) {
		redirsrv_reply(req, 404, "This name is not registered here.");
		return;
	}
	if (redirdns_peek(s->dns, name, &r)) {
		redirsrv_send_found(s, req, &r);
		return;
	}
	if ((w = malloc(sizeof(*w))) == NULL) {
		redirsrv_reply(req, 503, "Busy.");
		return;
	}
	*w = (struct redirsrv_wait){ s, req };
	if (redirdns_lookup(s->dns, name, redirsrv_on_found, w) < 0) {
		free(w);
		redirsrv_reply(req, 503, "Busy.");
	}
}

/* --- /nic/update and /check, for names that are not registered --- */

struct redirsrv_endpoint {
	struct redirsrv *s;
	struct evhttp_request *req;
	struct redirsrc *src;
	bool tls;
};

static void
redirsrv_endpoint(struct redirsrv_endpoint *e)
{
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(e->req));

	if (path != NULL && !strcmp(path, "/nic/update"))
		redirsrv_update(e->s, e->req, e->src, e->tls);
	else
		redirsrv_check(e->s, e->req, e->src);
}

static void
redirsrv_on_endpoint(const struct redirdns_result *r, void *arg)
{
	struct redirsrv_endpoint *e = arg;

	if (r->status == REDIRDNS_FOUND)
		redirsrv_send_found(e->s, e->req, r);
	else
		redirsrv_endpoint(e);
	free(e);
}

static bool
redirsrv_is_endpoint(struct evhttp_request *req)
{
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));

	return path != NULL && (!strcmp(path, "/nic/update") ||
	    !strcmp(path, "/check"));
}

static void
redirsrv_route(struct redirsrv *s, struct evhttp_request *req,
    struct redirsrc *src, bool tls)
{
	const char *host = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Host");
	char name[REDIRECT_NAME_LEN];
	bool named = host != NULL && redirect_host(host, name, sizeof(name)) == 0;
	struct redirsrv_endpoint *e;

	if (!redirsrv_is_endpoint(req)) {
		if (named)
			redirsrv_visitor(s, req, name);
		else
			redirsrv_reply(req, host ? 400 : 404, host ? "The Host "
			    "header is not a host name." : "No Host header.");
		return;
	}
	if (!named || !redirsrv_ours(s, name) ||
	    (e = malloc(sizeof(*e))) == NULL) {
		struct redirsrv_endpoint now = { s, req, src, tls };
		redirsrv_endpoint(&now);
		return;
	}
	*e = (struct redirsrv_endpoint){ s, req, src, tls };
	if (redirdns_lookup(s->dns, name, redirsrv_on_endpoint, e) < 0) {
		free(e);
		redirsrv_reply(req, 503, "Busy.");
	}
}

static void
redirsrv_on_request(struct evhttp_request *req, void *arg)
{
	struct redirsrv_side *side = arg;
	struct redirsrv *s = side->s;
	struct redirsrc *src = redirsrc_of(s->sources, req,
	    s->cfg->max_per_source);

	if (src == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		redirsrv_reply(req, 503, "Too many connections from your address.");
		return;
	}
	redirsrv_route(s, req, src, side->tls);
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
	s->plain = (struct redirsrv_side){ s, false };
	s->secure = (struct redirsrv_side){ s, true };
	if ((s->dns = redirdns_new(base, cfg->dns_server, why, len)) == NULL ||
	    (s->sources = redirsrc_table_new(base)) == NULL)
		goto fail;
	if (cfg->nlisten && ((s->http = redirsrv_http(s, &s->plain)) == NULL ||
	    redirsrv_bind(s->http, cfg->listen, cfg->nlisten, 80, why, len) < 0))
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
	if (s == NULL)
		return;
	redirsrv_jobs_free(s);
	if (s->http)
		evhttp_free(s->http);
	if (s->https)
		evhttp_free(s->https);
	SSL_CTX_free(s->tls);
	redirsrc_table_free(s->sources);
	redirdns_free(s->dns);
	free(s);
}
