/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relay's homes: one line each, "NAME PUBLIC-KEY ADDRESS LOW-HIGH"
 * (the home's WireGuard key, its tunnel address, the public ports that
 * are its own). A home is known by its key only; its ports and address
 * are the relay's to give. Pure: a unit table and a fuzz target read it.
 */
#ifndef HOMEREACH_RELAYHOMES_H
#define HOMEREACH_RELAYHOMES_H

#include <stddef.h>
#include <stdint.h>

#include "relay/relayconf.h"

#define RELAY_KEY_LEN		44	/* base64 of 32 bytes */
#define RELAY_MAX_HOMES		250	/* a /24 but the relay's own */

struct relay_home {
	char name[64];
	char key[RELAY_KEY_LEN + 1];
	uint8_t address[4];
	uint16_t port_lo, port_hi;
};

/* One line: 1 if it is a home, 0 if blank or a comment, -1 with why. */
int relayhomes_line(const char *line, struct relay_home *h, char *why,
    size_t whylen);
/* The whole file's text: its homes (at most max), or -1 with why naming
 * the line. Two homes with one name, key, address or port are refused,
 * as is an address outside the relay's subnet or a port outside its
 * range. */
int relayhomes_parse(const char *text, size_t len, const struct relay_config *c,
    struct relay_home *homes, int max, char *why, size_t whylen);
/* The next home's address and ports: the first free of each. -1 if none
 * is left (with why). */
int relayhomes_next(const struct relay_home *homes, int n,
    const struct relay_config *c, int quota, struct relay_home *h,
    char *why, size_t whylen);
/* "NAME KEY ADDRESS LOW-HIGH\n" */
int relayhomes_format(const struct relay_home *h, char *buf, size_t len);

#endif
