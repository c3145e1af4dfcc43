/* Ask one gateway over NAT-PMP (external address) and PCP (ANNOUNCE). */
#ifndef HOMEREACH_GWPROBE_H
#define HOMEREACH_GWPROBE_H

#include "probes/evidence.h"

struct event_base;
struct gwprobe;

typedef void gwprobe_cb(const struct proto_finding *natpmp,
    const struct proto_finding *pcp, void *arg);

struct gwprobe *gwprobe_start(struct event_base *base,
    const struct netaddr *gateway, int timeout_ms, gwprobe_cb *cb, void *arg);
void gwprobe_free(struct gwprobe *p);

#endif
