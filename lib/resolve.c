/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/reason.h"

static int
resolve_port(const char *s, uint16_t *port, char *why, size_t whylen)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
		return reason(why, whylen, "bad port \"%.16s\"", s);
	*port = (uint16_t)v;
	return 0;
}

int
resolve_split(const char *text, uint16_t default_port, char *host,
    size_t hostlen, uint16_t *port, char *why, size_t whylen)
{
	const char *hs = text, *he, *colon;

	*port = default_port;
	if (*text == '[') {
		hs = text + 1;
		if ((he = strchr(hs, ']')) == NULL)
			return reason(why, whylen, "missing ']' in \"%.64s\"", text);
		colon = he[1] == ':' ? he + 1 : NULL;
		if (he[1] != '\0' && colon == NULL)
			return reason(why, whylen, "junk after ']' in \"%.64s\"",
			    text);
	} else {
		colon = strchr(text, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address */
		he = colon ? colon : text + strlen(text);
	}
	if (he == hs || (size_t)(he - hs) >= hostlen)
		return reason(why, whylen, "bad host in \"%.64s\"", text);
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	return colon ? resolve_port(colon + 1, port, why, whylen) : 0;
}

int
resolve_literal_family(const char *text)
{
	char host[128];
	struct netaddr a;
	uint16_t port;

	if (resolve_split(text, 0, host, sizeof(host), &port, NULL, 0) < 0 ||
	    addr_parse(host, &a) < 0)
		return 0;
	return a.family;
}
