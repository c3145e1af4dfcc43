/* SPDX-License-Identifier: BSD-2-Clause */
/* Who forwards our packets: UDP probes with TTL 1..N, answers read from
 * the socket's error queue (IP_RECVERR), so no raw socket is needed. */
#ifndef HOMEREACH_HOP_H
#define HOMEREACH_HOP_H

#include "lib/addr.h"

#define HOP_MAX	8	/* TTLs asked at most: enough for a home router,
			 * an ISP box and a carrier's routers */

struct event_base;
struct hopprobe;

/* hops[i] is the router at TTL i + 1 (family 0: no answer). The probe
 * ends once every hop up to the first public one (or the target) has
 * answered: what lies beyond is the ISP's core, of no interest here. */
typedef void hop_result_cb(const struct netaddr *hops, int nhops, void *arg);

struct hopprobe *hopprobe_start(struct event_base *base,
    const struct netaddr *target, int nhops, int timeout_ms,
    hop_result_cb *cb, void *arg);
void hopprobe_free(struct hopprobe *p);

#endif
