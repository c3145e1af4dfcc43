/* SPDX-License-Identifier: BSD-2-Clause */
/* The redirect server's parsers of outside input, as tables of cases. */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ddns/redirect/redirparse.h"

static void
test_host(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "nas.example.com", "nas.example.com" },
		{ "NAS.Example.COM", "nas.example.com" },
		{ "nas.example.com.", "nas.example.com" },	/* FQDN form */
		{ "nas.example.com:80", "nas.example.com" },
		{ "nas.example.com.:8080", "nas.example.com" },
		{ "a-b.c0.example", "a-b.c0.example" },
		{ "xn--bcher-kva.example", "xn--bcher-kva.example" },
		{ "5.0.0.4", NULL },		/* an address: last label digits */
		{ "[2001:db8::1]", NULL },
		{ "[2001:db8::1]:80", NULL },
		{ "localhost", NULL },		/* one label */
		{ "", NULL },
		{ ".", NULL },
		{ "a..b", NULL },
		{ "-a.example", NULL },
		{ "a-.example", NULL },
		{ "a_b.example", NULL },
		{ "a b.example", NULL },
		{ "evil.example/x", NULL },
		{ "evil.example@x", NULL },
		{ "nas.example.com:", NULL },
		{ "nas.example.com:0", NULL },
		{ "nas.example.com:65536", NULL },
		{ "nas.example.com:80x", NULL },
		{ "nas.example.com\r\nX: y", NULL },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
		    NULL },			/* a 64-character label */
	};
	char out[REDIRPARSE_NAME_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = redirparse_host(cases[i].in, out, sizeof(out));
		if (cases[i].out == NULL) {
			if (rc != -1)
				fail_msg("\"%s\" taken as \"%s\"", cases[i].in, out);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		}
	}
}

