/* SPDX-License-Identifier: BSD-2-Clause */
/* The relay's homes file, its next home, its grants, and its rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>

#include <cmocka.h>

#include "nat/pcp.h"
#include "relay/relaygrants.h"
#include "relay/relayhomes.h"
#include "relay/relayrules.h"

#define KEY_A	"QqO0VICYsflCQDgjc8LL3vMsvG/W4kfLNeJ1xbaUxUc="
#define KEY_B	"2XPWv2hDGp5LjVp+xGOTWWZlX0f/C1rJmZ3M3pU/R3A="

static const struct relay_config relay = { .set = true, .port_lo = 20000,
	.port_hi = 20099, .interface = "hr-relay0", .subnet = { 10, 77, 0, 0 },
	.quota = 10 };

/* One line each: what is taken, and why the rest is not. */
static void
test_line(void **state)
{
	static const struct { const char *line; int want; const char *why; } t[] = {
		{ "alice " KEY_A " 10.77.0.2 20000-20009", 1, NULL },
		{ "  # a comment", 0, NULL },
		{ "", 0, NULL },
		{ "alice " KEY_A " 10.77.0.2", -1,
		    "want NAME PUBLIC-KEY ADDRESS LOW-HIGH" },
		{ "alice " KEY_A " 10.77.0.2 20000-20009 more", -1,
		    "want NAME PUBLIC-KEY ADDRESS LOW-HIGH" },
		{ "al/ice " KEY_A " 10.77.0.2 20000-20009", -1,
		    "a name is letters, digits, - _ ." },
		{ "alice short= 10.77.0.2 20000-20009", -1,
		    "not a WireGuard public key (44 characters of base64)" },
		{ "alice " KEY_A " 10.77.0.256 20000-20009", -1,
		    "not an IPv4 address" },
		{ "alice " KEY_A " 10.77.0.2 20009-20000", -1,
		    "ports: want LOW-HIGH within 1-65535" },
	};
	struct relay_home h;
	char why[120];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = relayhomes_line(t[i].line, &h, why, sizeof(why));
		if (rc != t[i].want)
			fail_msg("\"%s\": %d, not %d", t[i].line, rc, t[i].want);
		if (t[i].why)
			assert_string_equal(why, t[i].why);
	}
	relayhomes_line(t[0].line, &h, why, sizeof(why));
	assert_string_equal(h.name, "alice");
	assert_int_equal(h.address[3], 2);
	assert_int_equal(h.port_hi, 20009);
}

/* The whole file: nothing twice, nothing outside the relay's own. */
static void
test_file(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "a " KEY_A " 10.77.0.2 20000-20009\na " KEY_B " 10.77.0.3 20010-20019\n",
		    "line 2: another home has this name" },
		{ "a " KEY_A " 10.77.0.2 20000-20009\nb " KEY_A " 10.77.0.3 20010-20019\n",
		    "line 2: another home has this key" },
		{ "a " KEY_A " 10.77.0.2 20000-20009\nb " KEY_B " 10.77.0.2 20010-20019\n",
		    "line 2: another home has this address" },
		{ "a " KEY_A " 10.77.0.2 20000-20009\nb " KEY_B " 10.77.0.3 20009-20019\n",
		    "line 2: another home has one of these ports" },
		{ "a " KEY_A " 10.78.0.2 20000-20009\n",
		    "line 1: its address is not a home's in the relay's subnet" },
		{ "a " KEY_A " 10.77.0.1 20000-20009\n",
		    "line 1: its address is not a home's in the relay's subnet" },
		{ "a " KEY_A " 10.77.0.2 19990-20009\n",
		    "line 1: its ports are not within the relay's" },
	};
	struct relay_home homes[4];
	char why[120];
	static const char good[] = "# homes\na " KEY_A " 10.77.0.2 20000-20009"
	    "\n\nb " KEY_B " 10.77.0.3 20010-20019";
	static const char two[] = "a " KEY_A " 10.77.0.2 20000-20009\n"
	    "b " KEY_B " 10.77.0.3 20010-20019\n";

	(void)state;
	assert_int_equal(relayhomes_parse(good, strlen(good), &relay, homes, 4,
	    why, sizeof(why)), 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (relayhomes_parse(bad[i].text, strlen(bad[i].text), &relay, homes,
		    4, why, sizeof(why)) != -1)
			fail_msg("taken: %s", bad[i].text);
		assert_string_equal(why, bad[i].why);
	}
	assert_int_equal(relayhomes_parse(two, strlen(two), &relay, homes, 1, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "line 2: more than 1 homes");
}

