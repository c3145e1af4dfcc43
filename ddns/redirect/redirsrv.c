/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect server. A visitor's request is answered from the cache
 * of DNS answers (redirdns.c) without an allocation when the name is
 * known; the answer is a redirect to the address and port that DNS holds,
 * never to anything a request names. Both ports, plain HTTP and TLS, are
 * served by our own small front (redirfront.c); here: routing and
 * visitors. redirserver.c builds the whole.
 */
#include "ddns/redirect/redirsrv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/httphead.h"
#include "ddns/redirect/redirparse.h"
#include "ddns/redirect/redirdns.h"
#include "lib/sources.h"
#include "lib/log.h"

/* --- visitors --- */

struct redirsrv_wait {
	struct redirsrv *s;
	redirsrv_answer_fn *fn;
	void *ctx;
	char uri[];
};

static void
redirsrv_found(const struct redirsrv *s, const struct redirdns_result *r,
    const char *uri, redirsrv_answer_fn *fn, void *ctx)
{
	struct redirsrv_answer a = { 404, NULL, NULL,
	    "This name is not registered here.\n", NULL, NULL };
	char loc[HTTPHEAD_MAX_TARGET + 80];

	if (r->status == REDIRDNS_FAILED) {
		a = (struct redirsrv_answer){ 503, NULL, NULL, "DNS did not "
		    "answer; try again soon.\n", "5", NULL };
	} else if (r->status == REDIRDNS_FOUND) {
		if (redirparse_location(&r->addr, r->port, uri, loc, sizeof(loc)) == 0)
			a = (struct redirsrv_answer){ s->cfg->status, loc,
			    NULL, NULL, NULL, NULL };
		else
			a = (struct redirsrv_answer){ 414, NULL, NULL,
			    "The request target is too long.\n", NULL, NULL };
	}
	fn(ctx, &a);
}

static void
redirsrv_on_found(const struct redirdns_result *r, void *arg)
{
	struct redirsrv_wait *w = arg;

	redirsrv_found(w->s, r, w->uri, w->fn, w->ctx);
	free(w);
}

void
redirsrv_visit(struct redirsrv *s, const char *name, const char *uri,
    redirsrv_answer_fn *fn, void *ctx)
{
	static const struct redirsrv_answer busy = { 503, NULL, NULL, "Busy.\n",
	    "5", NULL };
	struct redirdns_result r;
	struct redirsrv_wait *w;
	size_t n = strlen(uri);

	if (redirdns_peek(s->dns, name, &r)) {
		redirsrv_found(s, &r, uri, fn, ctx);
		return;
	}
	if ((w = malloc(sizeof(*w) + n + 1)) == NULL) {
		fn(ctx, &busy);
		return;
	}
	w->s = s;
	w->fn = fn;
	w->ctx = ctx;
	memcpy(w->uri, uri, n + 1);
	if (redirdns_lookup(s->dns, name, redirsrv_on_found, w) < 0) {
		free(w);
		fn(ctx, &busy);
	}
}

/* Is the name the zone's or under it, and not the server's own? */
static bool
redirsrv_visitor_name(const struct redirsrv *s, const char *name)
{
	const char *z = s->cfg->zone;
	size_t n = strlen(name), m = strlen(z);

	for (int i = 0; i < s->cfg->nserver_name; i++)
		if (!strcasecmp(name, s->cfg->server_name[i]))
			return false;
	while (m > 0 && z[m - 1] == '.')
		m--;
	return m == 0 || (n > m && name[n - m - 1] == '.' &&
	    !strncasecmp(name + n - m, z, m));
}

static bool
redirsrv_path_is(const char *path, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(path, want, n);
}

enum redirsrv_route
redirsrv_route_of(const struct redirsrv *s, const char *host, const char *path,
    size_t path_len, char *name)
{
	bool named = host != NULL && redirparse_host(host, name,
	    REDIRPARSE_NAME_LEN) == 0;

	if (named && redirsrv_visitor_name(s, name))
		return ROUTE_VISIT;
	if (redirsrv_path_is(path, path_len, "/check"))
		return ROUTE_CHECK;
	if (redirsrv_path_is(path, path_len, "/nic/update"))
		return ROUTE_UPDATE;
	return named ? ROUTE_UNKNOWN : ROUTE_BAD_HOST;
}
