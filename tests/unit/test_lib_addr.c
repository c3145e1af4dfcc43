/* SPDX-License-Identifier: BSD-2-Clause */
/* The reserved-range table, case by case (boundaries on both sides). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"

static const struct {
	const char *addr;
	enum addr_scope scope;
	const char *rfc;
} cases[] = {
	{ "5.0.1.2", ADDR_PUBLIC, NULL },
	{ "8.8.8.8", ADDR_PUBLIC, NULL },
	{ "0.0.0.0", ADDR_RESERVED, "RFC 1122" },
	{ "9.255.255.255", ADDR_PUBLIC, NULL },
	{ "10.0.0.0", ADDR_PRIVATE, "RFC 1918" },
	{ "10.255.255.255", ADDR_PRIVATE, "RFC 1918" },
	{ "11.0.0.0", ADDR_PUBLIC, NULL },
	{ "100.63.255.255", ADDR_PUBLIC, NULL },
	{ "100.64.0.0", ADDR_SHARED, "RFC 6598" },
	{ "100.127.255.255", ADDR_SHARED, "RFC 6598" },
	{ "100.128.0.0", ADDR_PUBLIC, NULL },
	{ "127.0.0.1", ADDR_LOOPBACK, "RFC 1122" },
	{ "169.254.1.1", ADDR_LINKLOCAL, "RFC 3927" },
	{ "172.15.255.255", ADDR_PUBLIC, NULL },
	{ "172.16.0.0", ADDR_PRIVATE, "RFC 1918" },
	{ "172.31.255.255", ADDR_PRIVATE, "RFC 1918" },
	{ "172.32.0.0", ADDR_PUBLIC, NULL },
	{ "192.0.0.8", ADDR_RESERVED, "RFC 6890" },
	{ "192.0.2.1", ADDR_DOCUMENTATION, "RFC 5737" },
	{ "192.88.99.1", ADDR_RESERVED, "RFC 7526" },
	{ "192.167.255.255", ADDR_PUBLIC, NULL },
	{ "192.168.1.1", ADDR_PRIVATE, "RFC 1918" },
	{ "198.17.255.255", ADDR_PUBLIC, NULL },
	{ "198.18.0.0", ADDR_BENCHMARK, "RFC 2544" },
	{ "198.19.255.255", ADDR_BENCHMARK, "RFC 2544" },
	{ "198.20.0.0", ADDR_PUBLIC, NULL },
	{ "198.51.100.7", ADDR_DOCUMENTATION, "RFC 5737" },
	{ "203.0.113.7", ADDR_DOCUMENTATION, "RFC 5737" },
	{ "224.0.0.1", ADDR_MULTICAST, "RFC 5771" },
	{ "239.255.255.250", ADDR_MULTICAST, "RFC 5771" },
	{ "240.0.0.1", ADDR_RESERVED, "RFC 1112" },
	{ "255.255.255.255", ADDR_RESERVED, "RFC 1112" },
	{ "::", ADDR_RESERVED, "RFC 4291" },
	{ "::1", ADDR_LOOPBACK, "RFC 4291" },
	{ "::2", ADDR_RESERVED, "RFC 4291" },	/* IPv4-compatible */
	{ "::ffff:10.1.2.3", ADDR_PRIVATE, "RFC 1918" },	/* unwrapped */
	{ "::ffff:100.64.1.1", ADDR_SHARED, "RFC 6598" },
	{ "::ffff:5.0.1.2", ADDR_PUBLIC, NULL },
	{ "64:ff9b::1.2.3.4", ADDR_RESERVED, "RFC 6052" },
	{ "64:ff9b:1::1", ADDR_RESERVED, "RFC 8215" },
	{ "100::1", ADDR_RESERVED, "RFC 6666" },
	{ "2001::1", ADDR_RESERVED, "RFC 4380" },
	{ "2001:2::1", ADDR_BENCHMARK, "RFC 5180" },
	{ "2001:db8::1", ADDR_DOCUMENTATION, "RFC 3849" },
	{ "2001:db9::1", ADDR_PUBLIC, NULL },
	{ "2002::1", ADDR_RESERVED, "RFC 7526" },
	{ "2606:4700::1111", ADDR_PUBLIC, NULL },
	{ "3fff::1", ADDR_DOCUMENTATION, "RFC 9637" },
	{ "3fff:1000::1", ADDR_PUBLIC, NULL },
	{ "5f00::1", ADDR_RESERVED, "RFC 9602" },
	{ "fc00::1", ADDR_PRIVATE, "RFC 4193" },
	{ "fdff:ffff::1", ADDR_PRIVATE, "RFC 4193" },
	{ "fe80::1", ADDR_LINKLOCAL, "RFC 4291" },
	{ "febf::1", ADDR_LINKLOCAL, "RFC 4291" },
	{ "fec0::1", ADDR_RESERVED, "RFC 3879" },
	{ "ff02::1", ADDR_MULTICAST, "RFC 4291" },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netaddr a;
		const char *rfc;
		if (addr_parse(cases[i].addr, &a) != 0)
			fail_msg("%s does not parse", cases[i].addr);
		if (addr_classify(&a) != cases[i].scope)
			fail_msg("%s: %s, expected %s", cases[i].addr,
			    addr_scope_name(addr_classify(&a)),
			    addr_scope_name(cases[i].scope));
		rfc = addr_rfc(&a);
		if ((rfc == NULL) != (cases[i].rfc == NULL) ||
		    (rfc && strcmp(rfc, cases[i].rfc) != 0))
			fail_msg("%s: %s, expected %s", cases[i].addr,
			    rfc ? rfc : "none", cases[i].rfc ? cases[i].rfc : "none");
		assert_int_equal(addr_is_public(&a), cases[i].scope == ADDR_PUBLIC);
	}
}