/* The next home: the first free address and the first free ports. */
static void
test_next(void **state)
{
	struct relay_home homes[2], h;
	char why[120], line[200];

	(void)state;
	relayhomes_line("a " KEY_A " 10.77.0.3 20000-20009", &homes[0], why,
	    sizeof(why));
	assert_int_equal(relayhomes_next(homes, 1, &relay, 10, &h, why,
	    sizeof(why)), 0);
	assert_int_equal(h.address[3], 2);		/* .2 is free */
	assert_int_equal(h.port_lo, 20010);
	relayhomes_line("b " KEY_B " 10.77.0.2 20010-20099", &homes[1], why,
	    sizeof(why));
	assert_int_equal(relayhomes_next(homes, 2, &relay, 10, &h, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "the relay's ports are all given");
	strcpy(h.name, "c");
	strcpy(h.key, KEY_A);
	h.port_lo = 20000, h.port_hi = 20009;
	relayhomes_format(&h, line, sizeof(line));
	assert_string_equal(line, "c " KEY_A " 10.77.0.4 20000-20009\n");
}

/* Grants: the port a service had, a suggested one of the home's own, the
 * first free, the oldest dormant when all are given; another home's port
 * never; a quota that says so. */
static void
test_grants(void **state)
{
	struct relay_home a, b;
	struct relay_grant g[8];
	char why[120];
	int n = 0;

	(void)state;
	relayhomes_line("a " KEY_A " 10.77.0.2 20000-20001", &a, why, sizeof(why));
	relayhomes_line("b " KEY_B " 10.77.0.3 20002-20003", &b, why, sizeof(why));
	/* suggested 8080 is not a's: the first free */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 8080, 8080,
	    1000, 1), 0);
	assert_int_equal(g[0].public_port, 20000);
	/* suggested 20001: a's and free */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 22, 20001,
	    1000, 2), 1);
	assert_int_equal(g[1].public_port, 20001);
	/* the same service again: the same port, whatever is suggested */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 8080, 20001,
	    1000, 3), 0);
	/* UDP is another port space */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_UDP, 5353, 0,
	    1000, 3), 2);
	assert_int_equal(g[2].public_port, 20000);
	/* a third TCP service: both ports live, the quota is used */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 443, 20002,
	    1000, 4), -PCP_USER_EX_QUOTA);
	/* b suggests a's port: b's own first */
	assert_int_equal(relaygrants_ask(g, &n, 8, &b, IPPROTO_TCP, 8080, 20000,
	    1000, 4), 3);
	assert_int_equal(g[3].public_port, 20002);
	/* 8080 deleted: dormant, its port still its own; the other leases
	 * end (22, 5353, b's 8080) */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 8080, 0, 0,
	    5), 0);
	assert_int_equal(relaygrants_expire(g, n, 1000), 3);
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 8080, 0,
	    2000, 1001), 0);
	assert_int_equal(g[0].public_port, 20000);
	/* 443: 22's is dormant, but kept an hour after it was asked for */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 443, 0, 2000,
	    1002), -PCP_USER_EX_QUOTA);
	/* then it takes the oldest dormant: 22's */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 443, 0, 9000,
	    2 + RELAYGRANTS_KEEP_S), 1);
	assert_int_equal(g[1].public_port, 20001);
	assert_int_equal(g[1].internal_port, 443);
	/* a deletion of nothing */
	assert_int_equal(relaygrants_ask(g, &n, 8, &a, IPPROTO_TCP, 9, 0, 0,
	    5000), RELAYGRANTS_NONE);
}

/* The grants file: written and read back (dormant), a home gone and a
 * port no longer its own dropped, a bad line named. */
