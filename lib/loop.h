/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event loop's one repeated shape, said once: a socket with a
 * persistent read (or write) event, up to two timers (a resend or settle timer and a
 * deadline), all made together, each allocation checked, and torn down
 * together.
 */
#ifndef HOMEREACH_LOOP_H
#define HOMEREACH_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "lib/addr.h"

/*
 * The event base of a command or the agent: made after
 * evthread_use_pthreads(), since worker threads end their jobs on it.
 * NULL, said in the log, when it cannot be made.
 */
struct event_base *loop_base_new(void);
/* A resolver on base from /etc/resolv.conf that does not keep the loop
 * running while it has nothing to do; NULL, said in the log. */
struct evdns_base *loop_dns_new(struct event_base *base);
/* Lets the loop finish cancelled lookups (loop_lookup), then frees dns.
 * Takes NULL. */
void loop_dns_free(struct event_base *base, struct evdns_base *dns);

struct loop_sock {
	int fd;			/* -1 once closed */
	bool own_fd;		/* loop_sock_close closes it */
	struct event *io;	/* EV_PERSIST and cbs->what on fd */
	struct event *timer;	/* NULL unless a callback was given */
	struct event *deadline;	/* NULL unless a callback was given */
};

struct loop_sock_cbs {
	event_callback_fn io;
	short what;			/* 0: EV_READ */
	event_callback_fn timer;	/* may be NULL */
	event_callback_fn deadline;	/* may be NULL */
};

/*
 * Makes the events for fd, each with arg, and adds the I/O event; the
 * timers are made but not armed. own_fd: s owns fd from here on, even when
 * this fails. 0, or -ENOMEM with nothing left behind (fd closed if owned).
 */
int loop_sock_open(struct loop_sock *s, struct event_base *base, int fd,
    bool own_fd, const struct loop_sock_cbs *cbs, void *arg);
/* Frees what was made, closes an owned fd. Safe to call twice. */
void loop_sock_close(struct loop_sock *s);

/*
 * A signal event for each of the n signals in sigs, added, into evs; -1
 * (nothing left behind) if one could not be made.
 */
int loop_signals(struct event_base *base, const int *sigs, int n,
    event_callback_fn cb, void *arg, struct event **evs);
void loop_signals_free(struct event **evs, int n);

/*
 * A name lookup (evdns) that its owner may drop at any time. libevent runs
 * a cancelled lookup's callback later, from the loop, when the owner may
 * be gone: after loop_lookup_cancel, cb never runs, and the lookup frees
 * itself when libevent is done with it. cb gets 0 and the first address,
 * or an EVUTIL_EAI_* error. Returns the lookup, or NULL when cb already
 * ran (an address literal, an immediate failure).
 */
struct loop_lookup;
typedef void loop_lookup_cb(int err, const struct netaddr *a, void *arg);
struct loop_lookup *loop_lookup_start(struct evdns_base *dns,
    const char *host, int family, int socktype, loop_lookup_cb *cb,
    void *arg);
/* Takes NULL. */
void loop_lookup_cancel(struct loop_lookup *l);

/* event_free that takes NULL, and leaves NULL behind. */
void loop_event_free(struct event **ev);

/*
 * Arms a timer ms from now. A timeval's microseconds must stay below one
 * second (libevent carries over only once), which a bare { 0, ms * 1000 }
 * does not do past 1000 ms: every timer here goes through this.
 */
void loop_after(struct event *ev, int64_t ms);

#endif
