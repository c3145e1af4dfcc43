/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `homereach relay-server`'s life: the network up (relay/relaynet.h), a
 * PCP server (RFC 6887, MAP and ANNOUNCE) on the relay's tunnel address
 * where each home asks for a public port per service; a home is the
 * tunnel address it asks from (WireGuard lets a peer send from its own
 * only), and gets ports of its own range only. Grants are kept in the
 * grants file across restarts (relay/relaygrants.h). SIGHUP reads the
 * homes again; SIGTERM or SIGINT take it all down.
 */
#ifndef HOMEREACH_RELAYSERVER_H
#define HOMEREACH_RELAYSERVER_H

#include <stddef.h>

#include "relay/relayhomes.h"

#define RELAY_HOMES_FILE_MAX	(RELAY_MAX_HOMES * 160)
#define RELAY_PCP_PORT		5351
#define RELAY_LEASE_MIN		120	/* seconds a grant lives, at least */
#define RELAY_LEASE_MAX		3600	/* and at most */

/* The homes file read (absent: none): n, or -1 said in the log. text
 * (RELAY_HOMES_FILE_MAX bytes) keeps the file's text, *len its length. */
int relayserver_homes(const struct relay_config *c, struct relay_home *homes,
    char *text, size_t *len);
/* Serve until SIGTERM or SIGINT: 0, or 1 said in the log. */
int relayserver_run(const struct relay_config *c, const char *relay_pub);

#endif
