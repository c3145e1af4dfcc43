/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP echo over libcurl's multi-socket API, driven by our event loop (the
 * shape of curl's hiperfifo example). The body is capped at ECHO_MAX_BODY:
 * a server that sends more is cut off, not buffered. Redirects are not
 * followed; HTTPS certificates are verified (curl's default).
 */
#include "probes/echo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "lib/loop.h"

struct echo_sock {
	struct event *ev;
};

struct echoprobe {
	struct event_base *base;
	CURLM *multi;
	CURL *easy;
	struct event *timer;
	char body[ECHO_MAX_BODY];
	size_t len;
	bool overflow, finished;
	char curl_error[CURL_ERROR_SIZE];
	char source[ADDR_STRLEN + 8];	/* CURLOPT_INTERFACE: "host!ADDR" */
	int family;
	struct echo_result res;
	echo_result_cb *cb;
	void *arg;
};

static size_t
echo_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct echoprobe *p = arg;
	size_t n = size * nmemb;

	if (n > sizeof(p->body) - p->len) {
		p->overflow = true;
		return 0;	/* makes curl abort the transfer */
	}
	memcpy(p->body + p->len, data, n);
	p->len += n;
	return n;
}

static void
echo_judge(struct echoprobe *p, CURLcode rc)
{
	struct echo_result *r = &p->res;
	long status = 0;

	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
	if (p->overflow)
		snprintf(r->error, sizeof(r->error), "body longer than %d "
		    "bytes: not an address", ECHO_MAX_BODY);
	else if (rc == CURLE_COULDNT_RESOLVE_HOST && p->family == AF_INET6) {
		r->no_address = true;
		snprintf(r->error, sizeof(r->error), "no IPv6 address");
	} else if (rc != CURLE_OK)
		snprintf(r->error, sizeof(r->error), "%s", p->curl_error[0] ?
		    p->curl_error : curl_easy_strerror(rc));
	else if (status != 200)
		snprintf(r->error, sizeof(r->error), "HTTP status %ld", status);
	else
		r->ok = echo_parse_body(p->body, p->len, &r->address,
		    r->error, sizeof(r->error)) == 0;
}

static void
echo_check_done(struct echoprobe *p)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(p->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE || p->finished)
			continue;
		p->finished = true;
		echo_judge(p, m->data.result);
		p->cb(&p->res, p->arg);
		return;
	}
}

static void
echo_on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct echoprobe *p = arg;
	int flags = (what & EV_READ ? CURL_CSELECT_IN : 0) |
	    (what & EV_WRITE ? CURL_CSELECT_OUT : 0), running;

	curl_multi_socket_action(p->multi, fd, flags, &running);
	echo_check_done(p);
}

static void
echo_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct echoprobe *p = arg;
	int running;

	(void)fd, (void)what;
	curl_multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	echo_check_done(p);
}

static int
echo_socket_cb(CURL *e, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct echoprobe *p = arg;
	struct echo_sock *es = sockp;
	short kind = (what & CURL_POLL_IN ? EV_READ : 0) |
	    (what & CURL_POLL_OUT ? EV_WRITE : 0);

	(void)e;
	if (es != NULL) {
		event_free(es->ev);
		if (what == CURL_POLL_REMOVE) {
			free(es);
			curl_multi_assign(p->multi, s, NULL);
			return 0;
		}
	} else if ((es = calloc(1, sizeof(*es))) == NULL) {
		return -1;
	}
	es->ev = event_new(p->base, s, kind | EV_PERSIST, echo_on_socket, p);
	if (es->ev == NULL) {		/* curl fails the transfer */
		free(es);
		curl_multi_assign(p->multi, s, NULL);
		return -1;
	}
	event_add(es->ev, NULL);
	curl_multi_assign(p->multi, s, es);
	return 0;
}

static int
echo_timer_cb(CURLM *m, long ms, void *arg)
{
	struct echoprobe *p = arg;

	(void)m;
	if (ms < 0)
		evtimer_del(p->timer);
	else
		loop_after(p->timer, ms);
	return 0;
}

static void
echo_setup(struct echoprobe *p, const char *url, const struct netaddr *source,
    int timeout_ms)
{
	CURL *e = p->easy;
	char a[ADDR_STRLEN];

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(e, CURLOPT_IPRESOLVE, p->family == AF_INET6 ?
	    CURL_IPRESOLVE_V6 : CURL_IPRESOLVE_V4);
	if (source != NULL) {
		snprintf(p->source, sizeof(p->source), "host!%s",
		    addr_ntop(source, a, sizeof(a)));
		curl_easy_setopt(e, CURLOPT_INTERFACE, p->source);
	}
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "homereach/" HOMEREACH_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, echo_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->curl_error);
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, echo_socket_cb);
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETDATA, p);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, echo_timer_cb);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERDATA, p);
}

struct echoprobe *
echoprobe_start(struct event_base *base, const char *url,
    const struct netaddr *source, int timeout_ms, echo_result_cb *cb, void *arg)
{
	struct echoprobe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base = base;
	p->family = source ? source->family : AF_INET;
	p->cb = cb;
	p->arg = arg;
	p->res.url = url;
	p->multi = curl_multi_init();
	p->easy = curl_easy_init();
	p->timer = evtimer_new(base, echo_on_timer, p);
	if (p->multi == NULL || p->easy == NULL || p->timer == NULL) {
		echoprobe_free(p);
		return NULL;
	}
	echo_setup(p, url, source, timeout_ms);
	curl_multi_add_handle(p->multi, p->easy);
	return p;
}

void
echoprobe_free(struct echoprobe *p)
{
	if (p == NULL)
		return;
	if (p->multi && p->easy)
		curl_multi_remove_handle(p->multi, p->easy);
	if (p->easy)
		curl_easy_cleanup(p->easy);
	if (p->multi)
		curl_multi_cleanup(p->multi);
	if (p->timer)
		event_free(p->timer);
	free(p);
}

bool
echoprobe_available(void)
{
	return true;
}
