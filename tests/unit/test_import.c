/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach import: a table of ddclient and inadyn configurations, each
 * with what its homereach.conf must hold and must not; every output
 * parses with no error, and no secret is ever in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/config/config.h"
#include "agent/import/imported.h"

struct import_case {
	const char *client, *text;
	const char *has[8];		/* lines the output holds */
	const char *hasnt[4];		/* text it must not hold */
	int records;
	const char *error;		/* an error, "LINE: what", or NULL */
};

#define SECRET "s3cr#t-pa55"

static const struct import_case cases[] = {
	{ "ddclient",
	  "# ddclient.conf\n"
	  "daemon=600\n"
	  "syslog=yes\n"
	  "ssl=yes, use=web, web=https://echo.example.net/ip\n"
	  "protocol=dyndns2,			\\\n"
	  "server=members.example.net,		\\\n"
	  "login=alice,				\\\n"
	  "password='" SECRET "'		\\\n"
	  "nas.example.net, www.example.net\n",
	  { "interval = 600", "log = syslog",
	    "http_echo = https://echo.example.net/ip", "[ddns nas-example-net]",
	    "server = https://members.example.net", "username = alice",
	    "password_file = /s/www-example-net.password", "# from line 5" },
	  { SECRET, "plain_http" }, 2, NULL },
	{ "ddclient",	/* the old way: host login password; ssl off */
	  "protocol=dyndns2\nserver=dyn.example.org\n"
	  "home.example.org bob " SECRET "\n",
	  { "username = bob", "server = http://dyn.example.org",
	    "plain_http = yes", "line 3: ssl=no" }, { SECRET }, 1, NULL },
	{ "ddclient",
	  "protocol=cloudflare, zone=example.com, ttl=1, login=token, "
	  "password=" SECRET " cf.example.com\n"
	  "protocol=duckdns, password=" SECRET " myhouse\n",
	  { "provider = cloudflare", "zone = example.com",
	    "token_file = /s/cf-example-com.token", "provider = duckdns",
	    "hostname = myhouse" }, { SECRET, "ttl" }, 2, NULL },
	{ "ddclient",
	  "protocol=nsupdate, server=ns1.example.com, zone=example.com, "
	  "ttl=600, login=/usr/bin/nsupdate, password=/etc/ddclient/k.key "
	  "dyn.example.com\n",
	  { "provider = rfc2136", "server = ns1.example.com", "ttl = 600",
	    "zone = example.com", "tsig_key = ddns-key",
	    "tsig_secret_file = /s/dyn-example-com.tsig" }, { "/etc/ddclient/k.key" }, 1, NULL },
	{ "ddclient",	/* IPv6 from an interface; a protocol homereach lacks */
	  "usev4=disabled, usev6=ifv6, ifv6=eth0\n"
	  "protocol=dyndns2, server=members.example.net, login=a, "
	  "password=" SECRET " six.example.net\n"
	  "protocol=namecheap, login=example.com, password=" SECRET " @\n"
	  "mail=root\n",
	  { "record = AAAA", "line 1: usev6=ifv6 -- homereach reads",
	    "line 4: mail=root", "line 3: host \"@\"" },
	  { SECRET, "http_echo" }, 1, NULL },
	{ "ddclient",	/* a global after a host does not reach back */
	  "protocol=duckdns, password=" SECRET " first\n"
	  "fw-password=" SECRET ", mystery=1\n",
	  { "line 2: mystery=1", "provider = duckdns" }, { SECRET }, 1, NULL },
	{ "inadyn",
	  "# inadyn.conf\n"
	  "period = 300\n"
	  "forced-update = 864000\n"
	  "iface = eth0\n"
	  "provider default@dyndns.org {\n"
	  "    username = user\n"
	  "    password = \"" SECRET "\"\n"
	  "    hostname = { \"a.example.org\", b.example.org }\n"
	  "}\n",
	  { "interval = 300", "provider = dyn", "refresh_days = 10",
	    "line 4: iface = eth0", "[ddns b-example-org]", "username = user" },
	  { SECRET }, 2, NULL },
	{ "inadyn",
	  "allow-ipv6 = true\n"
	  "ca-trust-file = /etc/ca.pem\n"
	  "provider cloudflare.com:1 { username = example.com\n"
	  "  password = " SECRET " /* the token */\n"
	  "  hostname = nas.example.com }\n"
	  "provider cloudflare.com:2 { checkip-server = api6.example.net\n"
	  "  username = example.com\n"
	  "  password = " SECRET "\n"
	  "  hostname = nas.example.com\n"
	  "  proxied = true }\n",
	  { "record = both", "zone = example.com", "ca_file = /etc/ca.pem",
	    "http_echo = https://api6.example.net/", "proxied = true" },
	  { SECRET }, 1, NULL },
	{ "inadyn",
	  "custom lab {\n"
	  "  username = alice\n  password = '" SECRET "'\n"
	  "  ddns-server = 192.0.2.1\n"
	  "  ddns-path = \"/nic/update?hostname=%h&myip=%i\"\n"
	  "  ssl = false\n"
	  "  checkip-server = 192.0.2.1\n  checkip-path = /\n  checkip-ssl = false\n"
	  "  hostname = lab.example.com\n}\n"
	  "custom other { ddns-server = dyn.example.net\n"
	  "  ddns-path = \"/set?h=%h&ip=%i&k=%p\"\n"
	  "  ddns-response = \"OK\"\n"
	  "  password = " SECRET "\n"
	  "  hostname = other.example.net }\n"
	  "include(\"/etc/more.conf\")\n",
	  { "provider = dyndns2", "server = http://192.0.2.1",
	    "http_echo = http://192.0.2.1/", "plain_http = yes",
	    "url = https://dyn.example.net/set?h={hostname}&ip={ip}&k={password}",
	    "success = *OK*", "include(...)" }, { SECRET }, 2, NULL },
	{ "inadyn", "period = 300\nprovider x { username user }\n",
	  { NULL }, { NULL }, 0, "2: want =, not \"user\"" },
	{ "inadyn", "provider x { hostname = \"open\n", { NULL }, { NULL }, 0,
	  "1: a string with no closing quote" },
	{ "inadyn", "/* never closed\nperiod = 30\n", { NULL }, { NULL }, 0,
	  "1: a comment that never ends" },
};

