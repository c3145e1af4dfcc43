/* SPDX-License-Identifier: BSD-2-Clause */
/* Ask one gateway over NAT-PMP (external address) and PCP (ANNOUNCE). */
#ifndef HOMEREACH_GWPROBE_H
#define HOMEREACH_GWPROBE_H

#include <stdbool.h>

#include "nat/finding.h"

struct event_base;
struct gwprobe;

typedef void gwprobe_cb(const struct proto_finding *natpmp,
    const struct proto_finding *pcp, void *arg);

/* patient: a gateway that answers NAT-PMP with "network failure" may be
 * in the middle of an address change (it has announced one): it is asked
 * again every 20 ms, for 300 ms at most, before that answer is taken. */
struct gwprobe *gwprobe_start(struct event_base *base,
    const struct netaddr *gateway, int timeout_ms, bool patient,
    gwprobe_cb *cb, void *arg);
void gwprobe_free(struct gwprobe *p);

#endif
