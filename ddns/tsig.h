/* SPDX-License-Identifier: BSD-2-Clause */
/* TSIG algorithm names (RFC 8945 section 6): the names people write
 * (BIND's key files, tsig-keygen, ddclient say "hmac-md5") to the names
 * on the wire, and those ldns cannot sign with. Pure. */
#ifndef HOMEREACH_TSIG_H
#define HOMEREACH_TSIG_H

#include <stddef.h>

/* The wire name of algorithm, or NULL with why (one line: what to use
 * instead). */
const char *tsig_wire_name(const char *algorithm, char *why, size_t len);

#endif
