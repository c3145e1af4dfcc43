/* SPDX-License-Identifier: BSD-2-Clause */
/* STUN codec: RFC 5769 vectors and a table of malformed messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "lib/stun.h"
#include "vectors.h"

#define VEC "stun-rfc5769.txt"

static const uint8_t rfc5769_txid[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
	0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };

static void
parse_ok(const char *name, struct stun_message *m)
{
	uint8_t buf[512];
	char why[REASON_LEN] = "";
	size_t n = vector_load(VEC, name, buf, sizeof(buf));

	if (stun_parse(buf, n, m, why, sizeof(why)) != 0)
		fail_msg("%s: %s", name, why);
}

static void
test_request_vector(void **state)
{
	struct stun_message m;

	(void)state;
	parse_ok("request", &m);
	assert_int_equal(m.type, STUN_BINDING_REQUEST);
	assert_memory_equal(m.txid, rfc5769_txid, 12);
	assert_true(m.integrity);
	assert_true(m.fingerprint);
}

static void
test_response_ipv4_vector(void **state)
{
	struct stun_message m;
	char a[ADDR_STRLEN];

	(void)state;
	parse_ok("response-ipv4", &m);
	assert_int_equal(m.type, STUN_BINDING_SUCCESS);
	assert_true(m.fingerprint);
	assert_non_null(stun_reflexive(&m));
	assert_string_equal(addr_ntop(&m.xor_mapped.addr, a, sizeof(a)),
	    "192.0.2.1");
	assert_int_equal(m.xor_mapped.port, 32853);
}

static void
test_response_ipv6_vector(void **state)
{
	struct stun_message m;
	char a[ADDR_STRLEN];

	(void)state;
	parse_ok("response-ipv6", &m);
	assert_int_equal(m.xor_mapped.addr.family, AF_INET6);
	assert_string_equal(addr_ntop(&m.xor_mapped.addr, a, sizeof(a)),
	    "2001:db8:1234:5678:11:2233:4455:6677");
	assert_int_equal(m.xor_mapped.port, 32853);
}

static void
test_long_term_vector(void **state)
{
	struct stun_message m;

	(void)state;
	parse_ok("request-long-term", &m);
	assert_int_equal(m.type, STUN_BINDING_REQUEST);
	assert_true(m.integrity);
}

static void
test_build(void **state)
{
	uint8_t buf[STUN_MAX_REQUEST];
	struct stun_message m;
	char why[REASON_LEN];
	size_t n;

	(void)state;
	n = stun_build_binding(buf, rfc5769_txid, 0);
	assert_int_equal(n, 20);
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), 0);
	assert_int_equal(m.type, STUN_BINDING_REQUEST);
	assert_memory_equal(m.txid, rfc5769_txid, 12);
	n = stun_build_binding(buf, rfc5769_txid, STUN_CHANGE_IP | STUN_CHANGE_PORT);
	assert_int_equal(n, 28);
	assert_int_equal(buf[3], 8);				/* length */
	assert_int_equal(buf[20] << 8 | buf[21], 0x0003);	/* CHANGE-REQUEST */
	assert_int_equal(buf[27], 0x06);
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), 0);
	/* RESPONSE-PORT (RFC 5780 section 7.5): a port and two bytes of
	 * padding. */
	n = stun_build_binding_to(buf, rfc5769_txid, 40000);
	assert_int_equal(n, 28);
	assert_int_equal(buf[3], 8);
	assert_int_equal(buf[20] << 8 | buf[21], 0x0027);
	assert_int_equal(buf[23], 4);
	assert_int_equal(buf[24] << 8 | buf[25], 40000);
	assert_int_equal(buf[26] | buf[27], 0);
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), 0);
}

/* A success response with the RFC 5769 transaction ID and attrs (hex). */
static void strip_spaces(const char *in, char *out);

static size_t
message(uint8_t *buf, const char *attrs_hex)
{
	char hex[1024];
	size_t n;

	strip_spaces(attrs_hex, hex);
	n = hex_decode(hex, buf + 20, 480);

	buf[0] = 0x01, buf[1] = 0x01;
	buf[2] = (uint8_t)(n >> 8), buf[3] = (uint8_t)n;
	buf[4] = 0x21, buf[5] = 0x12, buf[6] = 0xa4, buf[7] = 0x42;
	memcpy(buf + 8, rfc5769_txid, 12);
	return n + 20;
}

struct bad_case {
	const char *what;
	const char *attrs;	/* NULL: use raw */
	const char *raw;
	const char *reason;	/* a part of the expected reason */
};