/* What a router may claim as its WAN address: a host's address, or
 * nothing we can use. */
static void
test_is_host(void **state)
{
	static const struct { const char *addr; bool host; } hosts[] = {
		{ "5.0.1.2", true }, { "192.168.0.2", true }, { "100.64.0.2", true },
		{ "192.0.0.2", true },	/* DS-Lite B4 (RFC 6333) */
		{ "192.0.2.1", true }, { "198.18.0.1", true },
		{ "0.0.0.0", false }, { "0.1.2.3", false }, { "127.0.0.1", false },
		{ "169.254.1.1", false }, { "224.0.0.1", false },
		{ "239.255.255.250", false }, { "240.0.0.1", false },
		{ "255.255.255.255", false },
		{ "2a05:5::2", true }, { "fd00::1", true }, { "::", false },
		{ "::1", false }, { "fe80::1", false }, { "ff02::1", false },
		{ "::5", false },
	};
	struct netaddr a;

	(void)state;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		assert_int_equal(addr_parse(hosts[i].addr, &a), 0);
		if (addr_is_host(&a) != hosts[i].host)
			fail_msg("%s: host %d, expected %d", hosts[i].addr,
			    addr_is_host(&a), hosts[i].host);
	}
	memset(&a, 0, sizeof(a));
	assert_false(addr_is_host(&a));
}

static void
test_parse(void **state)
{
	static const char *bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1",
	    "abc", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "::g", "[::1]" };
	struct netaddr a;
	char text[ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (addr_parse(bad[i], &a) == 0)
			fail_msg("\"%s\" parsed", bad[i]);
	assert_int_equal(addr_parse("::ffff:192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET);	/* IPv4-mapped unwrapped */
	assert_string_equal(addr_ntop(&a, text, sizeof(text)), "192.0.2.1");
}

static void
test_sockaddr_roundtrip(void **state)
{
	struct sockaddr_storage ss;
	struct netaddr a, b;
	uint16_t port;

	(void)state;
	addr_parse("2001:db8::7", &a);
	addr_to_sockaddr(&a, 3478, &ss);
	addr_from_sockaddr((struct sockaddr *)&ss, &b, &port);
	assert_true(addr_equal(&a, &b));
	assert_int_equal(port, 3478);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_is_host),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sockaddr_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
