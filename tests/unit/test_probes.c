/* SPDX-License-Identifier: BSD-2-Clause */
/* probes/: HTTP echo bodies, a check server's answers, and how the IPv6
 * candidates are ranked. (The STUN codec: test_lib_stun.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "probes/echo.h"
#include "probes/lifetime.h"
#include "probes/reach.h"
#include "probes/seen6.h"

static const struct { const char *body; const char *addr, *reason; } echo_cases[] = {
	{ "5.0.1.2\n", "5.0.1.2", NULL },
	{ "5.0.1.2", "5.0.1.2", NULL },
	{ "5.0.1.2\r\n", "5.0.1.2", NULL },
	{ "2001:db8::1\n", "2001:db8::1", NULL },
	{ "", NULL, "empty body" },
	{ "\n", NULL, "empty body" },
	{ " 5.0.1.2\n", NULL, "not an address" },
	{ "<html><body>Your IP: 5.0.1.2</body></html>\n", NULL, "not an address: \"<html><body>Your IP:\"" },
	{ "5.0.1.2\n5.0.1.3\n", NULL, "not an address" },
	{ "ip=5.0.1.2", NULL, "not an address" },
	{ "999.0.1.2", NULL, "not an address" },
};

static void
test_echo_body(void **state)
{
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct netaddr out;

	(void)state;
	for (size_t i = 0; i < sizeof(echo_cases) / sizeof(echo_cases[0]); i++) {
		int rc = echo_parse_body(echo_cases[i].body,
		    strlen(echo_cases[i].body), &out, why, sizeof(why));
		if (echo_cases[i].addr != NULL) {
			if (rc != 0)
				fail_msg("\"%s\": %s", echo_cases[i].body, why);
			assert_string_equal(addr_ntop(&out, a, sizeof(a)),
			    echo_cases[i].addr);
		} else if (rc == 0 || strstr(why, echo_cases[i].reason) == NULL) {
			fail_msg("\"%s\": rc %d, \"%s\"", echo_cases[i].body, rc, why);
		}
	}
	assert_int_equal(echo_parse_body("5.0.1.2\0x", 9, &out, why,
	    sizeof(why)), -EBADMSG);
}

static void
test_reach_parse(void **state)
{
	static const struct { int code; const char *body, *result, *detail; }
	cases[] = {
		{ 200, "{\"address\": \"5.0.1.2\", \"port\": 8080, \"proto\": "
		    "\"tcp\", \"result\": \"open\", \"ms\": 0}\n", "open", "" },
		{ 200, "{\"result\": \"closed\"}", "closed", "" },
		{ 200, "{\"result\": \"no-answer\"}", "no-answer", "" },
		{ 200, "{\"result\": \"unreachable\"}", "unreachable", "" },
		{ 200, "{\"result\": \"pwned\"}", "error",
		    "the check server answered an unknown result \"pwned\"" },
		{ 200, "{\"result\": \"op\\u001b[2Jen\"}", "error",
		    "the check server answered an unknown result \"(not printable)\"" },
		{ 200, "{\"result\": \"open\", \"result\": \"closed\"}", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "{\"result\": 1}", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "[\"open\"]", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "open", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, NULL, "error",
		    "the check server answered HTTP 200 without a result" },
		{ 429, "One check at a time from your address.\n", "error",
		    "the check server answered HTTP 429 without a result" },
		{ 404, "{\"result\": \"open\"}", "error",
		    "the check server answered HTTP 404 without a result" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reach_result r;
		const char *b = cases[i].body;
		reach_parse(cases[i].code, b, b ? strlen(b) : 0, &r);
		if (strcmp(r.result, cases[i].result) ||
		    strcmp(r.detail, cases[i].detail))
			fail_msg("case %zu: got %s \"%s\"", i, r.result, r.detail);
	}
}

/* Every global address, with what the kernel says of it; a tentative one
 * (duplicate address detection under way) is not usable yet. */
static void
test_seen6_rank(void **state)
{
	static const char text[] =
	    "2a05deadbeef00000000000000000010 02 40 00 80     eth0\n" /* rogue */
	    "2a050005000100000000000000000010 02 40 00 20     eth0\n" /* ours, deprecated */
	    "2a0500050001000000000000000000aa 02 40 00 01     eth0\n" /* temporary */
	    "2a050005000200000000000000000010 02 40 00 80     eth0\n"; /* new */
	struct netif_addr6 all[8], out[8];
	struct netaddr ours, fresh;
	char s[ADDR_STRLEN];
	int n = netif_parse_inet6_all(text, all, 8), k;

	(void)state;
	addr_parse("2a05:5:1::10", &ours);
	addr_parse("2a05:5:2::10", &fresh);
	k = seen6_rank(all, n, &ours, out, 8);
	assert_int_equal(k, 3);
	assert_string_equal(addr_ntop(&out[0].address, s, sizeof(s)), "2a05:dead:beef::10");
	assert_string_equal(addr_ntop(&out[1].address, s, sizeof(s)), "2a05:5:2::10");
	assert_string_equal(addr_ntop(&out[2].address, s, sizeof(s)), "2a05:5:1::10");
	k = seen6_rank(all, n, &fresh, out, 8);	/* the current one first */
	assert_string_equal(addr_ntop(&out[0].address, s, sizeof(s)), "2a05:5:2::10");
	assert_int_equal(seen6_rank(all, n, NULL, out, 2), 2);
	assert_true(seen6_stale(all, n, &ours));	/* deprecated */
	assert_false(seen6_stale(all, n, &fresh));	/* a rogue beside it: no */
	assert_true(seen6_stale(all, n, NULL));
	addr_parse("2a05:5:3::10", &fresh);
	assert_true(seen6_stale(all, n, &fresh));	/* gone */
}

/* The keep-alive a binding lifetime asks for: a second under the longest
 * silence survived, at least 2 s; nothing measured keeps the fallback. */
static void
test_lifetime_interval(void **state)
{
	static const struct { bool ok; int alive, died, want; } t[] = {
		{ true, 22, 30, 21 },	/* the lab's 30 s window */
		{ true, 8, 11, 7 },
		{ true, 120, 0, 119 },	/* none died */
		{ true, 3, 5, 2 },
		{ true, 0, 3, 2 },	/* not even 3 s: as often as allowed */
		{ true, 0, 0, 14 },	/* nothing tried */
		{ false, 22, 30, 14 },	/* the server does not take RESPONSE-PORT */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct lifetime_result r = { .ok = t[i].ok, .alive_s = t[i].alive,
		    .died_s = t[i].died };
		assert_int_equal(lifetime_interval(&r, 14), t[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_body),
		cmocka_unit_test(test_reach_parse),
		cmocka_unit_test(test_seen6_rank),
		cmocka_unit_test(test_lifetime_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
