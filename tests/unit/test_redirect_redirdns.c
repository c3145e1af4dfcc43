/* SPDX-License-Identifier: BSD-2-Clause */
/* The redirect server's DNS answers: what it takes from each section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "ddns/redirect/redirdns.h"

/* An answer to id with these records ("S" answer, "A" additional). */
static size_t
answer(uint16_t id, int rcode, const char *const *an, const char *const *ad,
    uint8_t **wire)
{
	ldns_pkt *p = ldns_pkt_new();
	size_t len;

	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	for (int sec = 0; sec < 2; sec++)
		for (const char *const *t = sec ? ad : an; t && *t; t++) {
			ldns_rr *rr = NULL;
			assert_int_equal(ldns_rr_new_frm_str(&rr, *t, 0, NULL, NULL),
			    LDNS_STATUS_OK);
			ldns_pkt_push_rr(p, sec ? LDNS_SECTION_ADDITIONAL :
			    LDNS_SECTION_ANSWER, rr);
		}
	assert_int_equal(ldns_pkt2wire(wire, p, &len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return len;
}

static void
test_srv_with_address(void **state)
{
	static const char *an[] = { "_http._tcp.www.example.com. 300 IN SRV 0 0 "
	    "8080 origin.www.example.com.", NULL };
	static const char *ad[] = { "other.example.com. 60 IN A 192.0.2.66",
	    "origin.www.example.com. 120 IN A 5.0.1.2", NULL };
	struct redirdns_answer a;
	char ip[ADDR_STRLEN];
	uint8_t *w;
	size_t n = answer(7, 0, an, ad, &w);

	(void)state;
	assert_int_equal(redirdns_parse(w, n, 7, &a), 0);
	assert_true(a.srv);
	assert_int_equal(a.port, 8080);
	assert_string_equal(a.target, "origin.www.example.com");
	/* the target's address, not the other one */
	assert_string_equal(addr_ntop(&a.addr, ip, sizeof(ip)), "5.0.1.2");
	assert_int_equal(a.ttl, 120);		/* the least of those used */
	assert_int_equal(redirdns_parse(w, n, 8, &a), -1);	/* not our id */
	assert_int_equal(redirdns_parse(w, 11, 7, &a), -1);	/* cut short */
	free(w);
}

static void
test_address_alone_and_nxdomain(void **state)
{
	static const char *an[] = { "origin.x.example. 30 IN AAAA 2001:db8::9", NULL };
	static const char *soa[] = { "example. 300 IN SOA ns.example. a.example. "
	    "1 3600 600 86400 20", NULL };
	struct redirdns_answer a;
	char ip[ADDR_STRLEN];
	uint8_t *w;
	size_t n = answer(1, 0, an, NULL, &w);

	(void)state;
	assert_int_equal(redirdns_parse(w, n, 1, &a), 0);
	assert_false(a.srv);
	assert_string_equal(addr_ntop(&a.addr, ip, sizeof(ip)), "2001:db8::9");
	free(w);
	/* NXDOMAIN: the SOA minimum is how long to remember it (RFC 2308);
	 * built here in the answer section, which the parser reads alike. */
	n = answer(2, 3, soa, NULL, &w);
	assert_int_equal(redirdns_parse(w, n, 2, &a), 0);
	assert_int_equal(a.rcode, 3);
	assert_false(a.srv);
	assert_int_equal(a.addr.family, 0);
	assert_int_equal(a.ttl, 20);
	free(w);
}

static void
test_query(void **state)
{
	uint8_t w[512];
	int n;
	ldns_pkt *p = NULL;

	(void)state;
	n = redirdns_query("_http._tcp.www.example.com.", REDIRDNS_SRV, 0x1234,
	    w, sizeof(w));
	assert_true(n > 12);
	/* what ldns reads back is the question we meant */
	assert_int_equal(ldns_wire2pkt(&p, w, (size_t)n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(p), 0x1234);
	ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	char *owner = ldns_rdf2str(ldns_rr_owner(q));
	assert_string_equal(owner, "_http._tcp.www.example.com.");
	assert_int_equal(ldns_rr_get_type(q), LDNS_RR_TYPE_SRV);
	free(owner);
	ldns_pkt_free(p);
	assert_int_equal(redirdns_query("a..b", REDIRDNS_A, 1, w, sizeof(w)), -1);
	assert_int_equal(redirdns_query("", REDIRDNS_A, 1, w, sizeof(w)), -1);
	assert_int_equal(redirdns_query("a.example", REDIRDNS_A, 1, w, 20), -1);
}

/* Malformed answers: never read past the end, never loop. */
static void
test_malformed(void **state)
{
	/* header: id 7, QR, 0 questions, 1 answer; owner a pointer to itself */
	static const uint8_t loop[] = { 0, 7, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0,
	    0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 5, 0, 1, 2 };
	/* rdlength past the end */
	static const uint8_t longrd[] = { 0, 7, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0,
	    0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 5, 0, 1, 2 };
	/* a label running past the end */
	static const uint8_t label[] = { 0, 7, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
	    9, 'a', 'b' };
	/* not an answer (QR clear) */
	static const uint8_t query[] = { 0, 7, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct redirdns_answer a;

	(void)state;
	assert_int_equal(redirdns_parse(loop, sizeof(loop), 7, &a), -1);
	assert_int_equal(redirdns_parse(longrd, sizeof(longrd), 7, &a), -1);
	assert_int_equal(redirdns_parse(label, sizeof(label), 7, &a), -1);
	assert_int_equal(redirdns_parse(query, sizeof(query), 7, &a), -1);
}

/* The packet that made ldns leak: two TSIG records in additional. */
static void
test_two_tsig(void **state)
{
	static const char *an[] = { "_http._tcp.www.example.com. 300 IN SRV 0 0 "
	    "8080 origin.www.example.com.", NULL };
	struct redirdns_answer a;
	uint8_t *w, *two;
	size_t n = answer(9, 0, an, NULL, &w);
	/* additional: two records of type TSIG (250) with empty rdata */
	static const uint8_t tsig[] = { 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 0 };

	(void)state;
	two = malloc(n + 2 * sizeof(tsig));
	memcpy(two, w, n);
	memcpy(two + n, tsig, sizeof(tsig));
	memcpy(two + n + sizeof(tsig), tsig, sizeof(tsig));
	two[11] = 2;				/* ARCOUNT */
	assert_int_equal(redirdns_parse(two, n + 2 * sizeof(tsig), 9, &a), 0);
	assert_int_equal(a.port, 8080);
	free(two);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srv_with_address),
		cmocka_unit_test(test_address_alone_and_nxdomain),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_two_tsig),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
