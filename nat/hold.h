/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A port held open through a carrier NAT whose mapping and filtering are
 * endpoint-independent (RFC 4787's "full cone"): a flow from a local port
 * to a STUN server, kept alive, through the home router (whose mapping of
 * the same external port leads strangers on to the service) and the
 * carrier (which then lets anyone in to the public port it gave that
 * flow). The server's answers say which public address and port that is.
 * The "hold" kind of way in (wayin.c): layer 0 is the home router's
 * mapping of port E to the service, layer 1 the flow from local port E.
 */
#ifndef HOMEREACH_HOLD_H
#define HOMEREACH_HOLD_H

#include <stdbool.h>
#include <stdint.h>

#include "nat/wayin.h"

#define HOLD_KEEPALIVE_S	14	/* within a carrier's window of 30 s
					 * (RFC 4787 asks for 2 min, many give
					 * less), and a move is seen within
					 * 15 s (bench/hold) */

/* The keep-alive interval of every flow but the first (which keeps
 * HOLD_KEEPALIVE_S or less): from the binding lifetime measured
 * (probes/lifetime.c), at least 2 s. HOLD_KEEPALIVE_S until set. */
void hold_set_interval(int seconds);
/* The interval in use: the sentinel's, or the others'. */
int hold_interval(bool sentinel);

/* When the flow from protocol's local port last had an answer (unix
 * time), or 0: how fresh a held port is, for status. */
int64_t hold_answered_at(int protocol, uint16_t port);

/* The hold kind's operations (wayin.c's table names them). */
extern const struct wayin_ops hold_ops;

#endif
