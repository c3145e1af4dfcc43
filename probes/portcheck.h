/* SPDX-License-Identifier: BSD-2-Clause */
/* Does a port answer: one connect (TCP) or datagram (UDP), timed. */
#ifndef HOMEREACH_PORTCHECK_H
#define HOMEREACH_PORTCHECK_H

#include <stdint.h>

#include "lib/addr.h"

struct event_base;
struct portcheck;

/* result: "open", "closed" (refused), "no-answer" (timed out: filtered,
 * or a UDP service that stays quiet), "unreachable". */
typedef void portcheck_cb(const char *result, int ms, void *arg);

struct portcheck *portcheck_start(struct event_base *base,
    const struct netaddr *addr, uint16_t port, int proto, int timeout_ms,
    portcheck_cb *cb, void *arg);
/* Stop and free; cb does not run. Safe after cb ran too. */
void portcheck_free(struct portcheck *c);

#endif
