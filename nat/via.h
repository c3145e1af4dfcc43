/* SPDX-License-Identifier: BSD-2-Clause */
/* The protocol a port mapping goes via. Pure. */
#ifndef HOMEREACH_VIA_H
#define HOMEREACH_VIA_H

/* VIA_HOLD: no protocol, a flow held open through a carrier NAT
 * (nat/hold.c). */
/* VIA_RELAY: a port of the home's relay, forwarded through its tunnel
 * (nat/relayway.c). */
enum map_via { VIA_ANY, VIA_PCP, VIA_NATPMP, VIA_UPNP, VIA_HOLD, VIA_RELAY };

const char *via_name(enum map_via via);
int via_parse(const char *name, enum map_via *via);

#endif
