/* SPDX-License-Identifier: BSD-2-Clause */
/* The ground floor's codecs and tables: base64 (strict, RFC 4648 section 4
 * and 10), network byte order, name lookups that never run past a table,
 * HTTP request heads and Basic credentials. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/base64.h"
#include "lib/httphead.h"
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

static void
test_basic_auth(void **state)
{
	char user[128], pass[256];

	(void)state;
	/* "alice:pa:ss" - the password may hold a colon, the user not */
	assert_int_equal(httphead_basic_auth("Basic YWxpY2U6cGE6c3M=", user,
	    sizeof(user), pass, sizeof(pass)), 0);
	assert_string_equal(user, "alice");
	assert_string_equal(pass, "pa:ss");
	assert_int_equal(httphead_basic_auth("basic  YWxpY2U6", user, sizeof(user),
	    pass, sizeof(pass)), 0);		/* "alice:", empty password */
	assert_string_equal(pass, "");
	/* ":pass": no user name (the status page takes any; the redirect
	 * server finds no such user) */
	assert_int_equal(httphead_basic_auth("Basic OnBhc3M=", user, sizeof(user),
	    pass, sizeof(pass)), 0);
	assert_string_equal(user, "");
	assert_string_equal(pass, "pass");
	static const char *bad[] = { NULL, "", "Basic", "Basic ", "Bearer abc",
	    "Basic YWxpY2U", "Basic YWxpY2U=", "Basic =YWxpY2U6", "Basic YWxp*2U6",
	    "Basic YWxpY2U=====", "Basic YQBiOmM=" /* NUL inside */ };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (httphead_basic_auth(bad[i], user, sizeof(user), pass,
		    sizeof(pass)) != -1)
			fail_msg("\"%s\" taken", bad[i] ? bad[i] : "(null)");
}

static int
head(const char *text, struct httphead *h)
{
	return httphead_parse(text, strlen(text), h);
}

static void
test_httphead(void **state)
{
	struct httphead h;
	const char *req = "GET /a?b HTTP/1.1\r\nHost: nas.example.com\r\n"
	    "User-Agent: x\r\n\r\nGET /next";

	(void)state;
	assert_int_equal(head(req, &h), (int)(strstr(req, "GET /next") - req));
	assert_int_equal(h.method, HTTPHEAD_GET);
	assert_int_equal(h.target_len, 4);
	assert_memory_equal(h.target, "/a?b", 4);
	assert_int_equal(h.host_len, 15);
	assert_memory_equal(h.host, "nas.example.com", 15);
	assert_true(h.keep_alive);
	assert_null(h.auth);
	assert_true(head("GET /nic/update HTTP/1.1\r\nHost: a.b\r\n"
	    "Authorization:  Basic YTpi \r\n\r\n", &h) > 0);
	assert_int_equal(h.auth_len, 10);		/* OWS trimmed */
	assert_memory_equal(h.auth, "Basic YTpi", 10);
	assert_int_equal(head("HEAD / HTTP/1.0\n\n", &h), 17);	/* bare LF */
	assert_int_equal(h.method, HTTPHEAD_HEAD);
	assert_false(h.keep_alive);			/* 1.0 closes */
	assert_null(h.host);
	assert_true(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &h) > 0);
	assert_true(h.keep_alive);
	assert_true(head("GET / HTTP/1.1\r\nHost: a.b\r\nConnection: te, close\r\n\r\n", &h) > 0);
	assert_false(h.keep_alive);
	assert_true(head("\r\nGET / HTTP/1.1\r\nHost: a.b\r\nContent-Length: 0\r\n\r\n", &h) > 0);
	assert_true(head("GET / HTTP/1.1\r\nHost:a.b  \r\n\r\n", &h) > 0);
	assert_int_equal(h.host_len, 3);		/* OWS trimmed */

	static const struct { const char *in; int rc; } cases[] = {
		{ "", 0 },
		{ "GET / HTTP/1.1\r\nHost: a.b\r\n", 0 },	/* incomplete */
		{ "GET / HTTP/1.1", 0 },
		{ "GET / HTTP/1.1\r\n\r\n", -400 },		/* no Host */
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YTpi\r\n"
		    "authorization: Basic YzpkCg==\r\n\r\n", -400 },	/* two */
		{ "GET / HTTP/1.1\r\nHost: a.b\r\n folded\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost : a.b\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nNoColon\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost: a\001b\r\n\r\n", -400 },
		{ "GET  / HTTP/1.1\r\nHost: a.b\r\n\r\n", -400 },
		{ "GET /\x01 HTTP/1.1\r\nHost: a.b\r\n\r\n", -400 },
		{ "GET / HTTP/1.1 x\r\nHost: a.b\r\n\r\n", -400 },
		{ "GET /\r\n\r\n", -400 },			/* HTTP/0.9 */
		{ "GET / HTTP/2.0\r\n\r\n", -505 },
		{ "GET / HTTP/1.2\r\n\r\n", -505 },
		{ "POST / HTTP/1.1\r\nHost: a.b\r\n\r\n", -405 },
		{ "PROPFIND / HTTP/1.1\r\nHost: a.b\r\n\r\n", -501 },
		{ "BR{W / HTTP/1.1\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost: a.b\r\nContent-Length: 5\r\n\r\n", -413 },
		{ "GET / HTTP/1.1\r\nHost: a.b\r\nTransfer-Encoding: chunked\r\n\r\n", -413 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (head(cases[i].in, &h) != cases[i].rc)
			fail_msg("case %zu: got %d, want %d", i, head(cases[i].in, &h),
			    cases[i].rc);

	static char big[HTTPHEAD_MAX + 100];
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(httphead_parse(big, sizeof(big), &h), -431);
	assert_int_equal(httphead_parse(big, 100, &h), 0);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	memcpy(big + 4 + HTTPHEAD_MAX_TARGET + 2, " HTTP/1.1\r\nHost: a.b\r\n\r\n", 25);
	assert_int_equal(httphead_parse(big, 4 + HTTPHEAD_MAX_TARGET + 27, &h), -414);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_good),
		cmocka_unit_test(test_base64_bad),
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_httphead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
