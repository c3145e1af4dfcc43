/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-source bookkeeping. Each front counts a connection at accept and
 * uncounts it when it closes. Entries with nothing to remember are swept
 * once a minute.
 * An IPv6 source is its /64: every subscriber line has one (RFC 6177),
 * and the audit held 1100 connections from 1100 addresses of one /64.
 * The table is capped: 300 000 sources grew it by 26 MB.
 */
#include "ddns/redirect/redirsrc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lib/loop.h"

#define REDIRSRC_FORGET		600	/* seconds a failed login is held */
#define REDIRSRC_MAX_DELAY	30
#define REDIRSRC_MAX		16384	/* sources remembered at once */

struct redirsrc_table {
	int nbuckets;
	struct redirsrc **src;
	struct event *sweep;
	int n;
	time_t swept;
};

static uint32_t
redirsrc_hash(const struct netaddr *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < (a->family == AF_INET ? 4 : 16); i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h;
}

static bool
redirsrc_idle(const struct redirsrc *s, time_t now)
{
	return s->conns == 0 && !s->checking && !s->login && now - s->check_window >= 60 &&
	    (s->fails == 0 || now - s->fail_at >= REDIRSRC_FORGET);
}

static void
redirsrc_sweep(struct redirsrc_table *t)
{
	time_t now = time(NULL);

	t->swept = now;
	for (int i = 0; i < t->nbuckets; i++)
		for (struct redirsrc **p = &t->src[i]; *p; ) {
			struct redirsrc *s = *p;
			if (redirsrc_idle(s, now)) {
				*p = s->next;
				free(s);
				t->n--;
			} else
				p = &s->next;
		}
}

static void
redirsrc_on_sweep(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	redirsrc_sweep(arg);
}

struct redirsrc_table *
redirsrc_table_new(struct event_base *base, int nbuckets)
{
	struct redirsrc_table *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->src = calloc((size_t)nbuckets,
	    sizeof(*t->src))) == NULL || (t->sweep = event_new(base, -1,
	    EV_PERSIST, redirsrc_on_sweep, t)) == NULL) {
		if (t != NULL)
			free(t->src);
		free(t);
		return NULL;
	}
	t->nbuckets = nbuckets;
	loop_after(t->sweep, 60 * 1000);
	return t;
}

void
redirsrc_table_free(struct redirsrc_table *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < t->nbuckets; i++)
		for (struct redirsrc *s = t->src[i], *n; s; s = n) {
			n = s->next;
			free(s);
		}
	event_free(t->sweep);
	free(t->src);
	free(t);
}

void
redirsrc_key(const struct netaddr *a, struct netaddr *key)
{
	*key = *a;
	if (key->family == AF_INET6)
		memset(key->bytes + 8, 0, 8);
}

struct redirsrc *
redirsrc_get(struct redirsrc_table *t, const struct netaddr *a)
{
	struct netaddr key;
	uint32_t h;
	struct redirsrc *s;

	redirsrc_key(a, &key);
	h = redirsrc_hash(&key) % (uint32_t)t->nbuckets;
	for (s = t->src[h]; s != NULL; s = s->next)
		if (addr_equal(&s->addr, &key))
			return s;
	if (t->n >= REDIRSRC_MAX && time(NULL) != t->swept)
		redirsrc_sweep(t);	/* at most once a second */
	if (t->n >= REDIRSRC_MAX || (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	t->n++;
	s->addr = key;
	s->next = t->src[h];
	t->src[h] = s;
	return s;
}

int
redirsrc_login_delay(const struct redirsrc *src, time_t now)
{
	int d = 1;

	if (src->fails == 0 || now - src->fail_at >= REDIRSRC_FORGET)
		return 0;
	for (int i = 1; i < src->fails && d < REDIRSRC_MAX_DELAY; i++)
		d *= 2;
	return d < REDIRSRC_MAX_DELAY ? d : REDIRSRC_MAX_DELAY;
}

void
redirsrc_login_done(struct redirsrc *src, bool ok)
{
	src->login = false;
	if (ok) {
		src->fails = 0;
		return;
	}
	src->fails++;
	src->fail_at = time(NULL);
}
