/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How long the NATs on the way keep a UDP binding that nothing uses (RFC
 * 5780 section 4.6): a binding made from each of a few local ports at once,
 * then after each one's own silence a request from another port asks the
 * server to answer to that binding (RESPONSE-PORT). The longest silence
 * one survived is how seldom a held port needs a keep-alive.
 */
#ifndef HOMEREACH_LIFETIME_H
#define HOMEREACH_LIFETIME_H

#include <stdbool.h>

#include "lib/addr.h"
#include "lib/reason.h"

struct event_base;
struct lifetime;

struct lifetime_result {
	bool ok;		/* measured; else why says what stopped it */
	int alive_s;		/* the longest silence a binding survived
				 * (0: not even the shortest) */
	int died_s;		/* the shortest it did not (0: none did, up
				 * to the longest tried) */
	char why[REASON_LEN];
};

typedef void lifetime_cb(const struct lifetime_result *r, void *arg);

/* The silences tried, in seconds, shortest first. */
#define LIFETIME_WAITS	{ 3, 5, 8, 11, 15, 22, 30, 45, 60, 90, 120 }

/* Measure against the STUN server at server:port over IPv4; cb once,
 * within the longest silence and a few seconds (sooner when a binding
 * dies: longer silences would too). NULL if it cannot start. */
struct lifetime *lifetime_start(struct event_base *base,
    const struct netaddr *server, uint16_t port, lifetime_cb *cb, void *arg);
void lifetime_free(struct lifetime *l);

/* The keep-alive interval a lifetime asks for, in seconds: a second less
 * than the longest silence survived, at least 2; with nothing measured
 * (alive 0, died 0), fallback. Pure (here: the unit tests link no loop). */
static inline int
lifetime_interval(const struct lifetime_result *r, int fallback)
{
	if (!r->ok || (r->alive_s == 0 && r->died_s == 0))
		return fallback;
	return r->alive_s - 1 < 2 ? 2 : r->alive_s - 1;
}

#endif
