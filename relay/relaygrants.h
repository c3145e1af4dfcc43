/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The public ports a relay has given its homes' services, asked for by
 * each home over its tunnel (PCP MAP, relay/relayserver.c). A grant is
 * live while its lease runs (the relay forwards its port to the home),
 * dormant after: the port stays the service's, so that it keeps its port
 * across restarts of either end; an hour after it was last asked for
 * (or read at the relay's start), its home may have it for another
 * service (the oldest dormant goes first). One line each in the
 * grants file, "KEY tcp|udp INTERNAL PUBLIC". Pure: a unit table and a
 * fuzz target read it.
 */
#ifndef HOMEREACH_RELAYGRANTS_H
#define HOMEREACH_RELAYGRANTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "relay/relayhomes.h"

#define RELAYGRANTS_KEEP_S	3600	/* a dormant port stays its service's */

struct relay_grant {
	char key[RELAY_KEY_LEN + 1];	/* the home's */
	uint8_t protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port;		/* at the home's tunnel address */
	uint16_t public_port;		/* at the relay's public address */
	time_t until;			/* lease end; 0: dormant */
	time_t asked;			/* last asked for (or read) */
};

/* The grants file's text: grants (at most max) of homes still there and
 * within their ports, all dormant, asked for now; -1 with why naming the
 * line. */
int relaygrants_parse(const char *text, size_t len,
    const struct relay_home *homes, int nhomes, struct relay_grant *g, int max,
    time_t now, char *why, size_t whylen);
/* Every grant, dormant or live, one line each; -1 if len is too short. */
int relaygrants_format(const struct relay_grant *g, int n, char *buf,
    size_t len);
/* A port for home h's service: the one it has, else the suggested one
 * if it is h's and free, else h's first free, else h's oldest dormant
 * not asked for in RELAYGRANTS_KEEP_S.
 * Live until `until` (0: made dormant). The grant's index, or a PCP
 * result code negated (no port left: -PCP_USER_EX_QUOTA), or
 * RELAYGRANTS_NONE: a deletion of nothing (a success, section 15). */
#define RELAYGRANTS_NONE	(-256)
int relaygrants_ask(struct relay_grant *g, int *n, int max,
    const struct relay_home *h, uint8_t protocol, uint16_t internal,
    uint16_t suggested, time_t until, time_t now);
/* Leases ended by now made dormant; how many. */
int relaygrants_expire(struct relay_grant *g, int n, time_t now);
/* Grants of homes no longer there dropped; how many are left. */
int relaygrants_keep_homes(struct relay_grant *g, int n,
    const struct relay_home *homes, int nhomes);

#endif
