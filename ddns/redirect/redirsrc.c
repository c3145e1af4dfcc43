/*
 * Per-source bookkeeping. Each front counts a connection at accept and
 * uncounts it when it closes. Entries with nothing to remember are swept
 * once a minute.
 */
#include "ddns/redirect/redirsrc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lib/loop.h"

#define REDIRSRC_BUCKETS	4096
#define REDIRSRC_FORGET		600	/* seconds a failed login is held */
#define REDIRSRC_MAX_DELAY	30

struct redirsrc_table {
	struct redirsrc *src[REDIRSRC_BUCKETS];
	struct event *sweep;
};

static uint32_t
redirsrc_hash(const struct netaddr *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < (a->family == AF_INET ? 4 : 16); i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h % REDIRSRC_BUCKETS;
}

static bool
redirsrc_idle(const struct redirsrc *s, time_t now)
{
	return s->conns == 0 && !s->checking && !s->login && now - s->check_window >= 60 &&
	    (s->fails == 0 || now - s->fail_at >= REDIRSRC_FORGET);
}

static void
redirsrc_on_sweep(evutil_socket_t fd, short what, void *arg)
{
	struct redirsrc_table *t = arg;
	time_t now = time(NULL);

	(void)fd, (void)what;
	for (int i = 0; i < REDIRSRC_BUCKETS; i++)
		for (struct redirsrc **p = &t->src[i]; *p; ) {
			struct redirsrc *s = *p;
			if (redirsrc_idle(s, now)) {
				*p = s->next;
				free(s);
			} else
				p = &s->next;
		}
}

struct redirsrc_table *
redirsrc_table_new(struct event_base *base)
{
	struct redirsrc_table *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->sweep = event_new(base, -1, EV_PERSIST,
	    redirsrc_on_sweep, t)) == NULL) {
		free(t);
		return NULL;
	}
	loop_after(t->sweep, 60 * 1000);
	return t;
}

void
redirsrc_table_free(struct redirsrc_table *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < REDIRSRC_BUCKETS; i++)
		for (struct redirsrc *s = t->src[i], *n; s; s = n) {
			n = s->next;
			free(s);
		}
	event_free(t->sweep);
	free(t);
}

struct redirsrc *
redirsrc_get(struct redirsrc_table *t, const struct netaddr *a)
{
	uint32_t h = redirsrc_hash(a);
	struct redirsrc *s;

	for (s = t->src[h]; s != NULL; s = s->next)
		if (addr_equal(&s->addr, a))
			return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->addr = *a;
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
