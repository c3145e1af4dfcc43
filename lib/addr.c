/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address classification. The ranges come from the IANA special-purpose
 * registries (RFC 6890 and its updates); each entry names its RFC, as in
 * miniupnpc's addr_is_reserved.c.
 */
#include "lib/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>

#include "lib/names.h"

struct addr_range {
	int family;
	uint8_t prefix[16];
	unsigned bits;
	enum addr_scope scope;
	const char *rfc;
};

static const struct addr_range addr_ranges[] = {
	{ AF_INET, { 0 }, 8, ADDR_RESERVED, "RFC 1122" },	/* "this network" */
	{ AF_INET, { 10 }, 8, ADDR_PRIVATE, "RFC 1918" },
	{ AF_INET, { 100, 64 }, 10, ADDR_SHARED, "RFC 6598" },
	{ AF_INET, { 127 }, 8, ADDR_LOOPBACK, "RFC 1122" },
	{ AF_INET, { 169, 254 }, 16, ADDR_LINKLOCAL, "RFC 3927" },
	{ AF_INET, { 172, 16 }, 12, ADDR_PRIVATE, "RFC 1918" },
	{ AF_INET, { 192, 0, 0 }, 24, ADDR_RESERVED, "RFC 6890" },
	{ AF_INET, { 192, 0, 2 }, 24, ADDR_DOCUMENTATION, "RFC 5737" },
	{ AF_INET, { 192, 88, 99 }, 24, ADDR_RESERVED, "RFC 7526" },	/* 6to4 relay */
	{ AF_INET, { 192, 168 }, 16, ADDR_PRIVATE, "RFC 1918" },
	{ AF_INET, { 198, 18 }, 15, ADDR_BENCHMARK, "RFC 2544" },
	{ AF_INET, { 198, 51, 100 }, 24, ADDR_DOCUMENTATION, "RFC 5737" },
	{ AF_INET, { 203, 0, 113 }, 24, ADDR_DOCUMENTATION, "RFC 5737" },
	{ AF_INET, { 224 }, 4, ADDR_MULTICAST, "RFC 5771" },
	{ AF_INET, { 240 }, 4, ADDR_RESERVED, "RFC 1112" },	/* and broadcast */
	{ AF_INET6, { 0 }, 128, ADDR_RESERVED, "RFC 4291" },	/* unspecified */
	{ AF_INET6, { [15] = 1 }, 128, ADDR_LOOPBACK, "RFC 4291" },
	{ AF_INET6, { 0, 0x64, 0xff, 0x9b }, 96, ADDR_RESERVED, "RFC 6052" },
	{ AF_INET6, { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, ADDR_RESERVED, "RFC 8215" },
	{ AF_INET6, { 0x01 }, 64, ADDR_RESERVED, "RFC 6666" },	/* discard */
	{ AF_INET6, { 0x20, 0x01, 0, 0 }, 32, ADDR_RESERVED, "RFC 4380" },	/* Teredo */
	{ AF_INET6, { 0x20, 0x01, 0, 2 }, 48, ADDR_BENCHMARK, "RFC 5180" },
	{ AF_INET6, { 0x20, 0x01, 0, 0x10 }, 28, ADDR_RESERVED, "RFC 4843" },	/* ORCHID */
	{ AF_INET6, { 0x20, 0x01, 0, 0x20 }, 28, ADDR_RESERVED, "RFC 7343" },	/* ORCHIDv2 */
	{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 32, ADDR_DOCUMENTATION, "RFC 3849" },
	{ AF_INET6, { 0x20, 0x02 }, 16, ADDR_RESERVED, "RFC 7526" },	/* 6to4 */
	{ AF_INET6, { 0x3f, 0xff, 0 }, 20, ADDR_DOCUMENTATION, "RFC 9637" },
	{ AF_INET6, { 0x5f, 0x00 }, 16, ADDR_RESERVED, "RFC 9602" },	/* SRv6 SIDs */
	{ AF_INET6, { 0xfc }, 7, ADDR_PRIVATE, "RFC 4193" },	/* ULA */
	{ AF_INET6, { 0xfe, 0x80 }, 10, ADDR_LINKLOCAL, "RFC 4291" },
	{ AF_INET6, { 0xfe, 0xc0 }, 10, ADDR_RESERVED, "RFC 3879" },	/* site-local */
	{ AF_INET6, { 0xff }, 8, ADDR_MULTICAST, "RFC 4291" },
	{ AF_INET6, { 0 }, 8, ADDR_RESERVED, "RFC 4291" },	/* IETF reserved */
};

static const uint8_t addr_v4mapped[12] = { [10] = 0xff, [11] = 0xff };

void
addr_unmap(struct netaddr *a)
{
	if (a->family != AF_INET6 ||
	    memcmp(a->bytes, addr_v4mapped, sizeof(addr_v4mapped)) != 0)
		return;
	memmove(a->bytes, a->bytes + 12, 4);
	memset(a->bytes + 4, 0, 12);
	a->family = AF_INET;
}

int
addr_parse(const char *text, struct netaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, out->bytes) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, text, out->bytes) == 1)
		out->family = AF_INET6;
	else
		return -EINVAL;
	addr_unmap(out);
	return 0;
}

