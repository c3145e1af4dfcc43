/* SPDX-License-Identifier: BSD-2-Clause */
/* The DDNS engine's rules, one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "agent/config/state.h"
#include "ddns/ddns.h"
#include "ddns/tsig.h"

#define NOW 1800000000

static struct ddns_config rec;
static struct ddns_state st;
static uint16_t port;		/* what a redirect record would publish */

static struct netaddr
ip(const char *text)
{
	struct netaddr a = { 0 };

	if (text)
		addr_parse(text, &a);
	return a;
}

static int
setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	snprintf(rec.name, sizeof(rec.name), "home");
	rec.refresh_days = 25;
	rec.hash = 0x1234;
	port = 0;
	memset(&st, 0, sizeof(st));
	snprintf(st.name, sizeof(st.name), "home");
	st.family = AF_INET;
	return 0;
}

static enum ddns_action
decide(const char *addr, bool cgnat, int64_t now, bool force, char *why)
{
	struct ddns_target a = { .addr = ip(addr), .port = port };
	struct ddns_decision d;

	ddns_decide(&rec, &st, &a, cgnat, now, force, &d);
	if (why)
		strcpy(why, d.why);
	return d.action;
}

static void
test_only_public(void **state)
{
	char why[200];

	(void)state;
	assert_int_equal(decide("5.0.1.2", false, NOW, false, why), DDNS_SEND);
	assert_int_equal(decide("192.168.0.2", false, NOW, false, why), DDNS_REFUSED);
	assert_non_null(strstr(why, "192.168.0.2 is a private address (RFC 1918)"));
	assert_int_equal(decide("100.64.0.2", false, NOW, false, why), DDNS_REFUSED);
	assert_non_null(strstr(why, "carrier-grade NAT"));
	assert_int_equal(decide("198.51.100.7", false, NOW, false, why), DDNS_REFUSED);
	assert_int_equal(decide(NULL, false, NOW, false, why), DDNS_REFUSED);
	assert_string_equal(why, "no public IPv4 address found");
	/* Under CGNAT the observed address is public but shared. */
	assert_int_equal(decide("5.0.1.2", true, NOW, false, why), DDNS_REFUSED);
	assert_non_null(strstr(why, "behind carrier-grade NAT"));
	/* Split horizon, when the record asks for it. */
	rec.allow_private = true;
	assert_int_equal(decide("192.168.0.2", false, NOW, false, why), DDNS_SEND);
	assert_int_equal(decide("127.0.0.1", false, NOW, false, why), DDNS_REFUSED);
}

static void
test_only_changes(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 0 };

	(void)state;
	ddns_apply(&rec, &st, &a, DDNS_OK, "good", NOW, 0);
	assert_int_equal(decide("5.0.1.2", false, NOW + 60, false, NULL), DDNS_UNCHANGED);
	assert_int_equal(decide("5.0.1.3", false, NOW + 60, false, NULL), DDNS_SEND);
	assert_int_equal(decide("5.0.1.2", false, NOW + 60, true, NULL), DDNS_SEND);
	/* The refresh that keeps free accounts alive: after refresh_days. */
	assert_int_equal(decide("5.0.1.2", false, NOW + 25 * 86400 - 1, false, NULL),
	    DDNS_UNCHANGED);
	assert_int_equal(decide("5.0.1.2", false, NOW + 25 * 86400, false, NULL),
	    DDNS_SEND);
	/* nochg records the address too. */
	a.addr = ip("5.0.1.9");
	ddns_apply(&rec, &st, &a, DDNS_NOCHG, "nochg", NOW, 0);
	assert_int_equal(decide("5.0.1.9", false, NOW + 1, false, NULL), DDNS_UNCHANGED);
}

