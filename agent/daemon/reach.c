/*
 * The outside-in check: GET check_url?port=N&proto=P on libevent's HTTP
 * client, one slot per service. A connection is freed from the loop, never
 * inside its own request callback.
 */
#include "agent/daemon/reach.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "agent/config/config.h"
#include "lib/loop.h"

#define REACH_TIMEOUT_S	10	/* the server waits 3 s for our port */

struct reach_slot {
	struct reach *r;
	struct evhttp_connection *conn;
	struct event *reap;		/* frees conn from the loop */
	bool busy;
	reach_cb *cb;
	void *arg;
	struct reach_result res;
};

struct reach {
	struct event_base *base;
	struct evdns_base *dns;
	struct reach_slot slots[CONFIG_MAX_SERVICES];
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

struct reach *
reach_new(struct event_base *base, struct evdns_base *dns)
{
	struct reach *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->base = base;
	r->dns = dns;
	for (int i = 0; i < CONFIG_MAX_SERVICES; i++) {
		r->slots[i].r = r;
		r->slots[i].reap = event_new(base, -1, 0, reach_on_reap,
		    &r->slots[i]);
		if (r->slots[i].reap == NULL) {
			reach_free(r);
			return NULL;
		}
	}
	return r;
}

void
reach_free(struct reach *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < CONFIG_MAX_SERVICES; i++) {
		if (r->slots[i].conn)
			evhttp_connection_free(r->slots[i].conn);
		loop_event_free(&r->slots[i].reap);
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
	json_t *j = NULL;
	const char *v;

	snprintf(res->result, sizeof(res->result), "error");
	if (req == NULL || code == 0) {
		snprintf(res->detail, sizeof(res->detail), "no answer from the "
		    "check server");
		return;
	}
	if (code != 200 || n == 0 || n > 4096 ||
	    (j = json_loadb((const char *)evbuffer_pullup(in, (ssize_t)n), n, 0,
	    NULL)) == NULL || (v = json_string_value(json_object_get(j,
	    "result"))) == NULL) {
		snprintf(res->detail, sizeof(res->detail), "the check server "
		    "answered HTTP %d without a result", code);
		json_decref(j);
		return;
	}
	snprintf(res->result, sizeof(res->result), "%s", v);
	res->detail[0] = '\0';
	json_decref(j);
}

static void
reach_on_done(struct evhttp_request *req, void *arg)
{
	struct reach_slot *s = arg;

	reach_read(req, &s->res);
	s->res.at = (int64_t)time(NULL);
	s->busy = false;
	event_active(s->reap, 0, 0);
	s->cb(&s->res, s->arg);
}

static struct reach_slot *
reach_slot_of(struct reach *r, const char *service)
{
	struct reach_slot *free_slot = NULL;

	for (int i = 0; i < CONFIG_MAX_SERVICES; i++) {
		struct reach_slot *s = &r->slots[i];
		if (s->res.service[0] && !strcmp(s->res.service, service))
			return s;
		if (free_slot == NULL && s->res.service[0] == '\0')
			free_slot = s;
	}
	return free_slot;
}

static int
reach_request(struct reach_slot *s, const struct evhttp_uri *u, uint16_t port,
    int proto)
{
	const char *host = evhttp_uri_get_host(u), *path = evhttp_uri_get_path(u);
	int p = evhttp_uri_get_port(u);
	struct evhttp_request *req;
	char target[600];

	snprintf(target, sizeof(target), "%s?port=%u&proto=%s",
	    path && *path ? path : "/check", port,
	    proto == IPPROTO_TCP ? "tcp" : "udp");
	s->conn = evhttp_connection_base_new(s->r->base, s->r->dns, host,
	    (uint16_t)(p > 0 ? p : 80));
	if (s->conn == NULL || (req = evhttp_request_new(reach_on_done, s)) == NULL)
		return -1;
	evhttp_connection_set_timeout(s->conn, REACH_TIMEOUT_S);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", host);
	if (evhttp_make_request(s->conn, req, EVHTTP_REQ_GET, target) < 0)
		return -1;
	s->busy = true;
	return 0;
}

int
reach_check(struct reach *r, const char *url, const char *service,
    uint16_t port, int proto, reach_cb *cb, void *arg)
{
	struct reach_slot *s = reach_slot_of(r, service);
	struct evhttp_uri *u = evhttp_uri_parse(url);
	int rc = -1;

	if (s == NULL || u == NULL || evhttp_uri_get_host(u) == NULL ||
	    strcmp(evhttp_uri_get_scheme(u) ? evhttp_uri_get_scheme(u) : "", "http"))
		goto out;
	if (s->conn != NULL) {		/* drop the one under way */
		evhttp_connection_free(s->conn);
		s->conn = NULL;
		s->busy = false;
	}
	snprintf(s->res.service, sizeof(s->res.service), "%s", service);
	s->res.port = port;
	s->cb = cb;
	s->arg = arg;
	rc = reach_request(s, u, port, proto);
out:
	evhttp_uri_free(u);
	return rc;
}

const struct reach_result *
reach_last(const struct reach *r, const char *service)
{
	for (int i = 0; i < CONFIG_MAX_SERVICES; i++)
		if (!strcmp(r->slots[i].res.service, service) &&
		    r->slots[i].res.at != 0)
			return &r->slots[i].res;
	return NULL;
}
