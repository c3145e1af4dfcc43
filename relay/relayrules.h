/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relay's nftables table, as text (pure: the unit table reads it):
 * each home's public ports forwarded (DNAT) to its tunnel address with
 * the port and the visitor's source address kept; into the tunnel only
 * what was so forwarded, out of it only answers (no home reaches another
 * home or the internet through the relay).
 */
#ifndef HOMEREACH_RELAYRULES_H
#define HOMEREACH_RELAYRULES_H

#include <stddef.h>

#include "relay/relayhomes.h"

#define RELAY_TABLE	"homereach_relay"

/* The table for these homes into buf: its length, or -1 if it is short. */
int relayrules_text(const struct relay_config *c, const char *public_ip,
    const struct relay_home *homes, int n, char *buf, size_t len);

#endif
