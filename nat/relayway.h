/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relay kind of way in (a home's side of `homereach relay-server`):
 * a WireGuard tunnel to the relay (the kernel's, else wireguard-go as a
 * child), each relayed port led on to its service at this host's LAN
 * address (a UDP service answers from the address its route picks: that
 * one), and the answers of what came through the tunnel routed back
 * through it (a connection mark and a routing table of its own), while
 * everything else keeps the normal default route. One layer: the relay
 * gives a public port per service (PCP MAP over the tunnel, to its
 * tunnel address) and forwards it to this home's tunnel address and the
 * service's port.
 */
#ifndef HOMEREACH_RELAYWAY_H
#define HOMEREACH_RELAYWAY_H

#include <stdint.h>

#include "lib/addr.h"
#include "nat/wayin.h"

#define RELAYWAY_KEY_LEN	44

struct relayway_params {
	struct netaddr server;		/* the relay's public address */
	uint16_t server_port;		/* its WireGuard port */
	char server_key[RELAYWAY_KEY_LEN + 1];
	char private_key[RELAYWAY_KEY_LEN + 1];	/* this home's */
	uint8_t address[4];		/* this home's in the tunnel (/24) */
	char interface[16];
	struct netaddr lan;		/* where relayed ports lead */
};

/* What the tunnel is made of (copied; NULL: none). The tunnel comes up
 * with the first port asked for, and stays while a relay is wanted (its
 * handshake is not made again for each attempt), then until the last
 * port kept is gone; another relay's takes its place at once, with the
 * ports kept. */
void relayway_configure(const struct relayway_params *p);
/* The relay's peer made anew (a relay silent for a while may have
 * restarted): a handshake at once. */
void relayway_rekey(void);
/* The relay's own address in the tunnel (its PCP server). */
void relayway_gateway(struct netaddr *out);
/* The tunnel down and its rules gone, whatever is relayed (at exit). */
void relayway_down(void);

extern const struct wayin_ops relay_ops;

#endif
