/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hairpin check: two connects from this host at once, to the public
 * address and port of a mapping, and to the same port on the home router's
 * LAN address. The public one answering while the router's own does not
 * means the router looped it back to the service.
 */
#include "probes/hairpin.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/names.h"
#include "probes/portcheck.h"

struct hairpin {
	struct portcheck *outer, *router;
	char outer_result[16], router_result[16];	/* "" while asked */
	struct hairpin_result r;
	hairpin_cb *cb;
	void *arg;
};

const char *
hairpin_name(enum hairpin_kind kind)
{
	static const char *const names[] = { "yes", "no", "unknown" };
	return NAME_OF(names, kind, "unknown");
}

static void
hairpin_settle(struct hairpin *h)
{
	bool outer_open = !strcmp(h->outer_result, "open");

	if (h->outer_result[0] == '\0' || (h->router != NULL &&
	    h->router_result[0] == '\0'))
		return;
	snprintf(h->r.detail, sizeof(h->r.detail), "%s", h->outer_result);
	if (outer_open && !strcmp(h->router_result, "open"))
		h->r.kind = HAIRPIN_UNKNOWN;
	else
		h->r.kind = outer_open ? HAIRPIN_YES : HAIRPIN_NO;
	h->cb(&h->r, h->arg);
}

static void
hairpin_on_outer(const char *result, int ms, void *arg)
{
	struct hairpin *h = arg;

	(void)ms;
	snprintf(h->outer_result, sizeof(h->outer_result), "%s", result);
	hairpin_settle(h);
}

static void
hairpin_on_router(const char *result, int ms, void *arg)
{
	struct hairpin *h = arg;

	(void)ms;
	snprintf(h->router_result, sizeof(h->router_result), "%s", result);
	hairpin_settle(h);
}

struct hairpin *
hairpin_start(struct event_base *base, const struct netaddr *public,
    uint16_t port, const struct netaddr *router, int timeout_ms,
    hairpin_cb *cb, void *arg)
{
	struct hairpin *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	*h = (struct hairpin){ .cb = cb, .arg = arg,
	    .r = { .public = *public, .port = port } };
	h->outer = portcheck_start(base, public, port, IPPROTO_TCP, timeout_ms,
	    hairpin_on_outer, h);
	if (router != NULL && router->family != 0)
		h->router = portcheck_start(base, router, port, IPPROTO_TCP,
		    timeout_ms, hairpin_on_router, h);
	if (h->outer == NULL) {
		hairpin_free(h);
		return NULL;
	}
	return h;
}

void
hairpin_free(struct hairpin *h)
{
	if (h == NULL)
		return;
	portcheck_free(h->outer);
	portcheck_free(h->router);
	free(h);
}
