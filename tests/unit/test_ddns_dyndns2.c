/* SPDX-License-Identifier: BSD-2-Clause */
/* dyndns2 replies: every code, and replies that only look right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ddns/provider.h"

static const struct {
	const char *body;
	long status;
	enum ddns_outcome outcome;
	const char *result;
} cases[] = {
	{ "good 5.0.1.2\n", 200, DDNS_OK, "good" },
	{ "good 5.0.1.2", 200, DDNS_OK, "good" },
	{ "good\r\n", 200, DDNS_OK, "good" },
	{ "nochg 5.0.1.2\n", 200, DDNS_NOCHG, "nochg" },
	{ "good 2001:db8::1\n", 200, DDNS_OK, "good" },
	{ "badauth\n", 401, DDNS_STOP, "badauth" },
	{ "badauth\n", 200, DDNS_STOP, "badauth" },
	{ "!donator\n", 200, DDNS_STOP, "!donator" },
	{ "notfqdn\n", 200, DDNS_STOP, "notfqdn" },
	{ "nohost\n", 200, DDNS_STOP, "nohost" },
	{ "!yours\n", 200, DDNS_STOP, "!yours" },
	{ "numhost\n", 200, DDNS_STOP, "numhost" },
	{ "abuse\n", 200, DDNS_STOP, "abuse" },
	{ "badagent\n", 200, DDNS_STOP, "badagent" },
	{ "badsys\n", 200, DDNS_STOP, "badsys" },
	{ "dnserr\n", 200, DDNS_RETRY, "dnserr" },
	{ "911\n", 500, DDNS_RETRY_LONG, "911" },
	{ "911\n", 200, DDNS_RETRY_LONG, "911" },
	/* Replies that only look like answers. */
	{ "<html><body>good</body></html>\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "Good 5.0.1.2\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "goodness 5.0.1.2\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "good not-an-address\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "good 5.0.1.2 and more\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "", 200, DDNS_RETRY, "HTTP-200" },
	{ "good 5.0.1.2\ngood 5.0.1.2\n", 200, DDNS_RETRY, "HTTP-200" },
	{ "", 500, DDNS_RETRY, "HTTP-500" },
	{ "Internal Server Error", 500, DDNS_RETRY, "HTTP-500" },
	{ "", 401, DDNS_STOP, "HTTP-401" },
	{ "<html>Forbidden</html>", 403, DDNS_STOP, "HTTP-403" },
	/* The status first: a success word on an error page is no success. */
	{ "good 5.0.1.2\n", 500, DDNS_RETRY, "HTTP-500" },
	{ "good 5.0.1.2\n", 404, DDNS_RETRY, "HTTP-404" },
	{ "nochg 5.0.1.2\n", 503, DDNS_RETRY, "HTTP-503" },
	{ "good 5.0.1.2\n", 302, DDNS_RETRY, "HTTP-302" },
	{ "good 5.0.1.2\n", 401, DDNS_STOP, "HTTP-401" },
	{ "badauth\n", 403, DDNS_STOP, "badauth" },
};

static void
test_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ddns_answer a;
		dyndns2_parse(cases[i].body, strlen(cases[i].body), cases[i].status, &a);
		if (a.outcome != cases[i].outcome || strcmp(a.result, cases[i].result))
			fail_msg("case %zu (\"%s\", %ld): got %d %s, want %d %s", i,
			    cases[i].body, cases[i].status, a.outcome, a.result,
			    cases[i].outcome, cases[i].result);
	}
}

static void
test_too_long_or_binary(void **state)
{
	static char big[5000];
	struct ddns_answer a;

	(void)state;
	memset(big, 'g', sizeof(big));
	dyndns2_parse(big, sizeof(big), 200, &a);
	assert_int_equal(a.outcome, DDNS_RETRY);
	dyndns2_parse("good\0 5.0.1.2", 13, 200, &a);
	assert_int_equal(a.outcome, DDNS_RETRY);
	assert_non_null(strstr(a.detail, "not text"));
}

static void
test_several_hosts(void **state)
{
	struct ddns_answer a[3];
	static const char three[] = "good 5.0.1.2\nnohost\r\nnochg 5.0.1.2\n";

	(void)state;
	dyndns2_parse_hosts(three, strlen(three), 200, 3, a);
	assert_int_equal(a[0].outcome, DDNS_OK);
	assert_int_equal(a[1].outcome, DDNS_STOP);
	assert_string_equal(a[1].result, "nohost");
	assert_int_equal(a[2].outcome, DDNS_NOCHG);
	/* Too few lines: no host is taken as updated. */
	dyndns2_parse_hosts("good 5.0.1.2\n", 13, 200, 3, a);
	for (int i = 0; i < 3; i++)
		assert_int_equal(a[i].outcome, DDNS_RETRY);
	assert_string_equal(a[2].detail, "1 reply lines for 3 host names");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_too_long_or_binary),
		cmocka_unit_test(test_several_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