/* A redirect record: a new external port is a change, as an address. */
static void
test_port_changes(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 8080 };

	(void)state;
	ddns_apply(&rec, &st, &a, DDNS_OK, "good", NOW, 0);
	assert_int_equal(st.published_port, 8080);
	port = 8080;
	assert_int_equal(decide("5.0.1.2", false, NOW + 60, false, NULL), DDNS_UNCHANGED);
	port = 8081;
	assert_int_equal(decide("5.0.1.2", false, NOW + 60, false, NULL), DDNS_SEND);
}

/* An A record's SRV records: another set (a service moved, another
 * port granted) is a change, as an address; the same set is not. */
static void
test_srv_changes(void **state)
{
	struct ddns_srv web = { "web", 6, 28080 }, moved = { "web", 6, 28081 };
	struct ddns_target a = { .addr = ip("5.0.1.2"), .nsrv = 1,
	    .srv = { web } };
	struct ddns_decision d;

	(void)state;
	a.srv_hash = ddns_srv_hash(a.srv, 1, 0);
	assert_int_not_equal(a.srv_hash, 0);
	assert_int_equal(ddns_srv_hash(NULL, 0, 0), 0);
	assert_int_not_equal(ddns_srv_hash(&moved, 1, 0), a.srv_hash);
	assert_int_not_equal(ddns_srv_hash(a.srv, 1, 28443), a.srv_hash);
	assert_int_not_equal(ddns_srv_hash(NULL, 0, 28443), 0);
	moved.port = 0;				/* no way in: as if not there */
	assert_int_equal(ddns_srv_hash(&moved, 1, 0), 0);
	moved.port = 28081;
	ddns_apply(&rec, &st, &a, DDNS_OK, "NOERROR", NOW, 0);
	assert_int_equal(st.published_srv, a.srv_hash);
	ddns_decide(&rec, &st, &a, false, NOW + 60, false, &d);
	assert_int_equal(d.action, DDNS_UNCHANGED);
	a.srv[0] = moved;
	a.srv_hash = ddns_srv_hash(a.srv, 1, 0);
	ddns_decide(&rec, &st, &a, false, NOW + 60, false, &d);
	assert_int_equal(d.action, DDNS_SEND);
}

/* A carrier's NAT that no longer lets strangers in to the held port:
 * the record that named its address is withdrawn where the provider can
 * delete (after any back-off), and says what stays where it cannot; the
 * state then holds nothing, and nothing more is sent. */
static void
test_withdraw(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2") };
	char why[200];

	(void)state;
	rec.provider = PROV_RFC2136;
	assert_int_equal(decide("5.0.1.2", true, NOW, false, why), DDNS_REFUSED);
	ddns_apply(&rec, &st, &a, DDNS_OK, "NOERROR", NOW, 0);	/* held */
	assert_int_equal(decide("5.0.1.2", true, NOW + 60, false, why),
	    DDNS_WITHDRAW);
	assert_non_null(strstr(why, "5.0.1.2 is withdrawn"));
	assert_int_equal(decide("5.0.1.2", false, NOW + 60, false, why),
	    DDNS_UNCHANGED);			/* held again, or public */
	rec.provider = PROV_DYNDNS2;
	assert_int_equal(decide("5.0.1.2", true, NOW + 60, false, why),
	    DDNS_REFUSED);
	assert_non_null(strstr(why, "dyndns2 cannot delete a record: it still "
	    "names 5.0.1.2"));
	rec.provider = PROV_CLOUDFLARE;
	ddns_apply(&rec, &st, &a, DDNS_RETRY, "network", NOW + 60, 0);
	assert_int_equal(decide("5.0.1.2", true, NOW + 61, false, why),
	    DDNS_WAITING);
	a.withdraw = true;
	ddns_apply(&rec, &st, &a, DDNS_OK, "deleted", NOW + 200, 0);
	assert_int_equal(st.published.family, 0);
	assert_int_equal(st.published_srv, 0);
	assert_int_equal(decide("5.0.1.2", true, NOW + 300, false, why),
	    DDNS_REFUSED);
	assert_int_equal(decide("2a05::1", true, NOW + 300, false, why),
	    DDNS_SEND);				/* an AAAA is not shared */
}

