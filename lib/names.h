/* SPDX-License-Identifier: BSD-2-Clause */
/* Names of codes, enums and wire values alike, from one kind of table: an
 * array indexed by the code. Looked up here, so no table is read past its
 * end or at a hole, whatever number a peer sends. */
#ifndef HOMEREACH_NAMES_H
#define HOMEREACH_NAMES_H

#include <stddef.h>

/* names[code], or fallback when the table has no name for code. */
const char *names_of(const char *const *names, size_t n, unsigned code,
    const char *fallback);
/* The code whose name is name (case-insensitive), or -1. */
int names_find(const char *const *names, size_t n, const char *name);

/* "udp" for IPPROTO_UDP, else "tcp": the one spelling of a protocol. */
const char *proto_name(int protocol);

#define NAMES_COUNT(names)	(sizeof(names) / sizeof((names)[0]))
#define NAME_OF(names, code, fallback) \
	names_of(names, NAMES_COUNT(names), (unsigned)(code), fallback)

#endif
