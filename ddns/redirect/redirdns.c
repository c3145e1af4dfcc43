/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect server's DNS: one UDP socket connected to the authoritative
 * server, a query per name in flight however many visitors wait for it,
 * and a cache that keeps each answer for its TTL (a name that does not
 * exist for the SOA minimum, at most REDIRDNS_NEG_MAX). A lookup walks
 * SRV _http._tcp.NAME, then the target's A, then its AAAA, unless an
 * answer carried the address already.
 */
#include "ddns/redirect/redirdns.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/loop.h"
#include "lib/resolve.h"
#include "lib/wire.h"

#define REDIRDNS_BUCKETS	4096
#define REDIRDNS_MAX_ENTRIES	65536
#define REDIRDNS_MAX_WAITERS	512
#define REDIRDNS_NEG_MAX	30	/* seconds */
#define REDIRDNS_FAIL_TTL	5	/* a failed lookup is tried again after */
#define REDIRDNS_WAIT_MS	400	/* doubling, three tries */
#define REDIRDNS_TRIES		3

enum redirdns_stage { STAGE_SRV, STAGE_A, STAGE_AAAA, STAGE_DONE };

struct redirdns_waiter {
	redirdns_cb *cb;
	void *arg;
	struct redirdns_waiter *next;
};

struct redirdns_entry {
	char name[256];
	struct redirdns_entry *next;		/* in its bucket */
	struct redirdns_entry *qnext;		/* in flight: d->inflight */
	struct redirdns *d;
	enum redirdns_stage stage;
	struct redirdns_result result;
	char target[256];
	time_t expires;
	uint32_t ttl;
	uint16_t id;
	int tries;
	struct event *timer;			/* while a query is out */
	struct redirdns_waiter *waiters;
	int nwaiters;
};

/* One question asked for someone else (redirdns_ask): not cached. */
struct redirdns_question {
	char qname[300];
	int type, tries;
	uint16_t id;
	struct event *timer;
	struct redirdns *d;
	redirdns_ask_cb *cb;
	void *arg;
	struct redirdns_question *next;
};

struct redirdns {
	struct event_base *base;
	struct loop_sock s;
	struct redirdns_entry *buckets[REDIRDNS_BUCKETS];
	struct redirdns_entry *inflight;	/* a query out: answers match here */
	struct redirdns_question *asked;	/* and here */
	int nasked;
	int nentries;
	struct redirdns_stats stats;
};

static uint32_t
redirdns_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h % REDIRDNS_BUCKETS;
}

static struct redirdns_entry *
redirdns_find(struct redirdns *d, const char *name)
{
	struct redirdns_entry *e = d->buckets[redirdns_hash(name)];

	while (e != NULL && strcmp(e->name, name) != 0)
		e = e->next;
	return e;
}

static void
redirdns_landed(struct redirdns_entry *e)
{
	struct redirdns_entry **p = &e->d->inflight;

	while (*p != NULL && *p != e)
		p = &(*p)->qnext;
	if (*p == e)
		*p = e->qnext;
	e->qnext = NULL;
}

static void
redirdns_unlink(struct redirdns *d, struct redirdns_entry *e)
{
	struct redirdns_entry **p = &d->buckets[redirdns_hash(e->name)];

	while (*p != e)
		p = &(*p)->next;
	*p = e->next;
	d->nentries--;
	redirdns_landed(e);
	if (e->timer)
		event_free(e->timer);
	free(e);
}

/* Full: drop every finished entry that has expired, or all finished. */
static void
redirdns_sweep(struct redirdns *d, bool all)
{
	time_t now = time(NULL);

	for (int i = 0; i < REDIRDNS_BUCKETS; i++)
		for (struct redirdns_entry *e = d->buckets[i], *n; e; e = n) {
			n = e->next;
			if (e->stage == STAGE_DONE && (all || e->expires <= now))
				redirdns_unlink(d, e);
		}
}

static void
redirdns_finish(struct redirdns_entry *e, enum redirdns_status st, uint32_t ttl)
{
	struct redirdns_waiter *w = e->waiters;
	struct redirdns_result r;

	redirdns_landed(e);
	e->stage = STAGE_DONE;
	e->result.status = st;
	e->expires = time(NULL) + (time_t)ttl;
	e->waiters = NULL;
	e->nwaiters = 0;
	evtimer_del(e->timer);
	r = e->result;		/* a callback may forget e */
	while (w != NULL) {
		struct redirdns_waiter *next = w->next;
		w->cb(&r, w->arg);
		free(w);
		w = next;
	}
}

/* Send try number tries of (qname, type) under a fresh *id, and arm
 * timer for its answer. -1 if qname is no DNS name. */