static void
test_location(void **state)
{
	static const struct { const char *ip; uint16_t port; const char *uri, *out; } cases[] = {
		{ "5.0.1.2", 8080, "/some/path?x=1", "http://5.0.1.2:8080/some/path?x=1" },
		{ "5.0.1.2", 8080, "/", "http://5.0.1.2:8080/" },
		{ "2001:db8::7", 443, "/a", "http://[2001:db8::7]:443/a" },
		/* absolute-form: only its path; never another host */
		{ "5.0.1.2", 80, "http://evil.example/x?y", "http://5.0.1.2:80/x?y" },
		{ "5.0.1.2", 80, "http://evil.example", "http://5.0.1.2:80/" },
		/* a scheme-relative target would name another host */
		{ "5.0.1.2", 80, "//evil.example/x", "http://5.0.1.2:80/" },
		{ "5.0.1.2", 80, "*", "http://5.0.1.2:80/" },
		/* nothing that could end the header line */
		{ "5.0.1.2", 80, "/a\r\nSet-Cookie: x", "http://5.0.1.2:80/a%0D%0ASet-Cookie:%20x" },
		{ "5.0.1.2", 80, "/\xc3\xa9", "http://5.0.1.2:80/%C3%A9" },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netaddr a;
		assert_int_equal(addr_parse(cases[i].ip, &a), 0);
		assert_int_equal(redirparse_location(&a, cases[i].port, cases[i].uri,
		    out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].out);
	}
	struct netaddr a;
	addr_parse("5.0.1.2", &a);
	assert_int_equal(redirparse_location(&a, 80, "/aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    out, 30), -1);
}

static void
test_update(void **state)
{
	struct redirparse_update u;
	char why[120], ip[ADDR_STRLEN];

	(void)state;
	assert_int_equal(redirparse_update_query("hostname=nas.example.com&myip="
	    "5.0.1.2&port=8080&system=dyndns&wildcard=NOCHG", &u, why,
	    sizeof(why)), 0);
	assert_int_equal(u.nhosts, 1);
	assert_string_equal(u.hosts[0], "nas.example.com");
	assert_string_equal(addr_ntop(&u.myip[0], ip, sizeof(ip)), "5.0.1.2");
	assert_int_equal(u.myip[1].family, 0);
	assert_int_equal(u.port, 8080);
	/* Several hosts, escaped commas, both families, no port. */
	assert_int_equal(redirparse_update_query("hostname=A.example.com%2Cb.example"
	    ".com&myip=5.0.1.2,2001:db8::5", &u, why, sizeof(why)), 0);
	assert_int_equal(u.nhosts, 2);
	assert_string_equal(u.hosts[0], "a.example.com");
	assert_string_equal(addr_ntop(&u.myip[1], ip, sizeof(ip)), "2001:db8::5");
	assert_int_equal(u.port, 0);
	/* myip absent or empty: the source address is used later. */
	assert_int_equal(redirparse_update_query("hostname=nas.example.com&myip=",
	    &u, why, sizeof(why)), 0);
	assert_int_equal(u.myip[0].family, 0);
	assert_false(u.offline);
	/* offline=yes withdraws (dyndns2's word, any case); no and NOCHG not. */
	assert_int_equal(redirparse_update_query("hostname=nas.example.com&"
	    "offline=YES", &u, why, sizeof(why)), 0);
	assert_true(u.offline);
	assert_int_equal(redirparse_update_query("hostname=nas.example.com&"
	    "offline=nochg", &u, why, sizeof(why)), 0);
	assert_false(u.offline);

	static const struct { const char *q, *why; } bad[] = {
		{ "hostname=nas.example.com&offline=1", "offline is not yes or no" },
		{ "hostname=nas.example.com&offline=", "offline is not yes or no" },
		{ "", "no hostname" },
		{ "myip=5.0.1.2", "no hostname" },
		{ "hostname=", "no hostname" },
		{ "hostname=-x-", "a hostname is not a DNS host name" },
		{ "hostname=nas.example.com:80", "a hostname is not a DNS host name" },
		{ "hostname=nas.example.com&myip=5.0.1", "myip is not an IP address" },
		{ "hostname=nas.example.com&port=0", "port is not a number from 1 to 65535" },
		{ "hostname=nas.example.com&port=65536", "port is not a number from 1 to 65535" },
		{ "hostname=nas.example.com&port=+80", "port is not a number from 1 to 65535" },
		{ "hostname=nas.example.com%", "the query has a bad escape or a key too long" },
		{ "hostname=nas.example.com%zz", "the query has a bad escape or a key too long" },
		{ "hostname=nas%00.example.com", "the query has a bad escape or a key too long" },
		{ "hostname=a.x,b.x,c.x,d.x,e.x,f.x,g.x,h.x,i.x", "more than 8 host names" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (redirparse_update_query(bad[i].q, &u, why, sizeof(why)) != -1)
			fail_msg("\"%s\" taken", bad[i].q);
		assert_string_equal(why, bad[i].why);
	}
}

static void
test_check(void **state)
{
	uint16_t port;
	int proto;
	char why[160];

	(void)state;
	assert_int_equal(redirparse_check("port=8080&proto=udp", &port, &proto,
	    why, sizeof(why)), 0);
	assert_int_equal(port, 8080);
	assert_int_equal(proto, IPPROTO_UDP);
	assert_int_equal(redirparse_check("port=22", &port, &proto, why,
	    sizeof(why)), 0);
	assert_int_equal(proto, IPPROTO_TCP);
	static const char *bad[] = { NULL, "", "proto=tcp", "port=0", "port=x",
	    "port=80&proto=icmp", "port=80&host=5.0.0.9", "port=80&addr=5.0.0.9",
	    "port=80&ip=5.0.0.9", "port=80&target=x", "port=80&%68ost=5.0.0.9" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (redirparse_check(bad[i], &port, &proto, why, sizeof(why)) != -1)
			fail_msg("\"%s\" taken", bad[i] ? bad[i] : "(null)");
	redirparse_check("port=80&host=5.0.0.9", &port, &proto, why, sizeof(why));
	assert_non_null(strstr(why, "never another"));
}

static void
test_users(void **state)
{
	struct redirparse_user u;

	(void)state;
	assert_int_equal(redirparse_user("nas.example.com:alice:$y$j9T$abc$def\n",
	    &u), 0);
	assert_string_equal(u.host, "nas.example.com");
	assert_string_equal(u.user, "alice");
	assert_string_equal(u.hash, "$y$j9T$abc$def");
	assert_int_equal(redirparse_user("# comment\n", &u), 1);
	assert_int_equal(redirparse_user("\n", &u), 1);
	assert_int_equal(redirparse_user("", &u), 1);
	static const char *bad[] = { "nas.example.com", "nas.example.com:alice",
	    "nas.example.com:alice:", "nas.example.com::$y$x", "nas.example.com:alice:plain",
	    "-x-:alice:$y$x", ":alice:$y$x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (redirparse_user(bad[i], &u) != -1)
			fail_msg("\"%s\" taken", bad[i]);
}

/* --- HTTP request heads --- */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
