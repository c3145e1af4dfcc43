/* SPDX-License-Identifier: BSD-2-Clause */
/* State file: round trip, every refusal with its line, atomic save. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "agent/config/state.h"

static const char good[] =
    "homereach-state 1\n"
    "# a comment\n"
    "mapping tcp 8080 8080 natpmp 192.168.1.1 5.0.1.2 1763700000 7200 3600 - 0 0 -\n"
    "\n"
    "mapping udp 5353 6000 pcp 192.168.1.1 - 1763700000 7200 12 0102030405060708090a0b0c 4242 99 8080\n"
    /* pending: recorded before it was asked for */
    "mapping tcp 443 443 any 192.168.1.1 - 1763700000 7200 0 0102030405060708090a0b0c 4242 99 -\n";

static void
test_round_trip(void **state)
{
	struct state st, again;
	char why[REASON_LEN], text[4096], a[ADDR_STRLEN];
	int n;

	(void)state;
	assert_int_equal(state_parse(good, strlen(good), &st, why, sizeof(why)), 0);
	assert_int_equal(st.nmaps, 3);
	assert_int_equal(st.maps[2].via, VIA_ANY);
	assert_int_equal(st.maps[0].protocol, IPPROTO_TCP);
	assert_int_equal(st.maps[0].via, VIA_NATPMP);
	assert_string_equal(addr_ntop(&st.maps[0].external, a, sizeof(a)), "5.0.1.2");
	assert_int_equal(st.maps[1].external_port, 6000);
	assert_true(st.maps[1].has_nonce);
	assert_int_equal(st.maps[1].nonce[11], 0x0c);
	assert_int_equal(st.maps[1].owner_pid, 4242);
	assert_int_equal(st.maps[1].chain, 8080);
	assert_int_equal(st.maps[0].chain, 0);
	assert_int_equal(st.maps[1].external.family, 0);
	n = state_format(&st, text, sizeof(text));
	assert_true(n > 0);
	assert_int_equal(state_parse(text, (size_t)n, &again, why, sizeof(why)), 0);
	assert_memory_equal(&st, &again, sizeof(st));
	assert_int_equal(state_format(&st, text, 40), -ENOSPC);
}

/* The hairpin check's target: a granted TCP mapping with a public side,
 * the upstream layer of a double NAT before the home router's. */
static void
test_public_tcp(void **state)
{
	static const char text[] = "homereach-state 1\n"
	    /* pending, UDP, private external: none of them */
	    "mapping tcp 443 443 any 192.168.1.1 - 1763700000 7200 0 - 0 0 -\n"
	    "mapping udp 5353 6000 pcp 192.168.1.1 5.0.1.2 1763700000 7200 12 - 0 0 -\n"
	    "mapping tcp 22 22 natpmp 192.168.1.1 192.168.0.2 1763700000 7200 3 - 0 0 -\n";
	static const char chain[] = "homereach-state 1\n"
	    "mapping tcp 8080 8080 pcp 192.168.1.1 5.0.1.2 1763700000 7200 3 - 0 0 -\n"
	    "mapping tcp 8080 9000 natpmp 100.64.0.1 5.0.1.2 1763700000 7200 3 - 0 0 8080\n";
	struct state st;
	char why[REASON_LEN];
	const struct map_record *m;

	(void)state;
	assert_int_equal(state_parse(text, strlen(text), &st, why, sizeof(why)), 0);
	assert_null(state_public_tcp(&st));
	assert_int_equal(state_parse(chain, strlen(chain), &st, why, sizeof(why)), 0);
	assert_non_null(m = state_public_tcp(&st));
	assert_int_equal(m->external_port, 9000);
}

/* A pinhole on a router known by its link-local address: the interface
 * is kept, or it could not be asked again; and the IGDv2 UniqueID. */
