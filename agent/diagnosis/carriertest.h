/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether the NAT in front of the home router (a carrier's) lets
 * strangers in to a port held open from inside: RFC 4787's
 * endpoint-independent mapping and filtering, found by the RFC 5780 tests
 * from two local ports, the second mapped on the home router to itself so
 * that the filtering test, whose answers come from another address, sees
 * past the home router. diagnose and the agent run it.
 */
#ifndef HOMEREACH_CARRIERTEST_H
#define HOMEREACH_CARRIERTEST_H

#include "agent/diagnosis/evidence.h"

struct event_base;
struct evdns_base;
struct carriertest;
typedef void carriertest_cb(const struct carrier_finding *f, void *arg);

/* Is there such a NAT to test: a carrier's (its hop in shared space, RFC
 * 6598) in front of the home router that maps nothing, while the home
 * router names a public address (told, or found by STUN)? */
bool carriertest_wanted(const struct evidence *ev);
/* cb once, from the loop; the test's mapping is removed after it (keep t
 * until then: free it later, never in cb). */
struct carriertest *carriertest_start(struct event_base *base,
    struct evdns_base *dns, const struct netaddr *gateway, const char *stun,
    carriertest_cb *cb, void *arg);
void carriertest_free(struct carriertest *t);

#endif
