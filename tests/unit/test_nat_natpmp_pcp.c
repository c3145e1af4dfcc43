/* SPDX-License-Identifier: BSD-2-Clause */
/* NAT-PMP and PCP codecs: the shared vectors, then what must be refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "nat/announce.h"
#include "nat/natpmp.h"
#include "nat/pcp.h"
#include "vectors.h"

#define VEC "natpmp-pcp.txt"

static void
test_natpmp_address_reply(void **state)
{
	uint8_t buf[64];
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct natpmp_reply r;
	size_t n = vector_load(VEC, "natpmp-external-address-response", buf,
	    sizeof(buf));

	(void)state;
	assert_int_equal(natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(r.epoch, 3600);
	assert_string_equal(addr_ntop(&r.external, a, sizeof(a)), "198.51.100.7");
	assert_false(addr_is_public(&r.external));	/* documentation range */
}

static void
test_natpmp_map_reply(void **state)
{
	uint8_t buf[64];
	char why[REASON_LEN];
	struct natpmp_reply r;
	size_t n = vector_load(VEC, "natpmp-map-udp-response", buf, sizeof(buf));

	(void)state;
	assert_int_equal(natpmp_parse_reply(buf, n, NATPMP_OP_MAP_UDP, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.internal_port, 8080);
	assert_int_equal(r.external_port, 8080);
	assert_int_equal(r.lifetime, 7200);
	assert_int_equal(r.epoch, 3601);
}

static void
test_natpmp_result_codes(void **state)
{
	uint8_t buf[64];
	char why[REASON_LEN];
	struct natpmp_reply r;
	size_t n = vector_load(VEC, "natpmp-unsupported-version-reply", buf,
	    sizeof(buf));

	(void)state;
	assert_int_equal(natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.result, 1);
	assert_string_equal(natpmp_result_name(r.result), "unsupported version");
	/* The 8-byte error form of RFC 6886 section 3.5: network failure. */
	n = hex_decode("0080000300000e10", buf, sizeof(buf));
	assert_int_equal(natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.result, 3);
	assert_int_equal(r.external.family, 0);
	assert_string_equal(natpmp_result_name(99), "unknown result code");
}

static const struct {
	const char *what, *hex;
	uint8_t op;
	const char *reason;
} natpmp_bad[] = {
	{ "empty", "", 0, "of 0 bytes" },
	{ "7 bytes", "00800000000000", 0, "of 7 bytes" },
	{ "short success", "0080000000000e10c63364", 0, "of 11 bytes, expected 12" },
	{ "long success", "0080000000000e10c633640700", 0, "of 13 bytes" },
	{ "map reply of 12", "0081000000000e111f901f90", 1, "expected 16" },
	{ "version 2", "0280000000000e10c6336407", 0, "version 2" },
	{ "a request", "0000", 0, "of 2 bytes" },
	{ "request echoed", "000000000000000000000000", 0, "opcode 0, expected 128" },
	{ "wrong opcode", "0081000000000e111f901f9000001c20", 2, "opcode 129, expected 130" },
	{ "oversized error", "008000030000000000000000000000000000", 0, "error reply of 18" },
};

static void
test_natpmp_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(natpmp_bad) / sizeof(natpmp_bad[0]); i++) {
		uint8_t buf[64];
		char why[REASON_LEN] = "";
		struct natpmp_reply r;
		size_t n = hex_decode(natpmp_bad[i].hex, buf, sizeof(buf));
		if (natpmp_parse_reply(buf, n, natpmp_bad[i].op, &r, why,
		    sizeof(why)) == 0)
			fail_msg("\"%s\" parsed", natpmp_bad[i].what);
		if (strstr(why, natpmp_bad[i].reason) == NULL)
			fail_msg("\"%s\": \"%s\" lacks \"%s\"", natpmp_bad[i].what,
			    why, natpmp_bad[i].reason);
	}
}

static void
test_pcp_announce(void **state)
{
	uint8_t buf[PCP_HEADER_LEN], want[PCP_HEADER_LEN];
	struct netaddr client;

	(void)state;
	addr_parse("192.168.1.10", &client);
	assert_int_equal(pcp_build_announce(buf, &client), 24);
	hex_decode("02000000000000000000000000000000" "0000ffffc0a8010a", want,
	    sizeof(want));
	assert_memory_equal(buf, want, 24);
}