static void
test_pinhole_records(void **state)
{
	static const char text[] = "homereach-state 1\n"
	    "mapping tcp 8080 8080 pcp fe80::1%2 2a05:5:1::10 1763700000 7200 1 - 0 0 -\n"
	    "mapping udp 5353 5353 upnp 2a05:5:1::1 2a05:5:1::10 1763700000 3600 0 - 0 0 - 7\n";
	struct state st, again;
	char why[REASON_LEN], out[4096], a[ADDR_STRLEN];
	int n;

	(void)state;
	assert_int_equal(state_parse(text, strlen(text), &st, why, sizeof(why)), 0);
	assert_string_equal(addr_ntop(&st.maps[0].gateway, a, sizeof(a)), "fe80::1");
	assert_int_equal(st.maps[0].gateway.scope, 2);
	assert_int_equal(st.maps[1].pinhole_id, 7);
	assert_int_equal(st.maps[0].pinhole_id, 0);
	n = state_format(&st, out, sizeof(out));
	assert_true(n > 0);
	assert_non_null(strstr(out, " fe80::1%2 "));
	assert_non_null(strstr(out, " - 7\n"));
	assert_int_equal(state_parse(out, (size_t)n, &again, why, sizeof(why)), 0);
	assert_memory_equal(&st, &again, sizeof(st));
}

static const struct { const char *text, *reason; } bad[] = {
	{ "", "line 1: empty state file" },
	{ "hello\n", "line 1: not a homereach state file" },
	{ "homereach-state 2\n", "line 1: state version 2, this homereach reads 1" },
	{ "homereach-state 1\nmapping tcp 8080\n", "line 2: bad mapping record" },
	{ "homereach-state 1\nmapping sctp 1 1 pcp 1.1.1.1 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 0 1 pcp 1.1.1.1 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 70000 pcp 1.1.1.1 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp nothere - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1 - 0 0 0 0102 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1 - 0 0 0 - -5 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1 - 0 0 0 - 0 0 - extra\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1 - 0 0 0 - 0 0 0\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1 - 0 0 0 - 0 0 70000\n", "line 2" },
	/* A scope only on a link-local router, a number, not 0. */
	{ "homereach-state 1\nmapping tcp 1 1 pcp 1.1.1.1%2 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp 2a05::1%2 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp fe80::1%eth0 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp fe80::1%0 - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp fe80::1% - 0 0 0 - 0 0 -\n", "line 2" },
	{ "homereach-state 1\nmapping tcp 1 1 pcp fe80::1%-2 - 0 0 0 - 0 0 -\n", "line 2" },
};

static void
test_refused(void **state)
{
	struct state st;
	char why[REASON_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (state_parse(bad[i].text, strlen(bad[i].text), &st, why,
		    sizeof(why)) == 0)
			fail_msg("case %zu parsed", i);
		if (strstr(why, bad[i].reason) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why, bad[i].reason);
	}
	assert_int_equal(state_parse("homereach-state 1\n\0x", 20, &st, why,
	    sizeof(why)), -EBADMSG);
}

static void
test_save_load(void **state)
{
	char dir[] = "/tmp/homereach-state-test.XXXXXX", path[256], why[REASON_LEN];
	struct state st, back;
	struct stat sb;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	assert_int_equal(state_load(path, &back, why, sizeof(why)), 0);
	assert_int_equal(back.nmaps, 0);		/* missing: empty */
	assert_int_equal(state_parse(good, strlen(good), &st, why, sizeof(why)), 0);
	fd = state_lock(path, why, sizeof(why));
	assert_true(fd >= 0);
	assert_int_equal(state_save(path, &st, why, sizeof(why)), 0);
	close(fd);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(state_load(path, &back, why, sizeof(why)), 0);
	assert_memory_equal(&st, &back, sizeof(st));
	state_remove(&back, state_find(&back, IPPROTO_TCP, 8080, NULL));
	assert_int_equal(back.nmaps, 2);
	assert_null(state_find(&back, IPPROTO_TCP, 8080, NULL));
	assert_non_null(state_find(&back, IPPROTO_UDP, 5353, &st.maps[1].gateway));
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.lock", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pinhole_records),
		cmocka_unit_test(test_public_tcp),
		cmocka_unit_test(test_save_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
