/* SPDX-License-Identifier: BSD-2-Clause */
/* The ground floor's codecs and tables: base64 (strict, RFC 4648 section 4
 * and 10), network byte order, and name lookups that never run past a
 * table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base64.h"
#include "lib/names.h"
#include "lib/wire.h"

static void
test_base64_good(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		/* RFC 4648 section 10 */
		{ "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" },
		{ "Zm9vYmFy", "foobar" },
		{ "YWxpY2U6cGE6c3M=", "alice:pa:ss" },
	};
	uint8_t out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = base64_decode(cases[i].in, out, sizeof(out));
		assert_int_equal(n, (int)strlen(cases[i].out));
		assert_memory_equal(out, cases[i].out, (size_t)n);
	}
}

static void
test_base64_bad(void **state)
{
	/* The last four are what OpenSSL's EVP_DecodeBlock takes and ldns's
	 * b64_pton skips: this decoder refuses them. */
	static const char *bad[] = { "", "Zg=", "Zg", "Z===", "====",
	    "Zm9v*mFy", "Zm9vYmF\n", "Zm=v", "Y===", "YW=I", "YQ==YQ==",
	    "Y Q==" };
	uint8_t out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (base64_decode(bad[i], out, sizeof(out)) != -1)
			fail_msg("\"%s\" taken", bad[i]);
	/* Room: exactly the decoded length fits, one less does not. */
	assert_int_equal(base64_decode("Zm9vYmFy", out, 6), 6);
	assert_int_equal(base64_decode("Zm9vYmFy", out, 5), -1);
	assert_int_equal(base64_decode("Zm8=", out, 2), 2);
}

static void
test_wire(void **state)
{
	uint8_t b[4];

	(void)state;
	wire_put32(b, 0x01020304);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[3], 4);
	assert_int_equal(wire_get32(b), 0x01020304);
	wire_put16(b, 0xbeef);
	assert_int_equal(wire_get16(b), 0xbeef);
	b[0] = 0xff, b[1] = 0xfe;
	assert_int_equal(wire_get16(b), 0xfffe);
}

static void
test_names(void **state)
{
	static const char *const names[] = { "zero", NULL, "two" };

	(void)state;
	assert_string_equal(NAME_OF(names, 0, "?"), "zero");
	assert_string_equal(NAME_OF(names, 1, "?"), "?");	/* a hole */
	assert_string_equal(NAME_OF(names, 2, "?"), "two");
	assert_string_equal(NAME_OF(names, 3, "?"), "?");	/* past the end */
	assert_string_equal(NAME_OF(names, 65535, "?"), "?");
	assert_int_equal(names_find(names, NAMES_COUNT(names), "TWO"), 2);
	assert_int_equal(names_find(names, NAMES_COUNT(names), "one"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_good),
		cmocka_unit_test(test_base64_bad),
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
