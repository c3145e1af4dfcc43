/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The outside-in check: GET check_url?port=N&proto=P on libevent's HTTP
 * client, one slot per service and family. The request goes over the
 * family asked (the server connects back to the address it came from),
 * from the source address given: an IPv6 pinhole is for the host's stable
 * address, which the kernel might not pick. The server's name is looked
 * up here (loop_lookup), in that family, and the connection made to the
 * address: a connection freed while libevent looks its name up leaks (its
 * lookup holds a reference until the loop runs the cancellation). A connection is
 * freed from the loop, never inside its own request callback.
 */
#include "probes/reach.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>

#include "lib/loop.h"
#include "lib/reason.h"
#include "lib/resolve.h"
#include "lib/names.h"

#define REACH_TIMEOUT_S	10	/* the server waits 3 s for our port */

struct reach_slot {
	struct reach *r;
	struct loop_lookup *lookup;
	struct evhttp_connection *conn;
	struct event *reap;		/* frees conn from the loop */
	bool busy;
	bool waiting;			/* for another check of its family */
	char url[512];			/* as asked */
	char host[256];			/* the URL's, for the Host header */
	char target[600];		/* path?port=N&proto=P */
	uint16_t http_port;
	struct netaddr source;		/* family 0: the kernel's choice */
	reach_cb *cb;
	void *arg;
	struct reach_result res;
};

struct reach {
	struct event_base *base;
	struct evdns_base *dns;
	int nslots;
	struct reach_slot *slots[];	/* made when first asked */
};

static void
reach_on_reap(evutil_socket_t fd, short what, void *arg)
{
	struct reach_slot *s = arg;

	(void)fd, (void)what;
	if (s->conn != NULL && !s->busy) {
		evhttp_connection_free(s->conn);
		s->conn = NULL;
	}
}

/* Drop what the slot has under way. */
static void
reach_drop(struct reach_slot *s)
{
	loop_lookup_cancel(s->lookup);
	s->lookup = NULL;
	if (s->conn != NULL)
		evhttp_connection_free(s->conn);
	s->conn = NULL;
	s->busy = s->waiting = false;
}

struct reach *
reach_new(struct event_base *base, struct evdns_base *dns, int nslots)
{
	struct reach *r = calloc(1, sizeof(*r) +
	    (size_t)nslots * sizeof(r->slots[0]));

	if (r == NULL)
		return NULL;
	r->base = base;
	r->dns = dns;
	r->nslots = nslots;
	return r;
}

static struct reach_slot *
reach_slot_new(struct reach *r)
{
	struct reach_slot *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->reap = event_new(r->base, -1, 0, reach_on_reap,
	    s)) == NULL) {
		free(s);
		return NULL;
	}
	s->r = r;
	return s;
}

void
reach_free(struct reach *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < r->nslots && r->slots[i] != NULL; i++) {
		reach_drop(r->slots[i]);
		loop_event_free(&r->slots[i]->reap);
		free(r->slots[i]);
	}
	free(r);
}

/* {"result": "open", ...} from the server, or an error. */
static void
reach_read(struct evhttp_request *req, struct reach_result *res)
{
	struct evbuffer *in = req ? evhttp_request_get_input_buffer(req) : NULL;
	int code = req ? evhttp_request_get_response_code(req) : 0;
	size_t n = in ? evbuffer_get_length(in) : 0;

	if (req == NULL || code == 0) {
		snprintf(res->result, sizeof(res->result), "error");
		snprintf(res->detail, sizeof(res->detail), "no answer from the "
		    "check server");
		return;
	}
	reach_parse(code, n > REACH_MAX_BODY ? NULL :
	    (const char *)evbuffer_pullup(in, (ssize_t)n), n, res);
}

static void reach_answered(struct reach_slot *s);

static void
reach_on_done(struct evhttp_request *req, void *arg)
{
	struct reach_slot *s = arg;

	reach_read(req, &s->res);
	event_active(s->reap, 0, 0);
	reach_answered(s);
}

static bool
reach_is(const struct reach_result *res, const char *service, int family)
{
	return res->service[0] && res->family == family &&
	    !strcmp(res->service, service);
}

/* The service's slot for family, made if new; NULL when all are taken. */
static struct reach_slot *
reach_slot_of(struct reach *r, const char *service, int family)
{
	int i;

	for (i = 0; i < r->nslots && r->slots[i] != NULL; i++)
		if (reach_is(&r->slots[i]->res, service, family))
			return r->slots[i];
	if (i == r->nslots)
		return NULL;
	return r->slots[i] = reach_slot_new(r);
}

/* The answer without a request: what went wrong, from the loop. */
static void
reach_fail(struct reach_slot *s, bool lookup)
{
	char detail[sizeof(s->res.detail)];

	snprintf(detail, sizeof(detail), "cannot %s %.64s", lookup ? "look up" :
	    "ask", s->host);
	memcpy(s->res.detail, detail, sizeof(detail));
	snprintf(s->res.result, sizeof(s->res.result), "error");
	reach_answered(s);
}

/* GET the target from the server at address (a literal). */
static int
reach_request(struct reach_slot *s, const char *address)
{
	struct evhttp_request *req;
	char a[ADDR_STRLEN];

	s->conn = evhttp_connection_base_new(s->r->base, NULL, address,
	    s->http_port);
	if (s->conn == NULL || (req = evhttp_request_new(reach_on_done, s)) == NULL)
		return -1;
	evhttp_connection_set_family(s->conn, s->res.family);
	if (s->source.family != 0)
		evhttp_connection_set_local_address(s->conn, addr_ntop(&s->source,
		    a, sizeof(a)));
	evhttp_connection_set_timeout(s->conn, REACH_TIMEOUT_S);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    s->host);
	if (evhttp_make_request(s->conn, req, EVHTTP_REQ_GET, s->target) < 0)
		return -1;
	s->busy = true;
	return 0;
}

