/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/thread.h>

#include "lib/log.h"
#include "lib/loop.h"

struct event_base *
loop_base_new(void)
{
	struct event_base *base;

	evthread_use_pthreads();
	if ((base = event_base_new()) == NULL)
		log_warnx("cannot make the event loop");
	return base;
}

struct evdns_base *
loop_dns_new(struct event_base *base)
{
	struct evdns_base *dns = evdns_base_new(base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS | EVDNS_BASE_DISABLE_WHEN_INACTIVE);

	if (dns == NULL)
		log_warnx("cannot make a resolver from /etc/resolv.conf");
	return dns;
}

int
loop_sock_open(struct loop_sock *s, struct event_base *base, int fd,
    bool own_fd, const struct loop_sock_cbs *cbs, void *arg)
{
	*s = (struct loop_sock){ .fd = fd, .own_fd = own_fd };
	s->io = event_new(base, fd, (cbs->what ? cbs->what : EV_READ) |
	    EV_PERSIST, cbs->io, arg);
	if (cbs->timer != NULL)
		s->timer = evtimer_new(base, cbs->timer, arg);
	if (cbs->deadline != NULL)
		s->deadline = evtimer_new(base, cbs->deadline, arg);
	if (s->io == NULL || (cbs->timer != NULL && s->timer == NULL) ||
	    (cbs->deadline != NULL && s->deadline == NULL) ||
	    event_add(s->io, NULL) < 0) {
		loop_sock_close(s);
		return -ENOMEM;
	}
	return 0;
}

void
loop_event_free(struct event **ev)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
}

void
loop_sock_close(struct loop_sock *s)
{
	loop_event_free(&s->io);
	loop_event_free(&s->timer);
	loop_event_free(&s->deadline);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	*s = (struct loop_sock){ .fd = -1 };
}

void
loop_after(struct event *ev, int64_t ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = ms % 1000 * 1000;
	evtimer_add(ev, &tv);
}

int
loop_signals(struct event_base *base, const int *sigs, int n,
    event_callback_fn cb, void *arg, struct event **evs)
{
	for (int i = 0; i < n; i++)
		if ((evs[i] = evsignal_new(base, sigs[i], cb, arg)) == NULL ||
		    evsignal_add(evs[i], NULL) < 0) {
			loop_signals_free(evs, i + 1);
			return -1;
		}
	return 0;
}

void
loop_signals_free(struct event **evs, int n)
{
	for (int i = 0; i < n; i++)
		loop_event_free(&evs[i]);
}

void
loop_dns_free(struct event_base *base, struct evdns_base *dns)
{
	if (dns == NULL)
		return;
	event_base_loop(base, EVLOOP_NONBLOCK);
	evdns_base_free(dns, 0);
}

struct loop_lookup {
	struct evdns_getaddrinfo_request *req;
	loop_lookup_cb *cb;		/* NULL once cancelled */
	void *arg;
	bool starting, answered;	/* answered while starting */
};

static void
loop_looked_up(int err, struct evutil_addrinfo *ai, void *arg)
{
	struct loop_lookup *l = arg;
	struct netaddr a = { 0 };
	loop_lookup_cb *cb = l->cb;
	void *cbarg = l->arg;

	if (ai != NULL) {
		addr_from_sockaddr(ai->ai_addr, &a, NULL);
		evutil_freeaddrinfo(ai);
	}
	if (l->starting)
		l->answered = true;	/* loop_lookup_start frees it */
	else
		free(l);
	if (cb != NULL && err != EVUTIL_EAI_CANCEL)
		cb(err, &a, cbarg);
}

struct loop_lookup *
loop_lookup_start(struct evdns_base *dns, const char *host, int family,
    int socktype, loop_lookup_cb *cb, void *arg)
{
	struct evutil_addrinfo hints = { .ai_family = family,
	    .ai_socktype = socktype };
	struct loop_lookup *l = calloc(1, sizeof(*l));
	struct evdns_getaddrinfo_request *req;

	if (l == NULL) {
		cb(EVUTIL_EAI_MEMORY, &(struct netaddr){ 0 }, arg);
		return NULL;
	}
	*l = (struct loop_lookup){ .cb = cb, .arg = arg, .starting = true };
	req = evdns_getaddrinfo(dns, host, NULL, &hints, loop_looked_up, l);
	if (l->answered || req == NULL) {
		bool answered = l->answered;
		free(l);
		if (!answered)
			cb(EVUTIL_EAI_FAIL, &(struct netaddr){ 0 }, arg);
		return NULL;
	}
	l->starting = false;
	l->req = req;
	return l;
}

void
loop_lookup_cancel(struct loop_lookup *l)
{
	if (l == NULL)
		return;
	l->cb = NULL;
	evdns_getaddrinfo_cancel(l->req);
}
