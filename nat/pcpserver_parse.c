/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PCP server options as DHCP clients keep them (pure: a fuzz target
 * and a unit table read these). Every length is checked against what is
 * left before it is used; a lease file is what another program wrote,
 * so nothing in it is more than a candidate to ask.
 */
#include "nat/pcpserver.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/wire.h"

#define DHCP4_COOKIE_AT		236	/* after BOOTP's fixed fields */
#define DHCP4_COOKIE		0x63825363u
#define DHCP4_OPT_PAD		0
#define DHCP4_OPT_PCP		158	/* RFC 7291 */
#define DHCP4_OPT_END		255
#define DHCP6_OPT_PCP		86	/* RFC 7291 */
#define DHCP6_HEADER		4	/* type and transaction id */
#define DHCLIENT_OPTION		"option unknown-158 "

static int
pcp_fail(char *why, size_t whylen, const char *text)
{
	snprintf(why, whylen, "%s", text);
	return -1;
}

/* A unicast host address, and not one we have already. */
static int
pcp_add(const uint8_t b[4], struct netaddr *out, int n, int max)
{
	struct netaddr a = { .family = AF_INET };

	if (b[0] == 0 || b[0] == 127 || b[0] >= 224)
		return n;	/* "this network", loopback, multicast, broadcast */
	memcpy(a.bytes, b, 4);
	for (int i = 0; i < n; i++)
		if (addr_equal(&out[i], &a))
			return n;
	if (n < max)
		out[n++] = a;
	return n;
}

int
pcpserver_option158(const uint8_t *v, size_t len, struct netaddr *out, int n,
    int max, char *why, size_t whylen)
{
	size_t at = 0;

	if (len == 0)
		return pcp_fail(why, whylen, "option 158 is empty");
	while (at < len) {
		size_t list = v[at++];
		if (list == 0 || list % 4 != 0)
			return pcp_fail(why, whylen, "option 158: a list's length "
			    "is not a multiple of 4");
		if (list > len - at)
			return pcp_fail(why, whylen, "option 158: a list runs past "
			    "the option");
		for (size_t i = 0; i < list; i += 4)
			n = pcp_add(v + at + i, out, n, max);
		at += list;
	}
	return n;
}

int
pcpserver_dhcp4(const uint8_t *msg, size_t len, struct netaddr *out, int n,
    int max, char *why, size_t whylen)
{
	uint8_t value[1024];
	size_t have = 0, at = DHCP4_COOKIE_AT + 4;

	if (len < at || wire_get32(msg + DHCP4_COOKIE_AT) != DHCP4_COOKIE)
		return pcp_fail(why, whylen, "not a DHCP message (no magic cookie "
		    "at byte 236)");
	while (at < len && msg[at] != DHCP4_OPT_END) {
		uint8_t code = msg[at++];
		size_t olen;
		if (code == DHCP4_OPT_PAD)
			continue;
		if (at >= len)
			return pcp_fail(why, whylen, "an option runs past the "
			    "message");
		olen = msg[at++];
		if (olen > len - at)
			return pcp_fail(why, whylen, "an option runs past the "
			    "message");
		if (code == DHCP4_OPT_PCP) {	/* RFC 3396: concatenated */
			if (olen > sizeof(value) - have)
				return pcp_fail(why, whylen, "option 158 is too long");
			memcpy(value + have, msg + at, olen);
			have += olen;
		}
		at += olen;
	}
	return have ? pcpserver_option158(value, have, out, n, max, why,
	    whylen) : n;
}

int
pcpserver_dhcp6(const uint8_t *msg, size_t len, struct netaddr *out, int n,
    int max, char *why, size_t whylen)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	size_t at = DHCP6_HEADER;

	if (len < DHCP6_HEADER)
		return pcp_fail(why, whylen, "not a DHCPv6 message (shorter than "
		    "its header)");
	while (at < len) {
		uint16_t code, olen;
		if (len - at < 4)
			return pcp_fail(why, whylen, "an option's header runs past "
			    "the message");
		code = wire_get16(msg + at);
		olen = wire_get16(msg + at + 2);
		at += 4;
		if (olen > len - at)
			return pcp_fail(why, whylen, "an option runs past the "
			    "message");
		if (code == DHCP6_OPT_PCP && olen % 16 != 0)
			return pcp_fail(why, whylen, "option 86 is not a list of "
			    "IPv6 addresses");
		for (size_t i = 0; code == DHCP6_OPT_PCP && i < olen; i += 16)
			if (memcmp(msg + at + i, mapped, sizeof(mapped)) == 0)
				n = pcp_add(msg + at + i + 12, out, n, max);
		at += olen;
	}
	return n;
}

/* "4:c0:0:0:9" (ISC's way of writing an option it has no name for: each
 * octet in hex, without leading zeros) into bytes. */
static int
pcp_hex_octets(const char *s, const char *end, uint8_t *b, size_t max)
{
	size_t n = 0;

	while (s < end) {
		char *stop;
		unsigned long v;
		if (!isxdigit((unsigned char)*s) || n == max)
			return -1;
		v = strtoul(s, &stop, 16);
		if (v > 255 || stop - s > 2)
			return -1;
		b[n++] = (uint8_t)v;
		s = stop;
		if (s < end && *s++ != ':')
			return -1;
		if (s == end && s[-1] == ':')
			return -1;
	}
	return (int)n;
}

int
pcpserver_dhclient(const char *text, size_t len, struct netaddr *out, int n,
    int max, char *why, size_t whylen)
{
	const char *end = text + len, *last = NULL, *p = text, *close, *semi;
	size_t key = strlen(DHCLIENT_OPTION);
	uint8_t value[255];
	int got;

	/* The file keeps the leases in the order taken: the last is now. */
	while ((p = memmem(p, (size_t)(end - p), "lease {", 7)) != NULL)
		last = p++;
	if (last == NULL)
		return n;
	if ((close = memchr(last, '}', (size_t)(end - last))) == NULL)
		close = end;
	if ((p = memmem(last, (size_t)(close - last), DHCLIENT_OPTION,
	    key)) == NULL)
		return n;
	if ((semi = memchr(p + key, ';', (size_t)(close - p - key))) == NULL)
		return pcp_fail(why, whylen, "option unknown-158 has no ';'");
	got = pcp_hex_octets(p + key, semi, value, sizeof(value));
	if (got <= 0)
		return pcp_fail(why, whylen, "option unknown-158 is not octets in "
		    "hex (4:c0:0:0:9)");
	return pcpserver_option158(value, (size_t)got, out, n, max, why, whylen);
}