static const struct bad_case bad_cases[] = {
	{ "empty", NULL, "", "shorter than a STUN header" },
	{ "19 bytes", NULL, "0101000021 12a442b7e7a701bc34d686fa87df", "shorter" },
	{ "RTP-like first bits", NULL,
	  "81010000 2112a442 b7e7a701bc34d686fa87dfae", "first two bits" },
	{ "RFC 3489 reply without cookie", NULL,
	  "01010000 00000000 b7e7a701bc34d686fa87dfae", "magic cookie" },
	{ "length not a multiple of 4", NULL,
	  "01010002 2112a442 b7e7a701bc34d686fa87dfae 0000", "multiple of 4" },
	{ "length longer than datagram", NULL,
	  "01010008 2112a442 b7e7a701bc34d686fa87dfae 00200008", "received" },
	{ "attribute overruns", "0020000c0001a147e112a643", NULL, "overruns" },
	{ "unknown family", "002000080003a147e112a643", NULL, "family" },
	{ "IPv4 address of IPv6 length", "002000140001a147e112a64300000000"
	  "0000000000000000", NULL, "for IPv4" },
	{ "short address", "0020000200010000", NULL, "address attribute of 2" },
	{ "unknown comprehension-required", "00300004deadbeef", NULL,
	  "comprehension-required attribute 0x0030" },
	{ "error code out of range", "0009000400000799", NULL, "out of range" },
	{ "fingerprint not last", "80280004000000000020000800 01a147e112a643",
	  NULL, "not the last" },
	{ "wrong fingerprint", "802800040badf00d", NULL, "does not match" },
	{ "fingerprint of 8 bytes", "802800080000000000000000", NULL, "FINGERPRINT of 8" },
};

static void
strip_spaces(const char *in, char *out)
{
	for (; *in; in++)
		if (*in != ' ')
			*out++ = *in;
	*out = '\0';
}

static void
test_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		uint8_t buf[512];
		char hex[1024], why[REASON_LEN] = "";
		struct stun_message m;
		size_t n;

		strip_spaces(c->attrs ? c->attrs : c->raw, hex);
		n = c->attrs ? message(buf, c->attrs) :
		    hex_decode(hex, buf, sizeof(buf));
		if (stun_parse(buf, n, &m, why, sizeof(why)) == 0)
			fail_msg("case \"%s\" parsed", c->what);
		if (strstr(why, c->reason) == NULL)
			fail_msg("case \"%s\": reason \"%s\" lacks \"%s\"", c->what,
			    why, c->reason);
	}
}

static void
test_tampered_vector(void **state)
{
	uint8_t buf[512];
	char why[REASON_LEN];
	struct stun_message m;
	size_t n = vector_load(VEC, "response-ipv4", buf, sizeof(buf));

	(void)state;
	buf[n - 20] ^= 0x01;	/* inside MESSAGE-INTEGRITY: fingerprint breaks */
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "FINGERPRINT"));
	n = vector_load(VEC, "response-ipv4", buf, sizeof(buf));
	assert_int_equal(stun_parse(buf, n - 4, &m, why, sizeof(why)), -EBADMSG);
}

static void
test_mapped_fallback(void **state)
{
	uint8_t buf[512];
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct stun_message m;
	size_t n;

	(void)state;
	/* RFC 3489-style MAPPED-ADDRESS only: 5.0.1.2:8080 */
	n = message(buf, "0001 0008 0001 1f90 05000102");
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), 0);
	assert_false(m.xor_mapped.present);
	assert_string_equal(addr_ntop(&stun_reflexive(&m)->addr, a, sizeof(a)),
	    "5.0.1.2");
	assert_int_equal(stun_reflexive(&m)->port, 8080);
	/* RFC 5780: OTHER-ADDRESS 5.0.0.3:3479, RESPONSE-ORIGIN 5.0.0.2:3478 */
	n = message(buf, "802c 0008 0001 0d97 05000003 802b 0008 0001 0d96 05000002");
	assert_int_equal(stun_parse(buf, n, &m, why, sizeof(why)), 0);
	assert_true(m.other.present);
	assert_int_equal(m.other.port, 3479);
	assert_true(m.origin.present);
	assert_int_equal(m.origin.port, 3478);
	assert_null(stun_reflexive(&m));
}

/* A stream's frames (TCP, RFC 8489 section 6.2.2): a header's length
 * field says where the next message starts. */
static void
test_frames(void **state)
{
	static const struct {
		const char *what;
		uint8_t head[4];
		size_t len, max;
		int want;
	} cases[] = {
		{ "a bare header", { 0x01, 0x01, 0x00, 0x00 }, 20, 512, 20 },
		{ "a header and 12 bytes", { 0x01, 0x01, 0x00, 0x0c }, 20, 512, 32 },
		{ "incomplete header", { 0x01, 0x01, 0x00, 0x0c }, 19, 512, 0 },
		{ "nothing yet", { 0, 0, 0, 0 }, 0, 512, 0 },
		{ "top bits set (not STUN)", { 0x41, 0x01, 0x00, 0x00 }, 20, 512, -1 },
		{ "length not 4-aligned", { 0x01, 0x01, 0x00, 0x0d }, 20, 512, -1 },
		{ "longer than the buffer", { 0x01, 0x01, 0x01, 0xf0 }, 20, 512, -1 },
		{ "exactly the buffer", { 0x01, 0x01, 0x01, 0xec }, 20, 512, 512 },
	};
	uint8_t buf[20] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(buf, cases[i].head, 4);
		if (stun_frame_len(buf, cases[i].len, cases[i].max) != cases[i].want)
			fail_msg("%s: %d, want %d", cases[i].what,
			    stun_frame_len(buf, cases[i].len, cases[i].max),
			    cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_vector),
		cmocka_unit_test(test_response_ipv4_vector),
		cmocka_unit_test(test_response_ipv6_vector),
		cmocka_unit_test(test_long_term_vector),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_tampered_vector),
		cmocka_unit_test(test_mapped_fallback),
		cmocka_unit_test(test_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
