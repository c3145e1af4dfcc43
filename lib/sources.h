/* SPDX-License-Identifier: BSD-2-Clause */
/* What a server remembers per source (an IPv4 address, an IPv6 /64):
 * connections open, failed logins, checks asked. A table with its own
 * sweep and a ceiling; the redirect server and the status page each
 * have one. */
#ifndef HOMEREACH_SOURCES_H
#define HOMEREACH_SOURCES_H

#include <stdbool.h>
#include <time.h>

#include "lib/addr.h"

struct event_base;
struct sources;

struct source {
	struct netaddr addr;		/* the key: an IPv6 /64's first address */
	int conns;			/* open now */
	int fails;			/* failed logins in a row */
	time_t fail_at;
	time_t check_window;		/* start of the current minute */
	int checks;			/* in that minute */
	bool checking;			/* one at a time */
	bool login;			/* a login under way: one at a time */
	struct source *next;
};

/* nbuckets: the hash's width, for the sources expected (the redirect
 * server's internet, the status page's LAN). */
struct sources *sources_new(struct event_base *base,
    int nbuckets);
void sources_free(struct sources *t);
/* The source a is counted in: itself, or its /64. */
void sources_key(const struct netaddr *a, struct netaddr *key);
/* The entry of this address's source, made if needed; NULL when the
 * table is full (the caller refuses). */
struct source *sources_get(struct sources *t,
    const struct netaddr *a);
/* Seconds to hold a login from src: doubling with each failure. */
int source_login_delay(const struct source *src, time_t now);
/* A login's outcome: a failure lengthens the next delay, a success ends
 * it. */
void source_login_done(struct source *src, bool ok);

#endif
