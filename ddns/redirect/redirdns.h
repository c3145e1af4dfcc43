/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a name's visitors go: the SRV record _http._tcp.NAME (its port
 * and target) and the target's address, asked of the authoritative
 * server without blocking and kept for their TTL. */
#ifndef HOMEREACH_REDIRDNS_H
#define HOMEREACH_REDIRDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct event_base;
struct redirdns;

/* One DNS answer, as far as the redirect server cares. */
struct redirdns_answer {
	int rcode;			/* 0 NOERROR, 3 NXDOMAIN, ... */
	bool srv;			/* an SRV record was in the answer */
	uint16_t port;
	char target[256];		/* without the final dot */
	struct netaddr addr;		/* family 0: none (answer or additional) */
	uint32_t ttl;			/* least TTL used; SOA minimum if none */
};

enum { REDIRDNS_A = 1, REDIRDNS_AAAA = 28, REDIRDNS_SRV = 33 };

/* A query for name (dotted; a final dot or not) and type, in buf: its
 * length, or -1 if the name is no DNS name or buf too small. Pure. */
int redirdns_query(const char *name, int type, uint16_t id, uint8_t *buf,
    size_t cap);
/* Read an answer to query id. Pure; -1 if it is not one. */
int redirdns_parse(const uint8_t *wire, size_t len, uint16_t id,
    struct redirdns_answer *a);

enum redirdns_status { REDIRDNS_FOUND, REDIRDNS_UNKNOWN, REDIRDNS_FAILED };

struct redirdns_result {
	enum redirdns_status status;
	struct netaddr addr;
	uint16_t port;
};

typedef void redirdns_cb(const struct redirdns_result *r, void *arg);

/* server: host[:port] of the authoritative server (an address). */
struct redirdns *redirdns_new(struct event_base *base, const char *server,
    char *why, size_t len);
void redirdns_free(struct redirdns *d);
/* cb runs now if the name is cached (returns 1), else once DNS answers
 * (returns 0); -1 when too many wait already. */
int redirdns_lookup(struct redirdns *d, const char *name, redirdns_cb *cb,
    void *arg);
/*
 * One question (qname dotted, type REDIRDNS_*) to the same server, for
 * someone who needs DNS as it is now (the registrations): not cached. cb
 * runs once from the loop with the answer, or NULL when none came after
 * the tries; -1 (and no cb) when it cannot be asked.
 */
typedef void redirdns_ask_cb(const struct redirdns_answer *a, void *arg);
int redirdns_ask(struct redirdns *d, const char *qname, int type,
    redirdns_ask_cb *cb, void *arg);
/* Every question asked with arg is dropped: cb will not run. */
void redirdns_ask_cancel(struct redirdns *d, const void *arg);
/* A fresh cached result for name, without waiting: true if there is. */
bool redirdns_peek(struct redirdns *d, const char *name,
    struct redirdns_result *r);
/* Lookups asked, answered from the cache, and DNS queries sent. */
struct redirdns_stats {
	uint64_t lookups, hits, queries;
};
void redirdns_stats(const struct redirdns *d, struct redirdns_stats *st);
/* Drop the cached answer: this server has just changed the records. */
void redirdns_forget(struct redirdns *d, const char *name);

#endif
