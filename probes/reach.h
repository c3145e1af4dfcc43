/* SPDX-License-Identifier: BSD-2-Clause */
/* Is a mapped port reachable from outside? Asked of a redirect server's
 * /check (check_url in [probes]), which connects back to our address:
 * an observer outside, like STUN and the HTTP echo. */
#ifndef HOMEREACH_REACH_H
#define HOMEREACH_REACH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct event_base;
struct evdns_base;
struct reach;

struct reach_result {
	char service[64];
	char result[32];		/* "open", "closed", "no-answer", "error" */
	char detail[96];		/* for "error": what went wrong */
	int family;			/* AF_INET or AF_INET6: the way in */
	uint16_t port;			/* the external port asked about */
	int proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	int64_t at;			/* time() of the answer */
};

#define REACH_MAX_BODY	4096

/* The check server's answer (HTTP status code, body of n bytes; NULL when
 * longer than REACH_MAX_BODY) into res->result and res->detail: a result
 * is one of "open", "closed", "no-answer", "unreachable", else "error"
 * with the reason. Pure (reach_parse.c). */
void reach_parse(int code, const char *body, size_t n,
    struct reach_result *res);

typedef void reach_cb(const struct reach_result *r, void *arg);

/* nslots: how many (service, family) pairs are checked at once. */
struct reach *reach_new(struct event_base *base, struct evdns_base *dns,
    int nslots);
void reach_free(struct reach *r);
/* Ask url about port (IPPROTO_TCP or IPPROTO_UDP) for service; cb runs
 * once, from the loop. source: NULL over IPv4; an IPv6 address, over IPv6
 * from it. The same question under way is not asked twice (the server
 * takes one check at a time from an address); another one of the same
 * service and family replaces it. 0, REACH_OTHER_FAMILY, or -1. */
#define REACH_OTHER_FAMILY	(-2)	/* url names an address of the
					 * other family */
int reach_check(struct reach *r, const char *url, const char *service,
    const struct netaddr *source, uint16_t port, int proto, reach_cb *cb,
    void *arg);
/* The last answer about service over family, or NULL. */
const struct reach_result *reach_last(const struct reach *r,
    const char *service, int family);

#endif
