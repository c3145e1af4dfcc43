/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relay's nftables table, as text (pure: the unit table reads it):
 * each live grant's public port forwarded (DNAT) to its home's tunnel
 * address and the service's port there, the visitor's source address
 * kept; into the tunnel only what was so forwarded, out of it only
 * answers (no home reaches another home or the internet through the
 * relay); the relay's own PCP port open to the tunnel, nothing else of
 * the relay's.
 */
#ifndef HOMEREACH_RELAYRULES_H
#define HOMEREACH_RELAYRULES_H

#include <stddef.h>

#include "relay/relaygrants.h"
#include "relay/relayhomes.h"

#define RELAY_TABLE	"homereach_relay"

/* The table for these homes and grants into buf: its length, or -1 if
 * buf is short (RELAYRULES_LEN(grants) is not). */
#define RELAYRULES_LEN(ngrants)	(1024 + (size_t)(ngrants) * 96)
int relayrules_text(const struct relay_config *c, const char *public_ip,
    const struct relay_home *homes, int n, const struct relay_grant *g,
    int ng, char *buf, size_t len);

#endif