static int
redirdns_transmit(struct redirdns *d, const char *qname, int type, int tries,
    uint16_t *id, struct event *timer)
{
	uint8_t wire[512];
	int len, wait_ms = REDIRDNS_WAIT_MS << tries;

	if (getrandom(id, sizeof(*id), 0) != sizeof(*id) ||
	    (len = redirdns_query(qname, type, *id, wire, sizeof(wire))) < 0)
		return -1;
	d->stats.queries++;
	if (send(d->s.fd, wire, (size_t)len, 0) < 0 && errno != EAGAIN)
		wait_ms = 1;	/* counts as lost */
	loop_after(timer, wait_ms);
	return 0;
}

static void
redirdns_send(struct redirdns_entry *e)
{
	static const int types[] = { REDIRDNS_SRV, REDIRDNS_A, REDIRDNS_AAAA };
	char qname[300];

	if (e->stage == STAGE_SRV)
		snprintf(qname, sizeof(qname), "_http._tcp.%s.", e->name);
	else
		snprintf(qname, sizeof(qname), "%s.", e->target);
	if (redirdns_transmit(e->d, qname, types[e->stage], e->tries, &e->id,
	    e->timer) < 0)
		redirdns_finish(e, REDIRDNS_FAILED, REDIRDNS_FAIL_TTL);
}

/* The question leaves the list, then its asker hears a (NULL: no answer). */
static void
redirdns_answered(struct redirdns_question *q, const struct redirdns_answer *a)
{
	struct redirdns_question **p = &q->d->asked;

	while (*p != q)
		p = &(*p)->next;
	*p = q->next;
	q->d->nasked--;
	event_free(q->timer);
	q->cb(a, q->arg);
	free(q);
}

static void
redirdns_on_ask_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct redirdns_question *q = arg;

	(void)fd, (void)what;
	if (++q->tries >= REDIRDNS_TRIES || redirdns_transmit(q->d, q->qname,
	    q->type, q->tries, &q->id, q->timer) < 0)
		redirdns_answered(q, NULL);
}

static void
redirdns_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct redirdns_entry *e = arg;

	(void)fd, (void)what;
	if (++e->tries >= REDIRDNS_TRIES)
		redirdns_finish(e, REDIRDNS_FAILED, REDIRDNS_FAIL_TTL);
	else
		redirdns_send(e);
}

static uint32_t
redirdns_negative(uint32_t ttl)
{
	return ttl == 0 || ttl > REDIRDNS_NEG_MAX ? REDIRDNS_NEG_MAX : ttl;
}

/* Move to the next stage, or finish, on the answer a. */
static void
redirdns_step(struct redirdns_entry *e, const struct redirdns_answer *a)
{
	if (a->rcode != 0 && a->rcode != 3) {
		redirdns_finish(e, REDIRDNS_FAILED, REDIRDNS_FAIL_TTL);
		return;
	}
	if (e->stage == STAGE_SRV) {
		if (!a->srv || a->port == 0) {
			redirdns_finish(e, REDIRDNS_UNKNOWN, redirdns_negative(a->ttl));
			return;
		}
		e->result.port = a->port;
		snprintf(e->target, sizeof(e->target), "%s", a->target);
	}
	if (a->ttl && (e->ttl == 0 || a->ttl < e->ttl))
		e->ttl = a->ttl;
	if (a->addr.family != 0) {
		e->result.addr = a->addr;
		redirdns_finish(e, REDIRDNS_FOUND, e->ttl);
	} else if (e->stage == STAGE_AAAA) {
		redirdns_finish(e, REDIRDNS_UNKNOWN, redirdns_negative(a->ttl));
	} else {
		e->stage++;
		e->tries = 0;
		redirdns_send(e);
	}
}

static struct redirdns_entry *
redirdns_by_id(struct redirdns *d, uint16_t id)
{
	struct redirdns_entry *e = d->inflight;

	while (e != NULL && e->id != id)
		e = e->qnext;
	return e;
}

static void
redirdns_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct redirdns *d = arg;
	uint8_t buf[4096];
	ssize_t n;

	(void)what;
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 12) {
		uint16_t id = wire_get16(buf);
		struct redirdns_entry *e = redirdns_by_id(d, id);
		struct redirdns_question *q = d->asked;
		struct redirdns_answer a;
		while (e == NULL && q != NULL && q->id != id)
			q = q->next;
		if ((e == NULL && q == NULL) ||
		    redirdns_parse(buf, (size_t)n, id, &a) < 0)
			continue;
		if (e != NULL) {
			evtimer_del(e->timer);
			redirdns_step(e, &a);
		} else
			redirdns_answered(q, &a);
	}
}

static int
redirdns_connect(const char *server, char *why, size_t len)
{
	char host[256], port[8];
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
	    .ai_flags = AI_NUMERICHOST }, *ai = NULL;
	uint16_t p;
	int fd = -1;

	if (resolve_split(server, 53, host, sizeof(host), &p, why, len) < 0)
		return -1;
	snprintf(port, sizeof(port), "%u", p);
	if (getaddrinfo(host, port, &hints, &ai) != 0) {
		snprintf(why, len, "dns_server: \"%s\" is not an address", host);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		snprintf(why, len, "dns_server %s: %s", server, strerror(errno));
	freeaddrinfo(ai);
	return fd;
}

