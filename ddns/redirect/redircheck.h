/* Connect back to a requester's port, from the outside: does it answer? */
#ifndef HOMEREACH_REDIRCHECK_H
#define HOMEREACH_REDIRCHECK_H

#include <stdint.h>

#include "lib/addr.h"

struct event_base;
struct redircheck;

/* result: "open", "closed" (refused), "no-answer" (timed out: filtered,
 * or a UDP service that stays quiet), "unreachable". */
typedef void redircheck_cb(const char *result, int ms, void *arg);

struct redircheck *redircheck_start(struct event_base *base,
    const struct netaddr *addr, uint16_t port, int proto, int timeout_ms,
    redircheck_cb *cb, void *arg);
/* Stop and free; cb does not run. Safe after cb ran too. */
void redircheck_free(struct redircheck *c);

#endif
