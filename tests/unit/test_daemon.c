/* SPDX-License-Identifier: BSD-2-Clause */
/* agent/daemon: the control vocabulary (ctlmsg.c), as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "agent/daemon/ctlmsg.h"

static const struct {
	const char *line;
	int rc;
	enum ctl_verb verb;
	int protocol;
	uint16_t port, external;
	const char *again;	/* as ctlmsg_format writes it back, if not line */
} requests[] = {
	{ "status", 0, CTL_STATUS, 0, 0, 0, NULL },
	{ "check", 0, CTL_CHECK, 0, 0, 0, NULL },
	{ "ddns update", 0, CTL_DDNS_UPDATE, 0, 0, 0, NULL },
	{ "map add 8080/tcp", 0, CTL_MAP_ADD, IPPROTO_TCP, 8080, 0, NULL },
	{ "map add 8080", 0, CTL_MAP_ADD, IPPROTO_TCP, 8080, 0, "map add 8080/tcp" },
	{ "map add 53/udp --external 5353", 0, CTL_MAP_ADD, IPPROTO_UDP, 53,
	  5353, NULL },
	{ "map del 53/udp", 0, CTL_MAP_DEL, IPPROTO_UDP, 53, 0, NULL },
	{ "  map   del 1/tcp ", 0, CTL_MAP_DEL, IPPROTO_TCP, 1, 0, "map del 1/tcp" },
	{ "", -1, 0, 0, 0, 0, NULL },
	{ "statu", -1, 0, 0, 0, 0, NULL },
	{ "status now", -1, 0, 0, 0, 0, NULL },
	{ "ddns", -1, 0, 0, 0, 0, NULL },
	{ "map", -1, 0, 0, 0, 0, NULL },
	{ "map add", -1, 0, 0, 0, 0, NULL },
	{ "map add 0/tcp", -1, 0, 0, 0, 0, NULL },
	{ "map add 65536", -1, 0, 0, 0, 0, NULL },
	{ "map add -1", -1, 0, 0, 0, 0, NULL },
	{ "map add +80", -1, 0, 0, 0, 0, NULL },
	{ "map add 80/sctp", -1, 0, 0, 0, 0, NULL },
	{ "map add 80/tcpx", -1, 0, 0, 0, 0, NULL },
	{ "map add 80 --external", -1, 0, 0, 0, 0, NULL },
	{ "map add 80 --external 0", -1, 0, 0, 0, 0, NULL },
	{ "map add 80 --external 81/udp", -1, 0, 0, 0, 0, NULL },
	{ "map add 80 --lifetime 81", -1, 0, 0, 0, 0, NULL },
	{ "map del 80 --external 81", -1, 0, 0, 0, 0, NULL },
	{ "map move 80", -1, 0, 0, 0, 0, NULL },
	{ "map add 80 a b c d e f", -1, 0, 0, 0, 0, NULL },
	{ "map add 8080\t", -1, 0, 0, 0, 0, NULL },
	{ "map add 808000000000000000000000000000000000000000000000000000000"
	  "00000000000000000000", -1, 0, 0, 0, 0, NULL },
};

static void
test_requests(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		struct ctl_request r;
		char back[80];
		int rc = ctlmsg_parse(requests[i].line, &r);
		if (rc != requests[i].rc)
			fail_msg("\"%s\": %d, want %d", requests[i].line, rc,
			    requests[i].rc);
		if (rc < 0)
			continue;
		assert_int_equal(r.verb, requests[i].verb);
		assert_int_equal(r.protocol, requests[i].protocol);
		assert_int_equal(r.port, requests[i].port);
		assert_int_equal(r.external_port, requests[i].external);
		ctlmsg_format(&r, back, sizeof(back));
		assert_string_equal(back, requests[i].again ? requests[i].again :
		    requests[i].line);
	}
}

/* Each code goes out as its word and comes back as itself; a reply
 * without a known word is "unknown". */
static void
test_codes(void **state)
{
	(void)state;
	for (int c = CTL_OK; c <= CTL_PENDING; c++) {
		json_t *o = ctlmsg_reply((enum ctl_code)c, "why");
		assert_int_equal(ctlmsg_code(o), c);
		assert_int_equal(json_is_true(json_object_get(o, "ok")), c == CTL_OK);
		assert_int_equal(json_object_get(o, "error") != NULL, c != CTL_OK);
		json_decref(o);
	}
	json_t *odd = json_pack("{s:s}", "code", "no such code");
	assert_int_equal(ctlmsg_code(odd), CTL_UNKNOWN);
	assert_int_equal(ctlmsg_code(NULL), CTL_UNKNOWN);
	json_decref(odd);
}

/* A way's layers survive the trip; a failed way carries its reason. */
static void
test_way(void **state)
{
	struct map_record in[2] = { 0 }, out[2];
	const char *error;
	json_t *w;

	(void)state;
	addr_parse("192.168.1.1", &in[0].gateway);
	addr_parse("192.168.0.10", &in[0].external);
	in[0].external_port = 8080, in[0].via = VIA_PCP, in[0].lifetime = 7200;
	addr_parse("192.168.0.1", &in[1].gateway);
	addr_parse("5.0.1.2", &in[1].external);
	in[1].external_port = 9000, in[1].via = VIA_NATPMP, in[1].lifetime = 3600;
	w = ctlmsg_way("mapping", in, 2, NULL);
	assert_int_equal(ctlmsg_way_parse(w, out, 2, &error), 2);
	assert_null(error);
	for (int i = 0; i < 2; i++) {
		assert_true(addr_equal(&out[i].gateway, &in[i].gateway));
		assert_true(addr_equal(&out[i].external, &in[i].external));
		assert_int_equal(out[i].external_port, in[i].external_port);
		assert_int_equal(out[i].via, in[i].via);
		assert_int_equal(out[i].lifetime, in[i].lifetime);
	}
	assert_int_equal(ctlmsg_way_parse(w, out, 1, &error), -1);
	json_decref(w);
	w = ctlmsg_way("pinhole", NULL, 0, "no gateway answered");
	assert_int_equal(ctlmsg_way_parse(w, out, 2, &error), 0);
	assert_string_equal(error, "no gateway answered");
	json_decref(w);
	w = json_loads("{\"layers\": [{\"gateway\": \"x\", \"via\": \"pcp\", "
	    "\"external_address\": \"\", \"external_port\": 1}]}", 0, NULL);
	assert_int_equal(ctlmsg_way_parse(w, out, 2, &error), -1);
	json_decref(w);
	w = json_loads("{\"layers\": [{\"gateway\": \"1.2.3.4\", \"via\": "
	    "\"pcp\", \"external_address\": \"\", \"external_port\": 70000}]}",
	    0, NULL);
	assert_int_equal(ctlmsg_way_parse(w, out, 2, &error), -1);
	json_decref(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_way),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