static void
test_stop_until_config_changes(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 0 };
	char why[200];

	(void)state;
	ddns_apply(&rec, &st, &a, DDNS_STOP, "badauth", NOW, 0);
	assert_int_equal(decide("5.0.1.2", false, NOW + 86400 * 30, true, why), DDNS_STOPPED);
	assert_non_null(strstr(why, "stopped after \"badauth\""));
	assert_int_equal(st.published.family, 0);	/* nothing recorded */
	rec.hash = 0x5678;				/* the user edited it */
	assert_int_equal(decide("5.0.1.2", false, NOW + 1, false, NULL), DDNS_SEND);
}

static void
test_backoff(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 0 };
	int64_t t = NOW, prev = 0;

	(void)state;
	for (int i = 1; i <= 12; i++) {
		ddns_apply(&rec, &st, &a, DDNS_RETRY, "dnserr", t, 0);
		int64_t wait = st.next_attempt - t;
		assert_true(wait >= prev);		/* grows */
		assert_true(wait <= 6 * 3600);		/* to a ceiling */
		assert_int_equal(decide("5.0.1.2", false, st.next_attempt - 1, false, NULL),
		    DDNS_WAITING);
		prev = wait;
		t = st.next_attempt;
	}
	assert_int_equal(prev, 6 * 3600);
	assert_int_equal(decide("5.0.1.2", false, t, false, NULL), DDNS_SEND);
	ddns_apply(&rec, &st, &a, DDNS_RETRY, "dnserr", t, 0.999);
	assert_true(st.next_attempt - t > 6 * 3600);	/* jitter on top */
	assert_true(st.next_attempt - t <= 6 * 3600 * 5 / 4);
}

static void
test_911(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 0 };

	(void)state;
	ddns_apply(&rec, &st, &a, DDNS_RETRY_LONG, "911", NOW, 0);
	assert_true(st.next_attempt - NOW >= 30 * 60);
	assert_int_equal(decide("5.0.1.2", false, NOW + 30 * 60 - 1, false, NULL),
	    DDNS_WAITING);
	ddns_apply(&rec, &st, &a, DDNS_OK, "good", NOW + 3600, 0);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.next_attempt, 0);
}

/* An unsigned refusal backs off twice, and the third in a row stops;
 * another answer between them puts the stop off: it needs the same
 * answer twice running, three failures in all. */
static void
test_retry_few(void **state)
{
	struct ddns_target a = { .addr = ip("5.0.1.2"), .port = 0 };

	(void)state;
	ddns_apply(&rec, &st, &a, DDNS_RETRY_FEW, "REFUSED-unsigned", NOW, 0);
	ddns_apply(&rec, &st, &a, DDNS_RETRY_FEW, "REFUSED-unsigned", NOW, 0);
	assert_int_equal(st.stopped_hash, 0);
	assert_int_equal(st.failures, 2);
	ddns_apply(&rec, &st, &a, DDNS_RETRY, "network", NOW, 0);
	ddns_apply(&rec, &st, &a, DDNS_RETRY_FEW, "REFUSED-unsigned", NOW, 0);
	assert_int_equal(st.stopped_hash, 0);		/* not twice running */
	ddns_apply(&rec, &st, &a, DDNS_RETRY_FEW, "REFUSED-unsigned", NOW, 0);
	assert_int_equal(st.stopped_hash, rec.hash);
	assert_int_equal(decide("5.0.1.2", true, NOW, false, NULL), DDNS_STOPPED);
}

