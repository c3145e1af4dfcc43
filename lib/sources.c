/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-source bookkeeping. Each front counts a connection at accept and
 * uncounts it when it closes. Entries with nothing to remember are swept
 * once a minute.
 * An IPv6 source is its /64: every subscriber line has one (RFC 6177),
 * and the audit held 1100 connections from 1100 addresses of one /64.
 * The table is capped: 300 000 sources grew it by 26 MB.
 */
#include "lib/sources.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lib/loop.h"

#define REDIRSRC_FORGET		600	/* seconds a failed login is held */
#define REDIRSRC_MAX_DELAY	30
#define REDIRSRC_MAX		16384	/* sources remembered at once */

struct sources {
	int nbuckets;
	struct source **src;
	struct event *sweep;
	int n;
	time_t swept;
};

static uint32_t
sources_hash(const struct netaddr *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < (a->family == AF_INET ? 4 : 16); i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h;
}

static bool
sources_idle(const struct source *s, time_t now)
{
	return s->conns == 0 && !s->checking && !s->login && now - s->check_window >= 60 &&
	    (s->fails == 0 || now - s->fail_at >= REDIRSRC_FORGET);
}

static void
sources_sweep(struct sources *t)
{
	time_t now = time(NULL);

	t->swept = now;
	for (int i = 0; i < t->nbuckets; i++)
		for (struct source **p = &t->src[i]; *p; ) {
			struct source *s = *p;
			if (sources_idle(s, now)) {
				*p = s->next;
				free(s);
				t->n--;
			} else
				p = &s->next;
		}
}

static void
sources_on_sweep(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	sources_sweep(arg);
}

struct sources *
sources_new(struct event_base *base, int nbuckets)
{
	struct sources *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->src = calloc((size_t)nbuckets,
	    sizeof(*t->src))) == NULL || (t->sweep = event_new(base, -1,
	    EV_PERSIST, sources_on_sweep, t)) == NULL) {
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
sources_free(struct sources *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < t->nbuckets; i++)
		for (struct source *s = t->src[i], *n; s; s = n) {
			n = s->next;
			free(s);
		}
	event_free(t->sweep);
	free(t->src);
	free(t);
}

void
sources_key(const struct netaddr *a, struct netaddr *key)
{
	*key = *a;
	if (key->family == AF_INET6)
		memset(key->bytes + 8, 0, 8);
}

struct source *
sources_get(struct sources *t, const struct netaddr *a)
{
	struct netaddr key;
	uint32_t h;
	struct source *s;

	sources_key(a, &key);
	h = sources_hash(&key) % (uint32_t)t->nbuckets;
	for (s = t->src[h]; s != NULL; s = s->next)
		if (addr_equal(&s->addr, &key))
			return s;
	if (t->n >= REDIRSRC_MAX && time(NULL) != t->swept)
		sources_sweep(t);	/* at most once a second */
	if (t->n >= REDIRSRC_MAX || (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	t->n++;
	s->addr = key;
	s->next = t->src[h];
	t->src[h] = s;
	return s;
}

int
source_login_delay(const struct source *src, time_t now)
{
	int d = 1;

	if (src->fails == 0 || now - src->fail_at >= REDIRSRC_FORGET)
		return 0;
	for (int i = 1; i < src->fails && d < REDIRSRC_MAX_DELAY; i++)
		d *= 2;
	return d < REDIRSRC_MAX_DELAY ? d : REDIRSRC_MAX_DELAY;
}

void
source_login_done(struct source *src, bool ok)
{
	src->login = false;
	if (ok) {
		src->fails = 0;
		return;
	}
	src->fails++;
	src->fail_at = time(NULL);
}