const char *
addr_ntop(const struct netaddr *a, char *buf, size_t len)
{
	if (a->family == 0 || inet_ntop(a->family, a->bytes, buf, len) == NULL)
		snprintf(buf, len, "none");
	return buf;
}

void
addr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out,
    uint16_t *port)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;
		out->family = AF_INET;
		memcpy(out->bytes, &sin->sin_addr, 4);
		if (port)
			*port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		out->family = AF_INET6;
		memcpy(out->bytes, &sin6->sin6_addr, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			out->scope = sin6->sin6_scope_id;
		if (port)
			*port = ntohs(sin6->sin6_port);
		addr_unmap(out);
	}
}

const char *
addr_ntop_port(const struct netaddr *a, uint16_t port, char *buf, size_t len)
{
	char ip[ADDR_STRLEN];

	addr_ntop(a, ip, sizeof(ip));
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
	return buf;
}

socklen_t
addr_to_sockaddr(const struct netaddr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->bytes, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (void *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_scope_id = a->scope;
	memcpy(&sin6->sin6_addr, a->bytes, 16);
	return sizeof(*sin6);
}

bool
addr_equal(const struct netaddr *a, const struct netaddr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && memcmp(a->bytes, b->bytes, n) == 0;
}

static bool
addr_in_range(const struct netaddr *a, const struct addr_range *r)
{
	unsigned full = r->bits / 8, rest = r->bits % 8;

	if (a->family != r->family || memcmp(a->bytes, r->prefix, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a->bytes[full] & mask) == (r->prefix[full] & mask);
}

static const struct addr_range *
addr_lookup(const struct netaddr *in)
{
	struct netaddr a = *in;

	addr_unmap(&a);
	for (size_t i = 0; i < sizeof(addr_ranges) / sizeof(addr_ranges[0]); i++)
		if (addr_in_range(&a, &addr_ranges[i]))
			return &addr_ranges[i];
	return NULL;
}

enum addr_scope
addr_classify(const struct netaddr *a)
{
	const struct addr_range *r;

	if (a->family != AF_INET && a->family != AF_INET6)
		return ADDR_RESERVED;
	r = addr_lookup(a);
	return r ? r->scope : ADDR_PUBLIC;
}

const char *
addr_rfc(const struct netaddr *a)
{
	const struct addr_range *r = addr_lookup(a);

	return r ? r->rfc : NULL;
}

bool
addr_is_public(const struct netaddr *a)
{
	return addr_classify(a) == ADDR_PUBLIC;
}

bool
addr_is_dslite(const struct netaddr *a)
{
	return a->family == AF_INET && a->bytes[0] == 192 && a->bytes[1] == 0 &&
	    a->bytes[2] == 0 && a->bytes[3] < 8;
}

bool
addr_is_host(const struct netaddr *a)
{
	const char *rfc = addr_rfc(a);

	switch (addr_classify(a)) {
	case ADDR_LOOPBACK: case ADDR_LINKLOCAL: case ADDR_MULTICAST:
		return false;
	case ADDR_RESERVED:	/* 0/8, 240/4 and :: say "none"; 192.0.0/24 is DS-Lite's */
		return rfc != NULL && strcmp(rfc, "RFC 1122") != 0 &&
		    strcmp(rfc, "RFC 1112") != 0 && !(a->family == AF_INET6 &&
		    !strcmp(rfc, "RFC 4291"));
	default:
		return a->family != 0;
	}
}

const char *
addr_scope_name(enum addr_scope scope)
{
	static const char *const names[] = {
		[ADDR_PUBLIC] = "public", [ADDR_PRIVATE] = "private",
		[ADDR_SHARED] = "carrier-grade NAT",
		[ADDR_LOOPBACK] = "loopback", [ADDR_LINKLOCAL] = "link-local",
		[ADDR_DOCUMENTATION] = "documentation",
		[ADDR_BENCHMARK] = "benchmark", [ADDR_MULTICAST] = "multicast",
		[ADDR_RESERVED] = "reserved",
	};
	return NAME_OF(names, scope, "unknown");
}
