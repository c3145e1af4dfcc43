/* SPDX-License-Identifier: BSD-2-Clause */
/* The relay's homes file, its next home, and its rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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

/* The rules: each home's ports to its address, both protocols, and the
 * tunnel closed to anything else but answers. */
static void
test_rules(void **state)
{
	struct relay_home h;
	char why[120], buf[2048];

	(void)state;
	relayhomes_line("a " KEY_A " 10.77.0.2 20000-20009", &h, why, sizeof(why));
	assert_true(relayrules_text(&relay, "5.0.2.5", &h, 1, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "ip daddr 5.0.2.5 tcp dport 20000-20009 "
	    "dnat to 10.77.0.2\n"));
	assert_non_null(strstr(buf, "ip daddr 5.0.2.5 udp dport 20000-20009 "
	    "dnat to 10.77.0.2\n"));
	assert_non_null(strstr(buf, "oifname \"hr-relay0\" ct state new ct "
	    "status dnat accept\n"));
	assert_non_null(strstr(buf, "iifname \"hr-relay0\" drop\n"));
	assert_null(strstr(buf, "masquerade"));	/* the visitor's address kept */
	assert_int_equal(relayrules_text(&relay, "5.0.2.5", &h, 1, buf, 64), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
