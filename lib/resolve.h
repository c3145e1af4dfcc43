/* SPDX-License-Identifier: BSD-2-Clause */
/* "host", "host:port", "[v6]:port": split a server name. Pure. */
#ifndef HOMEREACH_RESOLVE_H
#define HOMEREACH_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

int resolve_split(const char *text, uint16_t default_port, char *host,
    size_t hostlen, uint16_t *port, char *why, size_t whylen);
/* The family of a server named by an address literal ("5.0.0.2",
 * "[2001:db8::1]:3478"), 0 for a name. */
int resolve_literal_family(const char *text);

#endif