static void
reach_resolved(int err, const struct netaddr *a, void *arg)
{
	struct reach_slot *s = arg;
	char text[ADDR_STRLEN];

	s->lookup = NULL;
	if (err != 0)
		reach_fail(s, true);
	else if (reach_request(s, addr_ntop(a, text, sizeof(text))) < 0)
		reach_fail(s, false);
}

/* The server's address in the slot's family: at once for a literal. */
static int
reach_lookup(struct reach_slot *s)
{
	char bare[256], why[REASON_LEN];
	struct netaddr a;
	uint16_t none;

	if (resolve_split(s->host, 0, bare, sizeof(bare), &none, why,
	    sizeof(why)) < 0)
		return -1;
	if (addr_parse(bare, &a) == 0)
		return a.family == s->res.family ? reach_request(s, bare) :
		    REACH_OTHER_FAMILY;
	s->busy = true;
	s->lookup = loop_lookup_start(s->r->dns, bare, s->res.family,
	    SOCK_STREAM, reach_resolved, s);
	return 0;
}

/* The slot's request from url: host, port, target. */
static int
reach_prepare(struct reach_slot *s, const char *url)
{
	struct evhttp_uri *u = evhttp_uri_parse(url);
	const char *host = u ? evhttp_uri_get_host(u) : NULL;
	const char *path = u ? evhttp_uri_get_path(u) : NULL;
	int port = u ? evhttp_uri_get_port(u) : -1;
	bool ok = host != NULL && strlen(host) < sizeof(s->host) &&
	    !strcmp(evhttp_uri_get_scheme(u) ? evhttp_uri_get_scheme(u) : "",
	    "http");

	ok = ok && strlen(url) < sizeof(s->url);
	if (ok) {
		snprintf(s->url, sizeof(s->url), "%s", url);
		snprintf(s->host, sizeof(s->host), "%s", host);
		s->http_port = (uint16_t)(port > 0 ? port : 80);
		snprintf(s->target, sizeof(s->target), "%s?port=%u&proto=%s",
		    path && *path ? path : "/check", s->res.port,
		    proto_name(s->res.proto));
	}
	evhttp_uri_free(u);
	return ok ? 0 : -1;
}

/* A check server takes one check at a time from an address: one at a
 * time of each family, the others wait their turn. */
static bool
reach_family_busy(const struct reach *r, int family)
{
	for (int i = 0; i < r->nslots && r->slots[i] != NULL; i++)
		if (r->slots[i]->busy && r->slots[i]->res.family == family)
			return true;
	return false;
}

static void
reach_next(struct reach *r, int family)
{
	for (int i = 0; i < r->nslots && r->slots[i] != NULL; i++) {
		struct reach_slot *s = r->slots[i];
		if (!s->waiting || s->res.family != family)
			continue;
		s->waiting = false;
		if (reach_lookup(s) < 0)
			reach_fail(s, false);	/* and the next one */
		return;
	}
}

static void
reach_answered(struct reach_slot *s)
{
	s->res.at = (int64_t)time(NULL);
	s->busy = false;
	s->cb(&s->res, s->arg);
	if (!reach_family_busy(s->r, s->res.family))
		reach_next(s->r, s->res.family);
}

/* Is the same question under way or waiting in s? */
static bool
reach_same(const struct reach_slot *s, const char *url,
    const struct netaddr *source, uint16_t port, int proto)
{
	struct netaddr none = { 0 };

	return (s->busy || s->waiting) && s->res.port == port &&
	    s->res.proto == proto && !strcmp(s->url, url) &&
	    addr_equal(&s->source, source ? source : &none);
}

int
reach_check(struct reach *r, const char *url, const char *service,
    const struct netaddr *source, uint16_t port, int proto, reach_cb *cb,
    void *arg)
{
	int family = source ? source->family : AF_INET, rc;
	struct reach_slot *s = reach_slot_of(r, service, family);

	if (s == NULL)
		return -1;
	if (reach_same(s, url, source, port, proto))
		return 0;	/* its answer is on the way: a second
				 * would find the server busy with it */
	reach_drop(s);
	snprintf(s->res.service, sizeof(s->res.service), "%s", service);
	s->res.family = family;
	s->res.port = port;
	s->res.proto = proto;
	s->source = source ? *source : (struct netaddr){ 0 };
	s->cb = cb;
	s->arg = arg;
	if (reach_prepare(s, url) < 0) {
		rc = -1;
	} else if (reach_family_busy(r, family)) {
		s->waiting = true;
		return 0;
	} else if ((rc = reach_lookup(s)) == 0) {
		return 0;
	}
	reach_drop(s);
	if (!reach_family_busy(r, family))
		reach_next(r, family);	/* those waiting go on */
	return rc;
}

const struct reach_result *
reach_last(const struct reach *r, const char *service, int family)
{
	for (int i = 0; i < r->nslots && r->slots[i] != NULL; i++)
		if (reach_is(&r->slots[i]->res, service, family) &&
		    r->slots[i]->res.at != 0)
			return &r->slots[i]->res;
	return NULL;
}
