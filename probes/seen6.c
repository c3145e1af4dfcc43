/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each candidate address is asked about from itself: a STUN binding (and
 * an HTTP echo, where this build has an HTTP client) that leaves with the
 * candidate as source. An observer's answer comes back only if the
 * internet routes the address to this LAN, and it names the address it
 * saw: the two together are the second witness. A rogue prefix offered by
 * another LAN host gets no answer (nobody routes it here), so it never
 * replaces an address that works.
 */
#include "probes/seen6.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/resolve.h"
#include "probes/echo.h"
#include "probes/stunprobe.h"

#define SEEN6_OBSERVERS	4	/* per candidate */

struct seen6_probe {
	struct seen6 *s;
	int cand;
	struct stunprobe *stun;
	struct echoprobe *echo;
};

struct seen6 {
	struct netif_addr6 cand[SEEN6_MAX];
	int ncand;
	int pending[SEEN6_MAX];		/* probes not yet answered */
	bool confirmed[SEEN6_MAX];
	struct seen6_probe probes[SEEN6_MAX * SEEN6_OBSERVERS];
	int nprobes;
	bool asked, done, starting;
	struct timespec t0;
	struct event *later;		/* the answer, from the loop */
	struct seen6_result result;
	seen6_cb *cb;
	void *arg;
};

static void
seen6_on_later(evutil_socket_t fd, short what, void *arg)
{
	struct seen6 *s = arg;

	(void)fd, (void)what;
	s->cb(&s->result, s->arg);
}

/* The best-ranked candidate that is confirmed, once every better one has
 * had all its answers; or none, when all have. */
static void
seen6_decide(struct seen6 *s)
{
	int i;

	if (s->done)
		return;
	for (i = 0; i < s->ncand && !s->confirmed[i]; i++)
		if (s->pending[i] > 0)
			return;		/* a better one may still answer */
	s->done = true;
	s->result.asked = s->asked;
	s->result.ncandidates = s->ncand;
	s->result.ms = (int)clock_ms_since(&s->t0);
	if (i < s->ncand) {
		s->result.address = s->cand[i].address;
		s->result.deprecated = s->cand[i].deprecated;
	}
	event_active(s->later, 0, 0);
}

static void
seen6_answer(struct seen6_probe *p, bool ok, const struct netaddr *seen,
    const char *who, const char *error)
{
	struct seen6 *s = p->s;
	char a[ADDR_STRLEN];

	s->pending[p->cand]--;
	if (ok && addr_equal(seen, &s->cand[p->cand].address))
		s->confirmed[p->cand] = true;
	else
		log_debug("%s from %s: %s", who, addr_ntop(&s->cand[p->cand].address,
		    a, sizeof(a)), ok ? "it saw another address" : error);
	if (!s->starting)
		seen6_decide(s);
}

static void
seen6_on_stun(const struct stun_result *r, void *arg)
{
	seen6_answer(arg, r->ok, &r->reflexive, r->server, r->error);
}

static void
seen6_on_echo(const struct echo_result *r, void *arg)
{
	seen6_answer(arg, r->ok, &r->address, r->url, r->error);
}

static struct seen6_probe *
seen6_probe(struct seen6 *s, int cand)
{
	struct seen6_probe *p;

	if (s->nprobes == SEEN6_MAX * SEEN6_OBSERVERS)
		return NULL;
	p = &s->probes[s->nprobes++];
	p->s = s;
	p->cand = cand;
	s->pending[cand]++;
	s->asked = true;
	return p;
}

/* Every observer that may be asked over IPv6, from candidate c. */
static void
seen6_ask(struct seen6 *s, struct evdns_base *dns, struct event_base *base,
    const char *const *stun, int nstun, const char *const *echo, int necho,
    int c, int timeout_ms)
{
	struct seen6_probe *p;

	for (int i = 0; i < nstun; i++) {
		if (resolve_literal_family(stun[i]) == AF_INET ||
		    (p = seen6_probe(s, c)) == NULL)
			continue;
		p->stun = stunprobe_start(base, dns, stun[i], &s->cand[c].address,
		    timeout_ms, STUNPROBE_URGENT, seen6_on_stun, p);
		s->pending[c] -= p->stun == NULL;
	}
	for (int i = 0; echoprobe_available() && i < necho; i++) {
		if (echo_url_family(echo[i]) == AF_INET ||
		    (p = seen6_probe(s, c)) == NULL)
			continue;
		p->echo = echoprobe_start(base, echo[i], &s->cand[c].address,
		    timeout_ms, seen6_on_echo, p);
		s->pending[c] -= p->echo == NULL;
	}
}

struct seen6 *
seen6_start(struct event_base *base, struct evdns_base *dns,
    const char *const *stun, int nstun, const char *const *echo, int necho,
    const struct netaddr *current, int timeout_ms, seen6_cb *cb, void *arg)
{
	struct netif_addr6 all[NETIF_MAX];
	struct seen6 *s = calloc(1, sizeof(*s));
	int n = netif_ipv6(all, NETIF_MAX);

	if (s == NULL || (s->later = event_new(base, -1, 0, seen6_on_later,
	    s)) == NULL) {
		free(s);
		return NULL;
	}
	s->cb = cb;
	s->arg = arg;
	s->starting = true;
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	s->ncand = seen6_rank(all, n, current, s->cand, SEEN6_MAX);
	for (int c = 0; c < s->ncand; c++)
		seen6_ask(s, dns, base, stun, nstun, echo, necho, c, timeout_ms);
	s->starting = false;
	seen6_decide(s);
	return s;
}

void
seen6_free(struct seen6 *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->nprobes; i++) {
		stunprobe_free(s->probes[i].stun);
		echoprobe_free(s->probes[i].echo);
	}
	event_free(s->later);
	free(s);
}
