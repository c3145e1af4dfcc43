/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relay's side of the network: a WireGuard interface (the kernel's
 * where it has the module, else wireguard-go as a child), the homes as
 * its peers (each allowed its own tunnel address only), and one nftables
 * table (relay/relayrules.h): each live grant's public port forwarded to
 * its home's tunnel address, the visitor's source address kept; nothing else in or out of the tunnel
 * but the answers (no home reaches another, none reaches out through
 * it). Made through `ip`, `wg` and `nft`, undone on the way down.
 */
#ifndef HOMEREACH_RELAYNET_H
#define HOMEREACH_RELAYNET_H

#include <stddef.h>

#include "relay/relaygrants.h"
#include "relay/relayhomes.h"

struct relaynet;

/* Up, with these homes; NULL with why. */
struct relaynet *relaynet_up(const struct relay_config *c,
    const struct relay_home *homes, int n, const struct relay_grant *g,
    int ng, char *why, size_t whylen);
/* The homes anew (a reload): the table replaced in one transaction,
 * peers added and removed. 0, or -1 with why. */
int relaynet_homes(struct relaynet *r, const struct relay_home *homes, int n,
    const struct relay_grant *g, int ng, char *why, size_t whylen);
/* The table anew for these grants (the homes kept). 0, or -1 with why
 * (the old table stays). */
int relaynet_rules(struct relaynet *r, const struct relay_grant *g, int ng,
    char *why, size_t whylen);
/* The table and the interface (and wireguard-go) gone. */
void relaynet_down(struct relaynet *r);

#endif