static void
test_state_records(void **state)
{
	struct state s1, s2;
	struct ddns_state *d;
	char buf[4096], why[REASON_LEN];
	int n;

	(void)state;
	memset(&s1, 0, sizeof(s1));
	d = state_ddns(&s1, "home", AF_INET);
	d->published = ip("5.0.1.2");
	d->published_at = NOW;
	snprintf(d->last_result, sizeof(d->last_result), "HTTP 500");
	d->stopped_hash = 0xdeadbeefcafeULL;
	d->published_port = 8080;
	d->published_srv = 0x1f2e3d4c;
	d = state_ddns(&s1, "home", AF_INET6);
	assert_int_equal(s1.nddns, 2);
	assert_ptr_equal(state_ddns(&s1, "home", AF_INET), &s1.ddns[0]);
	n = state_format(&s1, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(strstr(buf, "ddns home A 5.0.1.2 1800000000 HTTP-500 0 0 0 deadbeefcafe 8080 1f2e3d4c\n"));
	assert_int_equal(state_parse(buf, (size_t)n, &s2, why, sizeof(why)), 0);
	assert_int_equal(s2.nddns, 2);
	assert_int_equal(s2.ddns[0].stopped_hash, 0xdeadbeefcafeULL);
	assert_int_equal(s2.ddns[1].family, AF_INET6);
	assert_int_equal(s2.ddns[0].published_port, 8080);
	assert_int_equal(s2.ddns[0].published_srv, 0x1f2e3d4c);
	/* A file from before SRV records: the port alone, no SRV. */
	static const char before_srv[] =
	    "homereach-state 1\nddns home A 5.0.1.2 0 good 0 0 0 0 8080\n";
	assert_int_equal(state_parse(before_srv, strlen(before_srv), &s2, why,
	    sizeof(why)), 0);
	assert_int_equal(s2.ddns[0].published_port, 8080);
	assert_int_equal(s2.ddns[0].published_srv, 0);
	static const char bad_srv[] =
	    "homereach-state 1\nddns home A 5.0.1.2 0 good 0 0 0 0 8080 xyz\n";
	assert_int_equal(state_parse(bad_srv, strlen(bad_srv), &s2, why,
	    sizeof(why)), -EBADMSG);
	/* A file from before ports: nine fields, port 0. */
	static const char before[] =
	    "homereach-state 1\nddns home A 5.0.1.2 0 good 0 0 0 0\n";
	assert_int_equal(state_parse(before, strlen(before), &s2, why,
	    sizeof(why)), 0);
	assert_int_equal(s2.ddns[0].published_port, 0);
	static const char bad_port[] =
	    "homereach-state 1\nddns home A 5.0.1.2 0 good 0 0 0 0 70000\n";
	assert_int_equal(state_parse(bad_port, strlen(bad_port), &s2, why,
	    sizeof(why)), -EBADMSG);
	static const char bad_addr[] =
	    "homereach-state 1\nddns home A 10.0.0.1x 0 - 0 0 0 0\n";
	static const char wrong_family[] =
	    "homereach-state 1\nddns home AAAA 5.0.1.2 0 - 0 0 0 0\n";
	assert_int_equal(state_parse(bad_addr, strlen(bad_addr), &s2, why,
	    sizeof(why)), -EBADMSG);
	assert_int_equal(state_parse(wrong_family, strlen(wrong_family), &s2, why,
	    sizeof(why)), -EBADMSG);
	assert_string_equal(why, "line 2: bad ddns record");
}

/* Another LAN host's AAAA: an interface identifier joined to this host's
 * /64 (RFC 4291 section 2.5.1 and appendix A for EUI-64). */
static void
test_iid(void **state)
{
	static const char *bad_suffix[] = { "", "::", "2a05:5:1::1234",
	    "1::1", "::1:0:0:0:0", "5.0.1.2", "::12345", "x" };
	static const char *bad_mac[] = { "", "00:11:22:33:44", "00:11:22:33:44:55:66",
	    "01:11:22:33:44:55", "00-11-22-33-44-55", "0:11:22:33:44:55",
	    "00:11:22:33:44:5g", "00:11:22:33:44:55 " };
	static const uint8_t eui[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33,
	    0x44, 0x55 };
	struct ddns_config r = { .record = REC_BOTH };
	struct netaddr v4, v6, out;
	char a[ADDR_STRLEN];

	(void)state;
	assert_int_equal(ddns_iid_from_suffix("::1234", r.ipv6_iid), 0);
	assert_int_equal(ddns_iid_from_suffix("::1:2:3:4", r.ipv6_iid), 0);
	for (size_t i = 0; i < sizeof(bad_suffix) / sizeof(bad_suffix[0]); i++)
		if (ddns_iid_from_suffix(bad_suffix[i], r.ipv6_iid) != -1)
			fail_msg("suffix \"%s\" taken", bad_suffix[i]);
	assert_int_equal(ddns_iid_from_mac("00:11:22:33:44:55", r.ipv6_iid), 0);
	assert_memory_equal(r.ipv6_iid, eui, 8);
	for (size_t i = 0; i < sizeof(bad_mac) / sizeof(bad_mac[0]); i++)
		if (ddns_iid_from_mac(bad_mac[i], r.ipv6_iid) != -1)
			fail_msg("MAC \"%s\" taken", bad_mac[i]);
	addr_parse("5.0.1.2", &v4);
	addr_parse("2a05:5:1::10", &v6);
	assert_int_equal(ddns_iid_from_suffix("::1234", r.ipv6_iid), 0);
	r.has_iid = true;
	ddns_record_addr(&r, AF_INET6, &v4, &v6, &out);
	assert_string_equal(addr_ntop(&out, a, sizeof(a)), "2a05:5:1::1234");
	ddns_record_addr(&r, AF_INET, &v4, &v6, &out);
	assert_string_equal(addr_ntop(&out, a, sizeof(a)), "5.0.1.2");
	memset(&v6, 0, sizeof(v6));		/* no IPv6 now: none made up */
	ddns_record_addr(&r, AF_INET6, &v4, &v6, &out);
	assert_int_equal(out.family, 0);
}

/* The names people write, to the names on the wire; the two ldns cannot
 * sign with are refused with what to use. */
static void
test_tsig_names(void **state)
{
	static const struct { const char *in, *wire; } table[] = {
		{ "hmac-md5", "hmac-md5.sig-alg.reg.int" },
		{ "HMAC-MD5", "hmac-md5.sig-alg.reg.int" },
		{ "hmac-md5.sig-alg.reg.int", "hmac-md5.sig-alg.reg.int" },
		{ "hmac-sha1", "hmac-sha1" },
		{ "hmac-sha256", "hmac-sha256" },
		{ "hmac-sha512", "hmac-sha512" },
		{ "hmac-sha224", NULL },
		{ "hmac-sha384", NULL },
		{ "hmac-shac384", NULL },
		{ "", NULL },
		{ "gss-tsig", NULL },
	};
	char why[REASON_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *w = tsig_wire_name(table[i].in, why, sizeof(why));
		if (table[i].wire == NULL) {
			assert_null(w);
			assert_non_null(strstr(why, "use hmac-sha256"));
		} else
			assert_string_equal(w, table[i].wire);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_only_public, setup),
		cmocka_unit_test_setup(test_only_changes, setup),
		cmocka_unit_test_setup(test_port_changes, setup),
		cmocka_unit_test_setup(test_srv_changes, setup),
		cmocka_unit_test_setup(test_withdraw, setup),
		cmocka_unit_test_setup(test_stop_until_config_changes, setup),
		cmocka_unit_test_setup(test_backoff, setup),
		cmocka_unit_test_setup(test_911, setup),
		cmocka_unit_test_setup(test_retry_few, setup),
		cmocka_unit_test_setup(test_state_records, setup),
		cmocka_unit_test(test_iid),
		cmocka_unit_test(test_tsig_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
