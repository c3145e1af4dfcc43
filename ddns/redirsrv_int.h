/* Shared by the redirect server's files: its context and the endpoints. */
#ifndef HOMEREACH_REDIRSRV_INT_H
#define HOMEREACH_REDIRSRV_INT_H

#include <stdbool.h>

#include "agent/config.h"

struct evhttp;
struct evhttp_request;
struct redirdns;
struct redirsrc;
struct redirsrc_table;
typedef struct ssl_ctx_st SSL_CTX;

struct redirsrv_side {
	struct redirsrv *s;
	bool tls;
};

/* A registration or a check under way: answered, or dropped at exit. */
struct redirsrv_job;

struct redirsrv {
	struct event_base *base;
	const struct redirect_config *cfg;
	struct evhttp *https;
	struct redirfront *front;	/* plain HTTP: visitors and /check */
	SSL_CTX *tls;
	struct redirsrv_side secure;
	struct redirdns *dns;
	struct redirsrc_table *sources;
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
/* "Temporary Redirect" for 307, and so on. */
const char *redirsrv_reason(int code);
/* A text/plain answer on libevent's HTTP server. */
void redirsrv_reply(struct evhttp_request *req, int code, const char *text);
/* /nic/update (redirupdate.c), on libevent's HTTP server. */
void redirsrv_update(struct redirsrv *s, struct evhttp_request *req,
    struct redirsrc *src, bool tls);
/* /check?query from src (redirupdate.c). */
void redirsrv_check(struct redirsrv *s, struct redirsrc *src,
    const char *query, redirsrv_answer_fn *fn, void *ctx);
/* The plain-HTTP front (redirfront.c): its listeners, and freeing. */
struct redirfront;
struct redirfront *redirfront_new(struct redirsrv *s, char *why, size_t len);
void redirfront_free(struct redirfront *f);
/* At exit: cancel what is under way. */
void redirsrv_jobs_free(struct redirsrv *s);

#endif