struct redirdns *
redirdns_new(struct event_base *base, const char *server, char *why,
    size_t len)
{
	static const struct loop_sock_cbs cbs = { .io = redirdns_on_read };
	struct redirdns *d = calloc(1, sizeof(*d));
	int fd = -1;

	if (d == NULL || (fd = redirdns_connect(server, why, len)) < 0 ||
	    loop_sock_open(&d->s, base, fd, true, &cbs, d) < 0) {
		if (d == NULL || fd >= 0)
			snprintf(why, len, "out of memory");
		free(d);
		return NULL;
	}
	d->base = base;
	return d;
}

void
redirdns_free(struct redirdns *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < REDIRDNS_BUCKETS; i++)
		while (d->buckets[i] != NULL) {
			struct redirdns_entry *e = d->buckets[i];
			for (struct redirdns_waiter *w = e->waiters, *n; w; w = n) {
				n = w->next;
				free(w);
			}
			redirdns_unlink(d, e);
		}
	while (d->asked != NULL) {
		struct redirdns_question *q = d->asked;
		d->asked = q->next;
		event_free(q->timer);
		free(q);
	}
	loop_sock_close(&d->s);
	free(d);
}

static struct redirdns_entry *
redirdns_start(struct redirdns *d, const char *name)
{
	struct redirdns_entry *e;
	uint32_t h = redirdns_hash(name);

	if (d->nentries >= REDIRDNS_MAX_ENTRIES)
		redirdns_sweep(d, false);
	if (d->nentries >= REDIRDNS_MAX_ENTRIES)
		redirdns_sweep(d, true);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->d = d;
	if ((e->timer = evtimer_new(d->base, redirdns_on_timeout, e)) == NULL) {
		free(e);
		return NULL;
	}
	e->next = d->buckets[h];
	d->buckets[h] = e;
	d->nentries++;
	return e;
}

int
redirdns_lookup(struct redirdns *d, const char *name, redirdns_cb *cb,
    void *arg)
{
	struct redirdns_entry *e = redirdns_find(d, name);
	struct redirdns_waiter *w;

	if (e != NULL && e->stage == STAGE_DONE && e->expires > time(NULL)) {
		cb(&e->result, arg);
		return 1;
	}
	if (e != NULL && e->stage == STAGE_DONE)
		redirdns_unlink(d, e), e = NULL;
	if (e == NULL && (e = redirdns_start(d, name)) == NULL)
		return -1;
	if (e->nwaiters >= REDIRDNS_MAX_WAITERS ||
	    (w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	*w = (struct redirdns_waiter){ cb, arg, e->waiters };
	e->waiters = w;
	if (e->nwaiters++ == 0) {
		e->qnext = d->inflight;
		d->inflight = e;
		redirdns_send(e);
	}
	return 0;
}

int
redirdns_ask(struct redirdns *d, const char *qname, int type,
    redirdns_ask_cb *cb, void *arg)
{
	struct redirdns_question *q;

	if (d->nasked >= REDIRDNS_MAX_WAITERS || (q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	*q = (struct redirdns_question){ .type = type, .d = d, .cb = cb,
	    .arg = arg, .next = d->asked };
	snprintf(q->qname, sizeof(q->qname), "%s", qname);
	if ((q->timer = evtimer_new(d->base, redirdns_on_ask_timeout, q)) == NULL ||
	    redirdns_transmit(d, q->qname, type, 0, &q->id, q->timer) < 0) {
		if (q->timer != NULL)
			event_free(q->timer);
		free(q);
		return -1;
	}
	d->asked = q;
	d->nasked++;
	return 0;
}

void
redirdns_ask_cancel(struct redirdns *d, const void *arg)
{
	for (struct redirdns_question **p = &d->asked; *p != NULL; ) {
		struct redirdns_question *q = *p;
		if (q->arg != arg) {
			p = &q->next;
			continue;
		}
		*p = q->next;
		d->nasked--;
		event_free(q->timer);
		free(q);
	}
}

bool
redirdns_peek(struct redirdns *d, const char *name, struct redirdns_result *r)
{
	struct redirdns_entry *e = redirdns_find(d, name);

	d->stats.lookups++;
	if (e == NULL || e->stage != STAGE_DONE || e->expires <= time(NULL))
		return false;
	d->stats.hits++;
	*r = e->result;
	return true;
}

void
redirdns_stats(const struct redirdns *d, struct redirdns_stats *st)
{
	*st = d->stats;
}

void
redirdns_forget(struct redirdns *d, const char *name)
{
	struct redirdns_entry *e = redirdns_find(d, name);

	if (e != NULL && e->stage == STAGE_DONE)
		redirdns_unlink(d, e);
}
