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
	struct evhttp *http, *https;
	SSL_CTX *tls;
	struct redirsrv_side plain, secure;
	struct redirdns *dns;
	struct redirsrc_table *sources;
	struct redirsrv_job *jobs;	/* under way */
	int njobs;
};

/* A text/plain answer. */
void redirsrv_reply(struct evhttp_request *req, int code, const char *text);
/* /nic/update (redirupdate.c). */
void redirsrv_update(struct redirsrv *s, struct evhttp_request *req,
    struct redirsrc *src, bool tls);
/* /check (redirupdate.c). */
void redirsrv_check(struct redirsrv *s, struct evhttp_request *req,
    struct redirsrc *src);
/* At exit: cancel what is under way. */
void redirsrv_jobs_free(struct redirsrv *s);

#endif
