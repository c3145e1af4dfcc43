/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the redirect server's files: its context and the endpoints. */
#ifndef HOMEREACH_REDIRSRV_INT_H
#define HOMEREACH_REDIRSRV_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ddns/redirect/redirconf.h"

struct netaddr;
struct redirdns;
struct source;
struct sources;
typedef struct ssl_ctx_st SSL_CTX;

/* A registration or a check under way: answered, or dropped at exit. */
struct redirsrv_job;

struct redirsrv {
	struct event_base *base;
	const struct redirect_config *cfg;
	struct redirfront *front;	/* both ports, plain HTTP and TLS */
	SSL_CTX *tls;			/* NULL without tls_listen */
	struct redirdns *dns;
	struct sources *sources;
	struct redirsrv_job *jobs;	/* under way */
	int njobs;
};

/* What to answer, whichever HTTP front asked. */
struct redirsrv_answer {
	int code;
	const char *location;		/* for a redirect */
	const char *ctype;		/* NULL: text/plain */
	const char *body;		/* NULL: none */
	const char *retry_after;	/* NULL: none */
	const char *challenge;		/* WWW-Authenticate, or NULL */
};
/* Runs once, at once or later, from the loop. */
typedef void redirsrv_answer_fn(void *ctx, const struct redirsrv_answer *a);

enum redirsrv_route { ROUTE_VISIT, ROUTE_CHECK, ROUTE_UPDATE,
	ROUTE_UNKNOWN,		/* a server name, or a name of another zone */
	ROUTE_BAD_HOST };

/* Whose request is it? A visitor's (name set) when Host is a name of the
 * zone that is not one of server_name; else /check, /nic/update, or a
 * Host that is no name at all. */
enum redirsrv_route redirsrv_route_of(const struct redirsrv *s,
    const char *host, const char *path, size_t path_len, char *name);
/* A visitor of name asking for uri: the redirect, from DNS. */
void redirsrv_visit(struct redirsrv *s, const char *name, const char *uri,
    redirsrv_answer_fn *fn, void *ctx);
/* /nic/update?query from the address from (counted in src) with its
 * Authorization field (NULL if none), over TLS (redirupdate.c). */
void redirsrv_update(struct redirsrv *s, struct source *src,
    const struct netaddr *from, const char *query, const char *auth,
    redirsrv_answer_fn *fn, void *ctx);
/* /check?query from the address from, counted in src (redirupdate.c). */
void redirsrv_check(struct redirsrv *s, struct source *src,
    const struct netaddr *from, const char *query, redirsrv_answer_fn *fn,
    void *ctx);
/* The HTTP front (redirfront.c): its listeners on both ports, and
 * freeing. */
struct redirfront;
struct redirfront *redirfront_new(struct redirsrv *s, char *why, size_t len);
void redirfront_free(struct redirfront *f);
/* At exit: cancel what is under way. */
void redirsrv_jobs_free(struct redirsrv *s);

#endif
