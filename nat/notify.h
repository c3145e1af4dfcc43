/* SPDX-License-Identifier: BSD-2-Clause */
/* The router's SSDP NOTIFY multicasts: a new BOOTID.UPNP.ORG (or a
 * byebye) means it restarted and lost what it held (UDA 1.1 section 1.2). */
#ifndef HOMEREACH_NOTIFY_H
#define HOMEREACH_NOTIFY_H

#include "lib/addr.h"

struct event_base;
struct notify;
typedef void notify_cb(const char *what, void *arg);

/* Listen on 239.255.255.250:1900 on the interface toward gateway; only
 * NOTIFY messages from gateway count. */
struct notify *notify_start(struct event_base *base,
    const struct netaddr *gateway, notify_cb *cb, void *arg);
void notify_free(struct notify *n);

#endif