static char *
import_text(const struct import_case *c, struct imported *im)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	imported_init(im, c->client);
	(strcmp(c->client, "ddclient") ? import_inadyn : import_ddclient)(c->text,
	    strlen(c->text), im);
	for (int i = 0; i < im->nrec; i++)
		if (im->rec[i].key_file[0]) {	/* as the command reads it */
			strcpy(im->rec[i].tsig_key, "ddns-key");
			strcpy(im->rec[i].tsig_algorithm, "hmac-sha256");
			strcpy(im->rec[i].secret, "c2VjcmV0");
		}
	imported_write(im, "t.conf", "/s", f);
	fclose(f);
	return out;
}

static void
test_table(void **state)
{
	struct imported *im = malloc(sizeof(*im));
	struct config *cfg = malloc(sizeof(*cfg));

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct import_case *c = &cases[i];
		char *out = import_text(c, im);
		if (c->error) {
			if (im->nerrors != 1)
				fail_msg("case %zu: %d errors", i, im->nerrors);
			assert_string_equal(im->errors[0], c->error);
			free(out);
			continue;
		}
		if (im->nerrors)
			fail_msg("case %zu: %s", i, im->errors[0]);
		assert_null(strstr(out, "c2VjcmV0"));
		assert_int_equal(im->nrec, c->records);
		for (int k = 0; k < 8 && c->has[k]; k++)
			if (strstr(out, c->has[k]) == NULL)
				fail_msg("case %zu: no \"%s\" in\n%s", i, c->has[k], out);
		for (int k = 0; k < 4 && c->hasnt[k]; k++)
			if (strstr(out, c->hasnt[k]) != NULL)
				fail_msg("case %zu: \"%s\" in\n%s", i, c->hasnt[k], out);
		config_parse(out, strlen(out), "out.conf", cfg);
		if (cfg->nerrors)
			fail_msg("case %zu: %s in\n%s", i, cfg->errors[0], out);
		free(out);
	}
	free(im);
	free(cfg);
}

static void
test_bind_key(void **state)
{
	static const char good[] = "// made by tsig-keygen\n"
	    "key \"ddns-key.example.com\" {\n\talgorithm hmac-sha256;\n"
	    "\tsecret \"c2VjcmV0\";\n};\n";
	char name[64], alg[32], secret[64], why[160];

	(void)state;
	assert_int_equal(import_bind_key(good, strlen(good), name, sizeof(name),
	    alg, sizeof(alg), secret, sizeof(secret), why, sizeof(why)), 0);
	assert_string_equal(name, "ddns-key.example.com");
	assert_string_equal(alg, "hmac-sha256");
	assert_string_equal(secret, "c2VjcmV0");
	assert_true(import_bind_key("key \"k\" { algorithm hmac-md5; };", 31,
	    name, sizeof(name), alg, sizeof(alg), secret, sizeof(secret), why,
	    sizeof(why)) < 0);
	assert_string_equal(why, "key \"k\" has no secret");
	assert_true(import_bind_key("Private-key-format: v1.3\n", 25, name,
	    sizeof(name), alg, sizeof(alg), secret, sizeof(secret), why,
	    sizeof(why)) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bind_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
