/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One round of DNS updates, as `ddns update` and the agent's DNS helper
 * run it: each record and family decided by the engine (ddns.c), those due
 * sent, records that can share a request (dyndns2) sharing one, at most
 * ROUND_PARALLEL requests at once on worker threads, and each answer
 * folded into its record's state as it comes. The caller keeps the state
 * and says what the round's news mean to whom (ops).
 */
#ifndef HOMEREACH_ROUND_H
#define HOMEREACH_ROUND_H

#include <stdbool.h>
#include <stdint.h>

#include "ddns/ddns.h"
#include "ddns/provider.h"

#define ROUND_PARALLEL	8

struct event_base;
struct round;

struct round_input {
	struct netaddr v4, v6;		/* the true public addresses (or 0) */
	bool cgnat;			/* the verdict: carrier-grade NAT */
	bool force, dry_run;
	const char *only;		/* one record's name, or NULL: all */
};

struct round_ops {
	/* Record r's state for family: found, or made empty. */
	struct ddns_state *(*state)(void *arg, const struct ddns_config *r,
	    int family);
	/* A redirect record's port (0 for the others). */
	uint16_t (*port)(void *arg, const struct ddns_config *r);
	/* The SRV records beside r's record of family, into t. */
	void (*srv)(void *arg, const struct ddns_config *r, int family,
	    struct ddns_target *t);
	/* r was decided without a request (or, dry run, would be sent). */
	void (*decided)(void *arg, const struct ddns_config *r, int family,
	    const struct ddns_decision *d, const struct netaddr *addr);
	/* r's answer, folded into st already; was: published before. */
	void (*answered)(void *arg, const struct ddns_config *r, int family,
	    const struct netaddr *addr, const struct netaddr *was,
	    const struct ddns_answer *a, const struct ddns_state *st);
	/* Every request has its answer (maybe before round_start returns). */
	void (*done)(void *arg);
};

/* recs[0..n) stay the caller's until done. NULL: no memory. */
struct round *round_start(struct event_base *base,
    const struct ddns_config *recs, int n, const struct round_input *in,
    const struct round_ops *ops, void *arg);
/* Once done has run. */
void round_free(struct round *r);

#endif