static void
test_grants_file(void **state)
{
	struct relay_home h[2];
	struct relay_grant g[4], back[4];
	char why[120], text[512];
	int n = 0;

	(void)state;
	relayhomes_line("a " KEY_A " 10.77.0.2 20000-20009", &h[0], why,
	    sizeof(why));
	relayhomes_line("b " KEY_B " 10.77.0.3 20010-20019", &h[1], why,
	    sizeof(why));
	relaygrants_ask(g, &n, 4, &h[0], IPPROTO_TCP, 8080, 0, 100, 1);
	relaygrants_ask(g, &n, 4, &h[1], IPPROTO_UDP, 5353, 0, 100, 1);
	assert_true(relaygrants_format(g, n, text, sizeof(text)) > 0);
	assert_string_equal(text, KEY_A " tcp 8080 20000\n" KEY_B
	    " udp 5353 20010\n");
	assert_int_equal(relaygrants_format(g, n, text, 20), -1);
	relaygrants_format(g, n, text, sizeof(text));
	assert_int_equal(relaygrants_parse(text, strlen(text), h, 2, back, 4, 7,
	    why, sizeof(why)), 2);
	assert_int_equal(back[0].until, 0);
	assert_int_equal(back[0].asked, 7);
	assert_int_equal(back[1].public_port, 20010);
	assert_int_equal(relaygrants_parse(text, strlen(text), h, 1, back, 4, 7,
	    why, sizeof(why)), 1);	/* b is gone */
	h[0].port_hi = h[0].port_lo = 20005;
	assert_int_equal(relaygrants_parse(text, strlen(text), h, 2, back, 4, 7,
	    why, sizeof(why)), 1);	/* 20000 no longer a's */
	assert_int_equal(relaygrants_parse("# grants\n\n" KEY_A " sctp 1 2\n",
	    30 + 44 + 11, h, 2, back, 4, 7, why, sizeof(why)), -1);
	assert_string_equal(why, "line 3: protocol \"sctp\": tcp or udp");
	assert_int_equal(relaygrants_parse(KEY_A " tcp 0 20000", 56, h, 2, back,
	    4, 7, why, sizeof(why)), -1);
	assert_string_equal(why, "line 1: port out of 1-65535");
}

/* The rules: each live grant's port to its home's address and port, a
 * dormant one not at all, and the tunnel closed to anything else but
 * answers and the relay's PCP. */
static void
test_rules(void **state)
{
	struct relay_home h;
	struct relay_grant g[2];
	char why[120], buf[2048];
	int n = 0;

	(void)state;
	relayhomes_line("a " KEY_A " 10.77.0.2 20000-20009", &h, why, sizeof(why));
	relaygrants_ask(g, &n, 2, &h, IPPROTO_TCP, 8080, 0, 100, 1);
	relaygrants_ask(g, &n, 2, &h, IPPROTO_UDP, 5353, 0, 0, 1);
	relaygrants_ask(g, &n, 2, &h, IPPROTO_UDP, 5353, 0, 0, 1);
	assert_int_equal(n, 1);		/* a deletion of nothing adds nothing */
	relaygrants_ask(g, &n, 2, &h, IPPROTO_UDP, 5353, 0, 100, 1);
	relaygrants_ask(g, &n, 2, &h, IPPROTO_UDP, 5353, 0, 0, 2);
	assert_true(relayrules_text(&relay, "5.0.2.5", &h, 1, g, n, buf,
	    sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "ip daddr 5.0.2.5 tcp dport 20000 "
	    "dnat to 10.77.0.2:8080\n"));
	assert_null(strstr(buf, "udp dport 20000"));	/* dormant */
	assert_non_null(strstr(buf, "oifname \"hr-relay0\" ct state new ct "
	    "status dnat accept\n"));
	assert_non_null(strstr(buf, "iifname \"hr-relay0\" udp dport 5351 "
	    "accept\n"));
	assert_non_null(strstr(buf, "iifname \"hr-relay0\" drop\n"));
	assert_null(strstr(buf, "masquerade"));	/* the visitor's address kept */
	assert_int_equal(relayrules_text(&relay, "5.0.2.5", &h, 1, g, n, buf, 64),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_grants),
		cmocka_unit_test(test_grants_file),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
