/* SPDX-License-Identifier: BSD-2-Clause */
/* The [relay-server] section; agent/config fills it in. Plain data. */
#ifndef HOMEREACH_RELAYCONF_H
#define HOMEREACH_RELAYCONF_H

#include <stdbool.h>
#include <stdint.h>

/* [relay-server]: a WireGuard front door for homes nothing else reaches. */
struct relay_config {
	bool set;
	int line;
	char listen[256];		/* ADDRESS:PORT of WireGuard (UDP); the
					 * address is the public one homes'
					 * visitors come to */
	uint16_t port_lo, port_hi;	/* the public ports it hands out */
	char homes_file[1024];
	char key_file[1024];		/* its private key (made if absent) */
	char interface[16];		/* hr-relay0 */
	uint8_t subnet[4];		/* the tunnel's /24: .1 is the relay */
	int quota;			/* ports a new home gets (10) */
};

#endif