static void
test_pcp_map_vector(void **state)
{
	uint8_t buf[128];
	char why[REASON_LEN];
	struct pcp_reply r;
	size_t n = vector_load(VEC, "pcp-map-response", buf, sizeof(buf));

	(void)state;
	assert_int_equal(pcp_parse_reply(buf, n, PCP_OP_MAP, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.result, 0);
	assert_int_equal(r.lifetime, 7200);
	assert_int_equal(r.epoch, 3600);
	/* The request vector is not a reply. */
	n = vector_load(VEC, "pcp-map-request", buf, sizeof(buf));
	assert_int_equal(pcp_parse_reply(buf, n, PCP_OP_MAP, &r, why,
	    sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "request where a reply was due"));
}

static const struct {
	const char *what, *hex;
	const char *reason;
} pcp_bad[] = {
	{ "20 bytes", "0280000000000000000000000000000000000000", "of 20 bytes" },
	{ "not a multiple of 4", "02800000000000000000000000000000000000000000000000", "of 25 bytes" },
	{ "version 3", "038000000000000000000000000000000000000000000000", "version 3" },
	{ "MAP answered to ANNOUNCE", "028100000000000000000000000000000000000000000000", "opcode 1, expected 0" },
	{ "bad version 0", "0001", "not NAT-PMP's" },
};

static void
test_pcp_refused(void **state)
{
	uint8_t big[1104] = { 2, 0x80 };
	char why[REASON_LEN] = "";
	struct pcp_reply r;

	(void)state;
	for (size_t i = 0; i < sizeof(pcp_bad) / sizeof(pcp_bad[0]); i++) {
		uint8_t buf[64];
		size_t n = hex_decode(pcp_bad[i].hex, buf, sizeof(buf));
		if (pcp_parse_reply(buf, n, PCP_OP_ANNOUNCE, &r, why,
		    sizeof(why)) == 0)
			fail_msg("\"%s\" parsed", pcp_bad[i].what);
		if (strstr(why, pcp_bad[i].reason) == NULL)
			fail_msg("\"%s\": \"%s\" lacks \"%s\"", pcp_bad[i].what,
			    why, pcp_bad[i].reason);
	}
	assert_int_equal(pcp_parse_reply(big, sizeof(big), PCP_OP_ANNOUNCE, &r,
	    why, sizeof(why)), -EBADMSG);
}

static void
test_pcp_natpmp_answer(void **state)
{
	uint8_t buf[16];
	char why[REASON_LEN];
	struct pcp_reply r;
	size_t n = hex_decode("0080000100000e10", buf, sizeof(buf));

	(void)state;
	assert_int_equal(pcp_parse_reply(buf, n, PCP_OP_ANNOUNCE, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.version, 0);		/* RFC 6887 section 9 */
	assert_string_equal(pcp_result_name(12), "address mismatch");
}

static void
vector_map_request(struct pcp_map_request *req)
{
	memset(req, 0, sizeof(*req));
	addr_parse("192.168.1.10", &req->client);
	for (int i = 0; i < PCP_NONCE_LEN; i++)
		req->nonce[i] = (uint8_t)(i + 1);
	req->protocol = 17;
	req->internal_port = req->external_port = 8080;
	req->lifetime = 7200;
}

static void
test_pcp_map_build(void **state)
{
	uint8_t want[128], buf[PCP_MAP_LEN];
	struct pcp_map_request req;
	size_t n = vector_load(VEC, "pcp-map-request", want, sizeof(want));

	(void)state;
	vector_map_request(&req);
	assert_int_equal(pcp_build_map(buf, &req), n);
	assert_memory_equal(buf, want, n);
}

static void
test_pcp_map_reply(void **state)
{
	uint8_t buf[128];
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct pcp_map_request req;
	struct pcp_map_reply r;
	size_t n = vector_load(VEC, "pcp-map-response", buf, sizeof(buf));

	(void)state;
	vector_map_request(&req);
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), 0);
	assert_int_equal(r.hdr.result, 0);
	assert_int_equal(r.hdr.lifetime, 7200);
	assert_int_equal(r.external_port, 8080);
	assert_string_equal(addr_ntop(&r.external, a, sizeof(a)), "198.51.100.7");
}

static void
test_pcp_map_refused(void **state)
{
	uint8_t buf[128];
	char why[REASON_LEN];
	struct pcp_map_request req;
	struct pcp_map_reply r;
	size_t n = vector_load(VEC, "pcp-map-response", buf, sizeof(buf));

	(void)state;
	vector_map_request(&req);
	req.nonce[11] ^= 1;
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), -EBADMSG);
	assert_string_equal(why, "PCP MAP reply with the wrong nonce");
	vector_map_request(&req);
	req.protocol = 6;
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "not ours"));
	vector_map_request(&req);
	req.internal_port = 8081;
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), -EBADMSG);
	vector_map_request(&req);
	assert_int_equal(pcp_parse_map(buf, 56, &req, &r, why, sizeof(why)), -EBADMSG);
	assert_string_equal(why, "PCP MAP reply of 56 bytes");
	buf[1] = 0x80;		/* an ANNOUNCE reply */
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "opcode 0, expected 1"));
	buf[1] = 0x81;
	buf[3] = 8;		/* NO_RESOURCES: parses; the caller reads the result */
	assert_int_equal(pcp_parse_map(buf, n, &req, &r, why, sizeof(why)), 0);
	assert_int_equal(r.hdr.result, 8);
	assert_string_equal(pcp_result_name(r.hdr.result), "no resources");
}

