/* SPDX-License-Identifier: BSD-2-Clause */
/* TSIG against a captured, independently verified DNS UPDATE
 * (tests/vectors/tsig-rfc2136.txt), and our own UPDATE beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "ddns/rfc2136.h"
#include "vectors.h"

#define KEY	"ddns-key.example.com."
#define SECRET	"c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ=="

static size_t
load(uint8_t *buf, size_t cap)
{
	return vector_load("tsig-rfc2136.txt", "update", buf, cap);
}

static void
test_vector_verifies(void **state)
{
	uint8_t buf[1024];
	size_t n = load(buf, sizeof(buf));
	ldns_pkt *pkt;

	(void)state;
	assert_int_equal(ldns_wire2pkt(&pkt, buf, n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(pkt), 0x9e3c);
	assert_true(ldns_pkt_tsig_verify(pkt, buf, n, KEY, SECRET, NULL));
	ldns_pkt_free(pkt);
	/* The wrong secret, or one changed byte, does not verify. */
	assert_int_equal(ldns_wire2pkt(&pkt, buf, n), LDNS_STATUS_OK);
	assert_false(ldns_pkt_tsig_verify(pkt, buf, n, KEY,
	    "d3Jvbmcta2V5LWZvci10ZXN0cw==", NULL));
	ldns_pkt_free(pkt);
	buf[40] ^= 1;
	assert_int_equal(ldns_wire2pkt(&pkt, buf, n), LDNS_STATUS_OK);
	assert_false(ldns_pkt_tsig_verify(pkt, buf, n, KEY, SECRET, NULL));
	ldns_pkt_free(pkt);
}

/* Our message for the same update: the same sections as the capture, and
 * a TSIG that verifies with the same key. */
static void
test_our_update(void **state)
{
	struct ddns_config r = { .provider = PROV_RFC2136, .ttl = 300 };
	struct ddns_answer a;
	struct ddns_target t = { 0 };
	uint8_t want[1024], *wire = NULL;
	size_t n = load(want, sizeof(want)), len;
	ldns_pkt *ours, *theirs;

	(void)state;
	strcpy(r.hostname, "home.example.com");
	strcpy(r.zone, "example.com");
	strcpy(r.tsig_key, "ddns-key.example.com");
	strcpy(r.tsig_algorithm, "hmac-sha256");
	strcpy(r.tsig_secret.value, SECRET);
	addr_parse("192.0.2.1", &t.addr);
	ours = rfc2136_build(&r, &t, 0x9e3c, &a);
	assert_non_null(ours);
	assert_int_equal(ldns_pkt2wire(&wire, ours, &len), LDNS_STATUS_OK);
	assert_int_equal(ldns_wire2pkt(&theirs, want, n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_get_opcode(ours), LDNS_PACKET_UPDATE);
	assert_int_equal(ldns_rr_list_compare(ldns_pkt_question(ours),
	    ldns_pkt_question(theirs)), 0);		/* zone section */
	assert_int_equal(ldns_rr_list_compare(ldns_pkt_authority(ours),
	    ldns_pkt_authority(theirs)), 0);		/* update section */
	ldns_pkt_free(theirs);
	assert_int_equal(ldns_wire2pkt(&theirs, wire, len), LDNS_STATUS_OK);
	assert_true(ldns_pkt_tsig_verify(theirs, wire, len, KEY, SECRET, NULL));
	ldns_pkt_free(theirs);
	ldns_pkt_free(ours);
	free(wire);
	/* A secret that is not base64 cannot sign. */
	strcpy(r.tsig_secret.value, "not base64 !");
	assert_null(rfc2136_build(&r, &t, 1, &a));
	assert_string_equal(a.result, "bad-key");
}

/* Beside the A record, each service's SRV record in the same message:
 * its RRset deleted, the record added (RFC 2782's fields). */
static void
test_srv(void **state)
{
	struct ddns_config r = { .ttl = 300 };
	struct ddns_answer a;
	struct ddns_target t = { .nsrv = 2, .srv = {
		{ "web", IPPROTO_TCP, 28080 }, { "game", IPPROTO_UDP, 25353 } } };
	ldns_pkt *pkt;
	ldns_rr_list *up;
	char *text;

	(void)state;
	strcpy(r.hostname, "home.example.com");
	strcpy(r.zone, "example.com");
	strcpy(r.tsig_key, "ddns-key.example.com");
	strcpy(r.tsig_algorithm, "hmac-sha256");
	strcpy(r.tsig_secret.value, SECRET);
	addr_parse("5.0.1.2", &t.addr);
	pkt = rfc2136_build(&r, &t, 7, &a);
	assert_non_null(pkt);
	up = ldns_pkt_authority(pkt);
	assert_int_equal(ldns_rr_list_rr_count(up), 6);	/* A, web, game */
	text = ldns_rr2str(ldns_rr_list_rr(up, 3));
	assert_string_equal(text, "_web._tcp.home.example.com.\t300\tIN\tSRV\t"
	    "0 0 28080 home.example.com.\n");
	free(text);
	text = ldns_rr2str(ldns_rr_list_rr(up, 4));
	assert_non_null(strstr(text, "_game._udp.home.example.com."));
	assert_non_null(strstr(text, "ANY"));		/* the RRset deleted */
	free(text);
	ldns_pkt_free(pkt);
	/* A web site over TLS: its port in an HTTPS record at the name. */
	t.https_port = 28443;
	pkt = rfc2136_build(&r, &t, 9, &a);
	up = ldns_pkt_authority(pkt);
	assert_int_equal(ldns_rr_list_rr_count(up), 8);
	text = ldns_rr2str(ldns_rr_list_rr(up, 3));
	assert_string_equal(text, "home.example.com.\t300\tIN\tHTTPS\t1 . "
	    "port=28443 ipv4hint=5.0.1.2\n");
	free(text);
	ldns_pkt_free(pkt);
	/* A service with no way in: its RRset only deleted; the web site's
	 * HTTPS record too. */
	t.https_port = 0;
	t.https_gone = true;
	t.srv[1].port = 0;
	pkt = rfc2136_build(&r, &t, 10, &a);
	up = ldns_pkt_authority(pkt);
	assert_int_equal(ldns_rr_list_rr_count(up), 6);	/* A+, -HTTPS, web+, -game */
	text = ldns_rr2str(ldns_rr_list_rr(up, 5));
	assert_non_null(strstr(text, "_game._udp.home.example.com."));
	assert_non_null(strstr(text, "ANY"));
	free(text);
	ldns_pkt_free(pkt);
	/* Withdrawn: every RRset deleted, nothing added. */
	t.withdraw = true;
	pkt = rfc2136_build(&r, &t, 11, &a);
	up = ldns_pkt_authority(pkt);
	assert_int_equal(ldns_rr_list_rr_count(up), 4);
	for (size_t i = 0; i < 4; i++) {
		text = ldns_rr2str(ldns_rr_list_rr(up, i));
		assert_non_null(strstr(text, "\tANY\t"));
		free(text);
	}
	ldns_pkt_free(pkt);
	t.withdraw = false;
	t.https_gone = false;
	t.srv[1].port = 25353;
	/* No SRV beside an AAAA. */
	addr_parse("2a05:5:1::10", &t.addr);
	pkt = rfc2136_build(&r, &t, 8, &a);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_authority(pkt)), 2);
	ldns_pkt_free(pkt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_verifies),
		cmocka_unit_test(test_our_update),
		cmocka_unit_test(test_srv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
