/* SPDX-License-Identifier: BSD-2-Clause */
/* One diagnosis: every probe at once on one event loop, into evidence. */
#ifndef HOMEREACH_DIAGNOSIS_H
#define HOMEREACH_DIAGNOSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/diagnosis/evidence.h"

#define DIAG_MAX_SERVERS 8

struct event_base;
struct evdns_base;
struct diagnosis;

struct diagnosis_config {
	const char *stun[DIAG_MAX_SERVERS];
	int nstun;
	const char *echo[DIAG_MAX_SERVERS];
	int necho;
	int timeout_ms;
	bool behaviour;		/* RFC 5780 tests: diagnose only, they wait */
	bool quick;		/* the gateway's unicast answers and the
				 * observers only: no UPnP, no hops */
	bool ipv6;		/* the IPv6 way in too (diagnose) */
	const char *check_url;	/* with ipv6: does check_port/check_proto */
	uint16_t check_port;	/* answer from outside over IPv6? */
	int check_proto;
	/* A TCP mapping this host holds (the outermost layer's public
	 * address and port; port 0: none): does it loop back from the LAN? */
	struct netaddr hairpin_to;
	uint16_t hairpin_port;
	const char *hairpin_name;	/* its A record's name, or NULL */
};

typedef void diagnosis_done_cb(struct diagnosis *d, void *arg);

/* No observer given (command line or configuration): the built-in public
 * ones, for real users. Tests always name the lab's own. */
void diagnosis_use_defaults(struct diagnosis_config *cfg);
/* The one rule for which observers a run asks: those already in dc (the
 * command line's), else the configuration's ([probes]), else the
 * built-in ones. Every command and the agent use it. */
struct config;
void diagnosis_observers(struct diagnosis_config *dc, const struct config *cfg);

/* done runs once, from the loop, when every probe answered or timed out. */
struct diagnosis *diagnosis_start(struct event_base *base,
    struct evdns_base *dns, const struct diagnosis_config *cfg,
    diagnosis_done_cb *done, void *arg);
const struct evidence *diagnosis_evidence(const struct diagnosis *d);
void diagnosis_free(struct diagnosis *d);

#endif
