/* SPDX-License-Identifier: BSD-2-Clause */
#include <netinet/in.h>
#include <strings.h>

#include "lib/names.h"

const char *
names_of(const char *const *names, size_t n, unsigned code,
    const char *fallback)
{
	return code < n && names[code] != NULL ? names[code] : fallback;
}

int
names_find(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] != NULL && strcasecmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
proto_name(int protocol)
{
	return protocol == IPPROTO_UDP ? "udp" : "tcp";
}
