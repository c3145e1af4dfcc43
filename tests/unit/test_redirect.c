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

#include "ddns/httphead.h"
#include "ddns/redirect.h"

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
	char out[REDIRECT_NAME_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = redirect_host(cases[i].in, out, sizeof(out));
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
		assert_int_equal(redirect_location(&a, cases[i].port, cases[i].uri,
		    out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].out);
	}
	struct netaddr a;
	addr_parse("5.0.1.2", &a);
	assert_int_equal(redirect_location(&a, 80, "/aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    out, 30), -1);
}

static void
test_update(void **state)
{
	struct redirect_update u;
	char why[120], ip[ADDR_STRLEN];

	(void)state;
	assert_int_equal(redirect_parse_update("hostname=nas.example.com&myip="
	    "5.0.1.2&port=8080&system=dyndns&wildcard=NOCHG", &u, why,
	    sizeof(why)), 0);
	assert_int_equal(u.nhosts, 1);
	assert_string_equal(u.hosts[0], "nas.example.com");
	assert_string_equal(addr_ntop(&u.myip[0], ip, sizeof(ip)), "5.0.1.2");
	assert_int_equal(u.myip[1].family, 0);
	assert_int_equal(u.port, 8080);
	/* Several hosts, escaped commas, both families, no port. */
	assert_int_equal(redirect_parse_update("hostname=A.example.com%2Cb.example"
	    ".com&myip=5.0.1.2,2001:db8::5", &u, why, sizeof(why)), 0);
	assert_int_equal(u.nhosts, 2);
	assert_string_equal(u.hosts[0], "a.example.com");
	assert_string_equal(addr_ntop(&u.myip[1], ip, sizeof(ip)), "2001:db8::5");
	assert_int_equal(u.port, 0);
	/* myip absent or empty: the source address is used later. */
	assert_int_equal(redirect_parse_update("hostname=nas.example.com&myip=",
	    &u, why, sizeof(why)), 0);
	assert_int_equal(u.myip[0].family, 0);

	static const struct { const char *q, *why; } bad[] = {
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
		if (redirect_parse_update(bad[i].q, &u, why, sizeof(why)) != -1)
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
	assert_int_equal(redirect_parse_check("port=8080&proto=udp", &port, &proto,
	    why, sizeof(why)), 0);
	assert_int_equal(port, 8080);
	assert_int_equal(proto, IPPROTO_UDP);
	assert_int_equal(redirect_parse_check("port=22", &port, &proto, why,
	    sizeof(why)), 0);
	assert_int_equal(proto, IPPROTO_TCP);
	static const char *bad[] = { NULL, "", "proto=tcp", "port=0", "port=x",
	    "port=80&proto=icmp", "port=80&host=5.0.0.9", "port=80&addr=5.0.0.9",
	    "port=80&ip=5.0.0.9", "port=80&target=x", "port=80&%68ost=5.0.0.9" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (redirect_parse_check(bad[i], &port, &proto, why, sizeof(why)) != -1)
			fail_msg("\"%s\" taken", bad[i] ? bad[i] : "(null)");
	redirect_parse_check("port=80&host=5.0.0.9", &port, &proto, why, sizeof(why));
	assert_non_null(strstr(why, "never another"));
}

static void
test_basic_auth(void **state)
{
	char user[128], pass[256];

	(void)state;
	/* "alice:pa:ss" - the password may hold a colon, the user not */
	assert_int_equal(redirect_basic_auth("Basic YWxpY2U6cGE6c3M=", user,
	    sizeof(user), pass, sizeof(pass)), 0);
	assert_string_equal(user, "alice");
	assert_string_equal(pass, "pa:ss");
	assert_int_equal(redirect_basic_auth("basic  YWxpY2U6", user, sizeof(user),
	    pass, sizeof(pass)), 0);		/* "alice:", empty password */
	assert_string_equal(pass, "");
	/* ":pass": no user name (the status page takes any; the redirect
	 * server finds no such user) */
	assert_int_equal(redirect_basic_auth("Basic OnBhc3M=", user, sizeof(user),
	    pass, sizeof(pass)), 0);
	assert_string_equal(user, "");
	assert_string_equal(pass, "pass");
	static const char *bad[] = { NULL, "", "Basic", "Basic ", "Bearer abc",
	    "Basic YWxpY2U", "Basic YWxpY2U=", "Basic =YWxpY2U6", "Basic YWxp*2U6",
	    "Basic YWxpY2U=====", "Basic YQBiOmM=" /* NUL inside */ };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (redirect_basic_auth(bad[i], user, sizeof(user), pass,
		    sizeof(pass)) != -1)
			fail_msg("\"%s\" taken", bad[i] ? bad[i] : "(null)");
}

static void
test_users(void **state)
{
	struct redirect_user u;

	(void)state;
	assert_int_equal(redirect_user_parse("nas.example.com:alice:$y$j9T$abc$def\n",
	    &u), 0);
	assert_string_equal(u.host, "nas.example.com");
	assert_string_equal(u.user, "alice");
	assert_string_equal(u.hash, "$y$j9T$abc$def");
	assert_int_equal(redirect_user_parse("# comment\n", &u), 1);
	assert_int_equal(redirect_user_parse("\n", &u), 1);
	assert_int_equal(redirect_user_parse("", &u), 1);
	static const char *bad[] = { "nas.example.com", "nas.example.com:alice",
	    "nas.example.com:alice:", "nas.example.com::$y$x", "nas.example.com:alice:plain",
	    "-x-:alice:$y$x", ":alice:$y$x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (redirect_user_parse(bad[i], &u) != -1)
			fail_msg("\"%s\" taken", bad[i]);
}

/* --- HTTP request heads --- */

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
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_httphead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
