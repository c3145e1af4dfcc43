/* SPDX-License-Identifier: BSD-2-Clause */
/* The status page: the agent's own small HTTP server, read-only. */
#ifndef HOMEREACH_WEB_H
#define HOMEREACH_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define WEB_MAX_CONNS	16	/* at once; more are closed at accept */
#define WEB_DEADLINE_MS	5000	/* for an answer */
#define WEB_HEAD_MS	2000	/* for a request's head, from the accept */
#define WEB_PER_SOURCE	8	/* connections of one address (IPv6: /64) */

struct event_base;
struct web;
/* The status JSON (malloc'd), as `homereach status --json` has it. */
typedef char *web_status_cb(void *arg);
/* The Prometheus text for /metrics (malloc'd). */
typedef char *web_metrics_cb(void *arg);

/* Listen on addr:port. password: HTTP Basic (any user name), or NULL for
 * none; a listener without one answers only a Host that is an address or
 * localhost (a page elsewhere cannot read it through DNS rebinding). NULL
 * with why on failure. */
struct web *web_start(struct event_base *base, const struct netaddr *addr,
    uint16_t port, const char *password, web_status_cb *status,
    web_metrics_cb *metrics, void *arg, char *why, size_t len);
void web_free(struct web *w);

#endif