/* A pinhole (RFC 6887 section 11, the server a firewall): the client's
 * IPv6 address in the header, no suggested external address (::), and the
 * reply's assigned address the host's own. */
static void
test_pcp_map_ipv6(void **state)
{
	uint8_t buf[PCP_MAP_LEN], zero[16] = { 0 };
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct pcp_map_request req = { .protocol = 6, .internal_port = 8080,
	    .external_port = 8080, .lifetime = 7200 };
	struct pcp_map_reply r;

	(void)state;
	addr_parse("2a05:5:1::10", &req.client);
	for (int i = 0; i < PCP_NONCE_LEN; i++)
		req.nonce[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(pcp_build_map(buf, &req), PCP_MAP_LEN);
	assert_memory_equal(buf + 8, req.client.bytes, 16);
	assert_memory_equal(buf + 44, zero, 16);
	/* The reply: opcode with the R bit, result 0, epoch, assigned port
	 * and address (the same host: no NAT). */
	buf[1] = 0x81;
	buf[3] = 0;
	memset(buf + 8, 0, 16);
	buf[11] = 1;			/* epoch 1 (bytes 8-11) */
	memcpy(buf + 44, req.client.bytes, 16);
	assert_int_equal(pcp_parse_map(buf, sizeof(buf), &req, &r, why,
	    sizeof(why)), 0);
	assert_int_equal(r.hdr.result, 0);
	assert_int_equal(r.external_port, 8080);
	assert_string_equal(addr_ntop(&r.external, a, sizeof(a)), "2a05:5:1::10");
	/* An IPv4-mapped assigned address reads as IPv4. */
	buf[44 + 10] = buf[44 + 11] = 0xff;
	memset(buf + 44, 0, 10);
	buf[56] = 5, buf[57] = 0, buf[58] = 1, buf[59] = 2;
	assert_int_equal(pcp_parse_map(buf, sizeof(buf), &req, &r, why,
	    sizeof(why)), 0);
	assert_string_equal(addr_ntop(&r.external, a, sizeof(a)), "5.0.1.2");
}

static void
test_epochs(void **state)
{
	(void)state;
	/* NAT-PMP, RFC 6886 section 3.6 (elapsed in ms) */
	assert_false(natpmp_epoch_lost(3600, 3700, 100000));
	assert_false(natpmp_epoch_lost(3600, 3688, 100000));	/* 7/8 of 100 s */
	assert_false(natpmp_epoch_lost(3600, 3686, 100000));	/* 1.5 s short */
	assert_true(natpmp_epoch_lost(3600, 3685, 101000));	/* 2.4 s */
	assert_true(natpmp_epoch_lost(3600, 3684, 100000));
	assert_true(natpmp_epoch_lost(3600, 5, 100000));	/* rebooted */
	assert_true(natpmp_epoch_lost(1, 0, 4000));		/* quick reboot */
	assert_false(natpmp_epoch_lost(1, 0, 1000));		/* within slack */
	assert_false(natpmp_epoch_lost(0, 0, 0));
	/* PCP, RFC 6887 section 8.5 */
	assert_false(pcp_epoch_lost(3600, 3700, 100000));
	assert_false(pcp_epoch_lost(3600, 3600, 0));
	assert_false(pcp_epoch_lost(3600, 3599, 0));		/* one second back */
	assert_true(pcp_epoch_lost(3600, 3598, 0));
	assert_true(pcp_epoch_lost(3600, 12, 100000));
	assert_true(pcp_epoch_lost(3600, 3650, 100000));	/* server too slow */
	assert_true(pcp_epoch_lost(3600, 3800, 100000));	/* server too fast */
	assert_true(pcp_epoch_lost(1, 0, 4000));		/* quick reboot */
}

static void
test_announcements(void **state)
{
	uint8_t buf[64];
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct announce_event e;
	size_t n = vector_load(VEC, "natpmp-external-address-response", buf,
	    sizeof(buf));

	(void)state;
	assert_int_equal(announce_parse(buf, n, &e, why, sizeof(why)), 0);
	assert_int_equal(e.version, 0);
	assert_int_equal(e.epoch, 3600);
	assert_string_equal(addr_ntop(&e.external, a, sizeof(a)), "198.51.100.7");
	n = hex_decode("028000000000000000000e10000000000000000000000000", buf,
	    sizeof(buf));
	assert_int_equal(announce_parse(buf, n, &e, why, sizeof(why)), 0);
	assert_int_equal(e.version, 2);
	assert_int_equal(e.epoch, 3600);
	n = hex_decode("0080000300000e10", buf, sizeof(buf));	/* network failure */
	assert_int_equal(announce_parse(buf, n, &e, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "result 3"));
	n = hex_decode("028100000000000000000e10000000000000000000000000", buf,
	    sizeof(buf));					/* a MAP reply */
	assert_int_equal(announce_parse(buf, n, &e, why, sizeof(why)), -EBADMSG);
	n = hex_decode("0081000000000e111f901f9000001c20", buf, sizeof(buf));
	assert_int_equal(announce_parse(buf, n, &e, why, sizeof(why)), -EBADMSG);
	assert_int_equal(announce_parse(buf, 0, &e, why, sizeof(why)), -EBADMSG);
}

/* The server's side: the vectors' MAP request read back, answered, and
 * the answer read by the client's own parser. */
static void
test_pcp_serve_map(void **state)
{
	uint8_t buf[128], out[PCP_MAP_LEN];
	char why[REASON_LEN];
	struct pcp_map_request want;
	struct pcp_request q;
	struct pcp_map_reply r;
	struct netaddr ext;
	size_t n = vector_load(VEC, "pcp-map-request", buf, sizeof(buf));

	(void)state;
	vector_map_request(&want);
	assert_int_equal(pcp_parse_request(buf, n, &q, why, sizeof(why)), 0);
	assert_int_equal(q.op, PCP_OP_MAP);
	assert_memory_equal(&q.map, &want, sizeof(want));
	addr_parse("5.0.2.5", &ext);
	n = pcp_build_response(out, buf, n, PCP_SUCCESS, 3600, 42, &ext, 20001);
	assert_int_equal(pcp_parse_map(out, n, &want, &r, why, sizeof(why)), 0);
	assert_int_equal(r.hdr.lifetime, 3600);
	assert_int_equal(r.hdr.epoch, 42);
	assert_int_equal(r.external_port, 20001);
	assert_true(addr_equal(&r.external, &ext));
}

/* What a server refuses, with the code it answers (-EBADMSG: silence). */
static void
test_pcp_serve_refused(void **state)
{
	static const struct {
		const char *what;
		size_t at, len;		/* the byte changed, the length */
		uint8_t to;
		int want;
	} table[] = {
		{ "a reply", 1, 60, 0x81, -EBADMSG },
		{ "three bytes", 0, 3, 2, -EBADMSG },
		{ "not a multiple of 4", 0, 58, 2, -EBADMSG },
		{ "version 1", 0, 60, 1, PCP_UNSUPP_VERSION },
		{ "opcode PEER", 1, 60, 2, PCP_UNSUPP_OPCODE },
		{ "MAP of 56 bytes", 0, 56, 2, PCP_MALFORMED_REQUEST },
		{ "header of 20 bytes", 0, 20, 2, PCP_MALFORMED_REQUEST },
		{ "protocol 0", 36, 60, 0, PCP_UNSUPP_PROTOCOL },
		{ "protocol SCTP", 36, 60, 132, PCP_UNSUPP_PROTOCOL },
		{ "internal port 0", 40, 60, 0, PCP_MALFORMED_REQUEST },
		{ "THIRD_PARTY (mandatory)", 60, 80, 1, PCP_UNSUPP_OPTION },
		{ "option past the end", 63, 64, 9, PCP_MALFORMED_OPTION },
		{ "an optional option", 60, 64, 200, 0 },
	};
	uint8_t buf[128];
	char why[REASON_LEN];
	struct pcp_request q;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		memset(buf, 0, sizeof(buf));
		vector_load(VEC, "pcp-map-request", buf, sizeof(buf));
		if (table[i].at == 40)
			buf[41] = 0;
		buf[table[i].at] = table[i].to;
		if (table[i].at == 60 && table[i].len == 80)
			buf[63] = 16;	/* THIRD_PARTY's 16-byte address */
		print_message("%s\n", table[i].what);
		assert_int_equal(pcp_parse_request(buf, table[i].len, &q, why,
		    sizeof(why)), table[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natpmp_address_reply),
		cmocka_unit_test(test_natpmp_map_reply),
		cmocka_unit_test(test_natpmp_result_codes),
		cmocka_unit_test(test_natpmp_refused),
		cmocka_unit_test(test_pcp_announce),
		cmocka_unit_test(test_pcp_map_vector),
		cmocka_unit_test(test_pcp_refused),
		cmocka_unit_test(test_pcp_natpmp_answer),
		cmocka_unit_test(test_pcp_map_build),
		cmocka_unit_test(test_pcp_map_reply),
		cmocka_unit_test(test_pcp_map_refused),
		cmocka_unit_test(test_pcp_map_ipv6),
		cmocka_unit_test(test_epochs),
		cmocka_unit_test(test_announcements),
		cmocka_unit_test(test_pcp_serve_map),
		cmocka_unit_test(test_pcp_serve_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
