/* SPDX-License-Identifier: BSD-2-Clause */
/* Gateway announcements on 224.0.0.1:5350: NAT-PMP's new external address
 * (RFC 6886 section 3.2.1) and PCP's ANNOUNCE (RFC 6887 section 14.1.3),
 * which a router multicasts when its address changes or it restarts. */
#ifndef HOMEREACH_ANNOUNCE_H
#define HOMEREACH_ANNOUNCE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define ANNOUNCE_PORT	5350

struct event_base;
struct announce;

struct announce_event {
	int version;			/* 0 NAT-PMP, 2 PCP */
	uint32_t epoch;
	struct netaddr external;	/* NAT-PMP only */
	struct netaddr from;
};

typedef void announce_cb(const struct announce_event *e, void *arg);

/* Pure: one announcement datagram; -EBADMSG with why. */
int announce_parse(const uint8_t *buf, size_t len, struct announce_event *e,
    char *why, size_t whylen);
/* Listen; only datagrams from gateway count. */
struct announce *announce_start(struct event_base *base,
    const struct netaddr *gateway, announce_cb *cb, void *arg);
void announce_free(struct announce *a);

#endif
