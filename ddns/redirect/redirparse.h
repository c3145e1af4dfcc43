/* SPDX-License-Identifier: BSD-2-Clause */
/* The redirect server's parsers of outside input: Host headers, the
 * dyndns2 update query, /check queries, the users file; and the Location
 * it answers with (basic auth is lib/httphead.h's). Pure: bytes in, a checked value or a
 * reason out, so a unit table and a fuzzer drive every one. */
#ifndef HOMEREACH_REDIRPARSE_H
#define HOMEREACH_REDIRPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define REDIRPARSE_NAME_LEN	254
#define REDIRPARSE_MAX_HOSTS	8	/* per update request */

/* A DNS host name: letters, digits and hyphens in labels of 1 to 63,
 * at least two labels, 253 in all, the last not all digits. */
bool redirparse_name_ok(const char *name);
/* "Nas.Example.com.:80" -> "nas.example.com"; -1 if it is no host name
 * (an address literal, a bad port, a bad name). */
int redirparse_host(const char *header, char *out, size_t len);
/* http://ADDRESS:PORT + the path and query of uri, escaping anything
 * that is not printable ASCII; an absolute-form uri gives its path. */
int redirparse_location(const struct netaddr *a, uint16_t port,
    const char *uri, char *out, size_t len);

struct redirparse_update {
	char hosts[REDIRPARSE_MAX_HOSTS][REDIRPARSE_NAME_LEN];
	int nhosts;
	struct netaddr myip[2];		/* [0] IPv4, [1] IPv6; family 0: none */
	uint16_t port;			/* 0: not given */
	bool offline;			/* offline=yes: nothing answers there
					 * now, delete the records */
};
/* hostname=a,b&myip=ADDR[,ADDR6]&port=N[&offline=yes|no] (dyndns2's
 * offline, as Dyn took it); other keys (system, wildcard, mx, ...) are
 * ignored as dyndns2 servers do. */
int redirparse_update_query(const char *query, struct redirparse_update *u,
    char *why, size_t len);

/* port=N&proto=tcp|udp and nothing naming another address. */
int redirparse_check(const char *query, uint16_t *port, int *proto,
    char *why, size_t len);

/* A users file line "HOSTNAME:USER:CRYPT-HASH"; blank and # lines give 1. */
struct redirparse_user {
	char host[REDIRPARSE_NAME_LEN];
	char user[128];
	char hash[256];
};
int redirparse_user(const char *line, struct redirparse_user *u);

#endif
