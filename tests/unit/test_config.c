/* SPDX-License-Identifier: BSD-2-Clause */
/* The configuration parser: a full file, then each mistake with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "agent/config/config.h"
#include "ddns/ddns.h"

static const char good[] =
    "# homereach\n"
    "[agent]\n"
    "state_dir = /srv/hr\n"
    "runtime_dir = /run/hr\n"
    "interval = 60\n"
    "keep_mappings = yes\n"
    "log = syslog\n"
    "[service web]\n"
    "port = 8080\n"
    "external_port = 80\n"
    "[service game]\n"
    "port = 27015\n"
    "protocol = udp\n"
    "[probes]\n"
    "stun = 5.0.0.2, 5.0.0.3:3478\n"
    "stun = \"stun.example.net\"\n"
    "http_echo = http://5.0.0.2/\n"
    "\n"
    "[ddns home]\n"
    "provider = dyndns2\n"
    "hostname = nas.example.com\n"
    "server = https://members.example.net\n"
    "username = alice\n"
    "password = s3cret\n"
    "record = both\n"
    "[ddns zone-a]\n"
    "  provider = rfc2136 \n"
    "hostname = home.example.com\n"
    "server = 5.0.0.2\n"
    "zone = example.com\n"
    "tsig_key = ddns-key.example.com\n"
    "tsig_secret_file = secret.key\n"
    "ttl = 60\n";

static struct config cfg;

static void
test_good(void **state)
{
	(void)state;
	config_parse(good, strlen(good), "t.conf", &cfg);
	if (cfg.nerrors)
		fail_msg("%s", cfg.errors[0]);
	assert_string_equal(cfg.state_dir, "/srv/hr");
	assert_string_equal(cfg.runtime_dir, "/run/hr");
	assert_int_equal(cfg.interval, 60);
	assert_true(cfg.keep_mappings);
	assert_int_equal(cfg.log, LOG_TO_SYSLOG);
	assert_int_equal(cfg.nservices, 2);
	assert_int_equal(cfg.services[0].protocol, IPPROTO_TCP);
	assert_int_equal(cfg.services[0].port, 8080);
	assert_int_equal(cfg.services[0].external_port, 80);
	assert_int_equal(cfg.services[1].protocol, IPPROTO_UDP);
	assert_int_equal(cfg.services[1].external_port, 0);
	assert_non_null(config_service(&cfg, "game"));
	assert_null(config_service(&cfg, "web2"));
	assert_int_equal(cfg.nstun, 3);
	assert_string_equal(cfg.stun[1], "5.0.0.3:3478");
	assert_string_equal(cfg.stun[2], "stun.example.net");
	assert_int_equal(cfg.necho, 1);
	assert_int_equal(cfg.nddns, 2);
	assert_int_equal(cfg.ddns[0].provider, PROV_DYNDNS2);
	assert_int_equal(cfg.ddns[0].record, REC_BOTH);
	assert_true(cfg.ddns[0].password.set);
	assert_int_equal(cfg.ddns[0].refresh_days, 25);
	assert_int_equal(cfg.ddns[1].provider, PROV_RFC2136);
	assert_string_equal(cfg.ddns[1].tsig_secret.file, "secret.key");
	assert_string_equal(cfg.ddns[1].tsig_algorithm, "hmac-sha256");
	assert_int_equal(cfg.ddns[1].ttl, 60);
	assert_non_null(config_ddns(&cfg, "zone-a"));
	static const char preset[] = "[ddns n]\nprovider = noip\nhostname = h\n"
	    "username = u\npassword = p\n";
	config_parse(preset, strlen(preset), "t.conf", &cfg);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.ddns[0].provider, PROV_DYNDNS2);
	assert_string_equal(cfg.ddns[0].server, "https://dynupdate.no-ip.com");
	assert_null(config_ddns(&cfg, "nope"));
	config_parse("", 0, "t.conf", &cfg);
	assert_string_equal(cfg.runtime_dir, "/run/homereach");
	assert_int_equal(cfg.interval, 300);
	assert_false(cfg.keep_mappings);
}

static const struct { const char *text, *error; } bad[] = {
	{ "stun = x\n", "t.conf:1: \"stun\" outside any [section]" },
	{ "[agent\n", "t.conf:1: a section header must end with ]" },
	{ "[wat]\n", "t.conf:1: unknown section [wat]" },
	{ "[agent]\ncolour = blue\n", "t.conf:2: unknown key \"colour\" in [agent]" },
	{ "[agent]\ninterval = 1\n", "t.conf:2: interval: want a number from 10 to 86400" },
	{ "[agent]\nlog = journal\n", "t.conf:2: log: want stderr or syslog" },
	{ "[service web]\n", "t.conf:1: [service web] has no port" },
	{ "[service web]\nport = 0\n", "t.conf:2: port: want a number from 1 to 65535" },
	{ "[service web]\nport = 80\nprotocol = sctp\n", "t.conf:3: protocol: want tcp or udp" },
	{ "[service web]\nport = 80\nname = x\n", "t.conf:3: unknown key \"name\" in [service web]" },
	{ "[service w b]\n", "t.conf:1: bad service name \"w b\"" },
	{ "[service a]\nport = 80\n[service a]\n", "t.conf:3: [service a] appears twice" },
	{ "[service a]\nport = 80\n[service b]\nport = 80\n", "t.conf:3: [service b]: port 80/tcp is already [service a]" },
	{ "[servicex]\n", "t.conf:1: unknown section [servicex]" },
	{ "[probes]\njust words\n", "t.conf:2: want key = value" },
	{ "[ddns a b]\n", "t.conf:1: bad record name \"a b\"" },
	{ "[ddns a]\nprovider = dyndns2\nhostname = h\n[ddns a]\n", "t.conf:4: [ddns a] appears twice" },
	{ "[ddns a]\nprovider = carrier-pigeon\n", "t.conf:2: provider \"carrier-pigeon\" is not one of" },
	{ "[ddns a]\nrecord = MX\n", "t.conf:2: record: want A, AAAA or both" },
	{ "[ddns a]\nttl = 5\n", "t.conf:2: ttl: want a number from 30 to 86400" },
	{ "[ddns a]\nplain_http = maybe\n", "t.conf:2: plain_http: want yes or no" },
	{ "[ddns a]\nprovider = dyndns2\n", "t.conf:1: [ddns a] has no hostname" },
	{ "[ddns a]\nhostname = h\n", "t.conf:1: [ddns a] has no provider" },
	{ "[ddns a]\nprovider = dyndns2\nhostname = h\n", "dyndns2 needs server, username and password" },
	{ "[ddns a]\nprovider = rfc2136\nhostname = h\nserver = s\n", "rfc2136 needs server, zone, tsig_key" },
	{ "[ddns a]\nprovider = dyndns2\nhostname = h\nserver = http://x/\n"
	  "username = u\npassword = p\n", "say plain_http = yes" },
	{ "[ddns a]\nprovider = cloudflare\nhostname = h\n", "cloudflare needs zone and token" },
	{ "[ddns a]\nprovider = duckdns\nhostname = h\n", "duckdns needs token" },
	{ "[ddns a]\nprovider = custom\nhostname = h\nurl = https://x/{ip}\n", "custom needs url and success" },
	{ "[ddns a]\nipv6_suffix = 2a05:5:1::1234\n", "t.conf:2: ipv6_suffix \"2a05:5:1::1234\": want an interface identifier within ::/64" },
	{ "[ddns a]\nipv6_eui64 = 01:00:5e:00:00:01\n", "t.conf:2: ipv6_eui64 \"01:00:5e:00:00:01\": want a MAC address" },
	{ "[ddns a]\nipv6_suffix = ::1\nipv6_eui64 = 00:11:22:33:44:55\n", "t.conf:3: [ddns a]: one of ipv6_suffix and ipv6_eui64" },
	{ "[ddns a]\nprovider = duckdns\nhostname = h\ntoken = t\nipv6_suffix = ::1\n", "ipv6_eui64 name an AAAA: say record = AAAA" },
	{ "[agent]\nstate_dir = \0\n", "t.conf:1: not a text file (it holds NUL bytes)" },
	/* The status page and hooks. */
	{ "[agent]\nweb_listen = nas.local:8480\n", "t.conf:2: web_listen \"nas.local:8480\": want ADDRESS:PORT" },
	{ "[agent]\nweb_listen = 127.0.0.1\n", "t.conf:2: web_listen \"127.0.0.1\": want ADDRESS:PORT" },
	{ "[agent]\nweb_listen = 192.168.1.10:8480\n", "t.conf:2: web_listen on a non-loopback address needs web_password_file" },
	{ "[agent]\nheartbeat_url = ftp://x/\n", "t.conf:2: heartbeat_url: want http:// or https://" },
	{ "[hook a]\nexec = /bin/true\n", "t.conf:1: [hook a] needs events" },
	{ "[hook a]\nevents = all\n", "t.conf:1: [hook a] needs exec or url" },
	{ "[hook a]\nevents = address-changed, ip-changed\n", "t.conf:2: events: \"ip-changed\" is no event (all, address-changed," },
	{ "[hook a]\nevents = ,\n", "t.conf:2: events: no event named" },
	{ "[hook a]\nevents = all\nexec = notify.sh\n", "t.conf:1: [hook a] exec: want an absolute path" },
	{ "[hook a]\nevents = all\nurl = http://x/\n", "t.conf:1: [hook a] url: want https://... (or plain_http = yes)" },
	{ "[hook a]\nevents = all\nexec = /bin/true\nsecret_file = s\n", "t.conf:1: [hook a] secret_file signs the url's body: no url" },
	{ "[hook a]\nevents = all\nurl = https://x/\ntimeout = 0\n", "t.conf:4: timeout: want a number from 1 to 300" },
	{ "[hook a]\nevents = all\nurl = https://x/\ncolour = red\n", "t.conf:4: unknown key \"colour\" in [hook a]" },
	{ "[hook a]\nevents = all\nurl = https://x/\n[hook a]\n", "t.conf:4: [hook a] appears twice" },
	{ "[hook a b]\n", "t.conf:1: bad hook name \"a b\"" },
	/* What an audit found accepted without a word. */
	{ "[agent]\n[agent]\n", "t.conf:2: [agent] appears twice (first at line 1)" },
	{ "[probes]\nstun = a\n[probes]\n", "t.conf:3: [probes] appears twice (first at line 1)" },
	{ "[redirect-server]\nlisten = 5.0.0.4:80\n[redirect-server]\n",
	    "t.conf:3: [redirect-server] appears twice (first at line 1)" },
	{ "[ddns a]\nhostname = a.example\nhostname = b.example\n",
	    "t.conf:3: hostname is set twice (first at line 2)" },
	{ "[agent]\ninterval = 60\n\ninterval = 70\n", "t.conf:4: interval is set twice (first at line 2)" },
	{ "[ddns a]\npassword = \"abc\n", "t.conf:2: password: a quote that does not end" },
	{ "[ddns a]\npassword = \"\n", "t.conf:2: password: a quote that does not end" },
	{ "[ddns a]\nprovider = duckdns\ntoken = t\nhostname = n\xe4s.example.com\n",
	    "t.conf:1: [ddns a]: hostname \"n?s.example.com\" is not a DNS name" },
	{ "[ddns a]\nprovider = duckdns\ntoken = t\nhostname = a..b\n", "is not a DNS name" },
	{ "[ddns a]\nprovider = duckdns\ntoken = t\nhostname = a b\n", "is not a DNS name" },
	{ "[redirect-server]\nlisten = 5.0.0.4:0\n", "listen \"5.0.0.4:0\": want ADDRESS[:PORT], the port from 1 to 65535" },
	{ "[redirect-server]\ntls_listen = 5.0.0.4:70000\n", "tls_listen \"5.0.0.4:70000\": want ADDRESS" },
	{ "[redirect-server]\nlisten = www.example.com:80\n", "listen \"www.example.com:80\": want ADDRESS" },
	{ "[agent]\nst\x01te = x\n", "t.conf:2: unknown key \"st?te\" in [agent]" },
	{ "[probes]\ncheck_url = https://r/check\n", "t.conf:2: check_url: want http://" },
	{ "[ddns a]\nprovider = redirect\nhostname = h\n", "redirect needs server, username, password_file and service" },
	{ "[ddns a]\nprovider = redirect\nhostname = h\nserver = https://r\nusername = u\n"
	    "password = p\nservice = web\n", "t.conf:1: [ddns a]: service \"web\" is no [service]" },
	{ "[service web]\nport = 80\n[ddns a]\nprovider = redirect\nhostname = h\nserver = http://r\n"
	    "username = u\npassword = p\nservice = web\n", "takes registrations over https:// only" },
	{ "[redirect-server]\n", "[redirect-server] has no listen or tls_listen" },
	{ "[redirect-server]\nlisten = :80\n", "[redirect-server] has no dns_server" },
	{ "[redirect-server]\ntls_listen = :443\n", "tls_listen needs tls_cert and tls_key" },
	{ "[redirect-server]\nlisten = :80\ndns_server = d\nusers_file = u\n",
	    "registration (users_file) needs zone, tsig_key and tsig_secret_file" },
	{ "[redirect-server]\nstatus = 302\n", "t.conf:2: status: want 301, 307 or 308" },
	{ "[redirect-server]\nmax_per_source = 0\n", "max_per_source: want a number from 1 to 10000" },
	{ "[redirect-server]\nport = 80\n", "unknown key \"port\" in [redirect-server]" },
};

static void
test_redirect_server(void **state)
{
	static const char text[] =
	    "[redirect-server]\n"
	    "listen = 5.0.0.4:80, [2001:db8::4]:80\n"
	    "tls_listen = 5.0.0.4:443\n"
	    "tls_cert = c.pem\ntls_key = k.pem\n"
	    "dns_server = 5.0.0.2\nzone = example.com\n"
	    "tsig_key = k.example.com\ntsig_secret = c2VjcmV0\n"
	    "users_file = /etc/homereach/users\nstatus = 308\n"
	    "server_name = redir.example.com\n"
	    "[service web]\nport = 80\nexternal_port = 8080\n"
	    "[probes]\ncheck_url = http://5.0.0.4/check\n"
	    "[ddns www]\nprovider = redirect\nhostname = www.example.com\n"
	    "server = https://5.0.0.4\nusername = u\npassword = p\nservice = web\n";

	(void)state;
	config_parse(text, strlen(text), "t.conf", &cfg);
	if (cfg.nerrors)
		fail_msg("%s", cfg.errors[0]);
	assert_true(cfg.redirect.set);
	assert_int_equal(cfg.redirect.nlisten, 2);
	assert_string_equal(cfg.redirect.listen[1], "[2001:db8::4]:80");
	assert_int_equal(cfg.redirect.status, 308);
	assert_int_equal(cfg.redirect.max_per_source, 32);
	assert_string_equal(cfg.redirect.target_prefix, "origin");
	assert_string_equal(cfg.redirect.tsig_secret.value, "c2VjcmV0");
	assert_string_equal(cfg.redirect.server_name[0], "redir.example.com");
	assert_string_equal(cfg.check_url, "http://5.0.0.4/check");
	assert_int_equal(cfg.ddns[0].provider, PROV_REDIRECT);
	assert_string_equal(cfg.ddns[0].service, "web");
}

/* [relay] as add-home writes it, twice (two relays, in order); a fifth
 * is refused, as is a section without its key. */
static void
test_relays(void **state)
{
#define RELAY(n) "[relay]\nserver = 5.0.2." #n ":51820\nserver_key = " \
	"QqO0VICYsflCQDgjc8LL3vMsvG/W4kfLNeJ1xbaUxUc=\nprivate_key = " \
	"2XPWv2hDGp5LjVp+xGOTWWZlX0f/C1rJmZ3M3pU/R3A=\naddress = 10.77.0.2\n" \
	"ports = 20000-20009\n"
	static const char two[] = RELAY(5) "interface = hr-b\n" RELAY(6);
	static const char five[] = RELAY(1) RELAY(2) RELAY(3) RELAY(4) RELAY(5);
	static const char keyless[] = "[relay]\nserver = 5.0.2.5\n";

	(void)state;
	config_parse(two, strlen(two), "t.conf", &cfg);
	if (cfg.nerrors)
		fail_msg("%s", cfg.errors[0]);
	assert_int_equal(cfg.nrelays, 2);
	assert_string_equal(cfg.relays[0].server, "5.0.2.5:51820");
	assert_string_equal(cfg.relays[0].interface, "hr-b");
	assert_string_equal(cfg.relays[1].server, "5.0.2.6:51820");
	assert_string_equal(cfg.relays[1].interface, "hr-relay");
	assert_int_equal(cfg.relays[1].port_hi, 20009);
	config_parse(five, strlen(five), "t.conf", &cfg);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "t.conf:25: more than 4 [relay] "
	    "sections");
	config_parse(keyless, strlen(keyless), "t.conf", &cfg);
	assert_int_equal(cfg.nerrors, 1);
	assert_non_null(strstr(cfg.errors[0], "[relay] needs server_key"));
#undef RELAY
}

static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].text);
		bool found = false;
		if (strstr(bad[i].error, "NUL bytes"))
			len = 22;	/* through the NUL and the newline */
		config_parse(bad[i].text, len, "t.conf", &cfg);
		for (int e = 0; e < cfg.nerrors; e++)
			found |= strstr(cfg.errors[e], bad[i].error) != NULL;
		if (!found)
			fail_msg("case %zu: no \"%s\" in %d errors (first: %s)", i,
			    bad[i].error, cfg.nerrors, cfg.nerrors ? cfg.errors[0] : "");
	}
}

/* Garbage gets a few lines, the last saying there is more. */
static void
test_errors_capped(void **state)
{
	char text[4096] = "";

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(text, "\x80\xfe no equals sign\n");
	config_parse(text, strlen(text), "t.conf", &cfg);
	assert_int_equal(cfg.nerrors, CONFIG_MAX_ERRORS);
	assert_string_equal(cfg.errors[CONFIG_MAX_ERRORS - 1],
	    "t.conf:10: and more problems: fix these first");
	for (int e = 0; e < cfg.nerrors; e++)
		for (const char *c = cfg.errors[e]; *c; c++)
			assert_true(*c >= ' ' && *c < 0x7f);
	memset(text, 'a', 2000);
	memcpy(text + 2000, "\n", 2);
	config_parse(text, strlen(text), "t.conf", &cfg);
	assert_string_equal(cfg.errors[0], "t.conf:1: line longer than 1023 bytes");
}

static uint16_t
srv_port(const struct service_config *s, void *arg)
{
	(void)arg;
	return s->port == 9999 ? 0 : (uint16_t)(s->port + 20000);
}

static uint16_t
srv_none(const struct service_config *s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

/* SRV records beside an A of a provider that writes them: one for each
 * service named by a DNS label, at its open way's port, or 0 where it
 * has none (its record is deleted). */
static void
test_srv(void **state)
{
	static const char text[] =
	    "[service web]\nport = 8080\n"
	    "[service game]\nport = 5353\nprotocol = udp\n"
	    "[service closed]\nport = 9999\n"
	    "[service site]\nport = 443\n"
	    "[ddns home]\nprovider = rfc2136\nhostname = nas.example.com\n"
	    "server = 5.0.0.2\nzone = example.com\n"
	    "tsig_key = k.example.com\ntsig_secret = c2VjcmV0\n"
	    "[ddns dyn]\nprovider = dyndns2\nhostname = h.example.com\n"
	    "server = https://dyn.example.com\n"
	    "username = u\npassword = p\n";
	struct ddns_target t;

	(void)state;
	config_parse(text, strlen(text), "t.conf", &cfg);
	if (cfg.nerrors > 0)
		fail_msg("%s", cfg.errors[0]);
	config_srv(&cfg, config_ddns(&cfg, "home"), AF_INET, srv_port, NULL, &t);
	assert_int_equal(t.nsrv, 4);
	assert_string_equal(t.srv[0].service, "web");
	assert_int_equal(t.srv[0].port, 28080);
	assert_int_equal(t.srv[1].protocol, IPPROTO_UDP);
	assert_string_equal(t.srv[2].service, "closed");
	assert_int_equal(t.srv[2].port, 0);	/* no way in: deleted */
	assert_int_equal(t.https_port, 20443);	/* a web site over TLS */
	assert_false(t.https_gone);
	assert_int_equal(t.srv_hash, ddns_srv_hash(t.srv, 4, 20443));
	struct ddns_srv open[3] = { t.srv[0], t.srv[1], t.srv[3] };
	assert_int_equal(t.srv_hash, ddns_srv_hash(open, 3, 20443));
	config_srv(&cfg, config_ddns(&cfg, "home"), AF_INET, srv_none, NULL, &t);
	assert_int_equal(t.nsrv, 4);		/* each record deleted */
	assert_true(t.https_gone);
	assert_int_equal(t.srv_hash, 0);
	config_srv(&cfg, config_ddns(&cfg, "home"), AF_INET6, srv_port, NULL, &t);
	assert_int_equal(t.nsrv, 0);		/* not beside an AAAA */
	assert_int_equal(t.srv_hash, 0);
	config_srv(&cfg, config_ddns(&cfg, "dyn"), AF_INET, srv_port, NULL, &t);
	assert_int_equal(t.nsrv, 0);		/* dyndns2 writes none */
}

static void
test_hash_follows_settings(void **state)
{
	uint64_t before;

	(void)state;
	config_parse(good, strlen(good), "t.conf", &cfg);
	before = cfg.ddns[0].hash;
	config_parse(good, strlen(good), "t.conf", &cfg);
	assert_true(cfg.ddns[0].hash == before);
	char *changed = strdup(good);
	memcpy(strstr(changed, "s3cret"), "s4cret", 6);
	config_parse(changed, strlen(changed), "t.conf", &cfg);
	assert_true(cfg.ddns[0].hash != before);
	free(changed);
}

/* A readable file holding a secret is refused, with the fix. */
static void
test_load_permissions(void **state)
{
	char dir[] = "/tmp/homereach-config-test.XXXXXX", path[256], key[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/homereach.conf", dir);
	snprintf(key, sizeof(key), "%s/secret.key", dir);
	f = fopen(path, "w");
	fputs(good, f);
	fclose(f);
	f = fopen(key, "w");
	fputs("c2VjcmV0\n", f);
	fclose(f);
	chmod(path, 0644);
	chmod(key, 0600);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], "group or others can read it: chmod 600"));
	chmod(path, 0600);
	assert_int_equal(config_load(path, true, &cfg), 0);
	assert_string_equal(cfg.ddns[1].tsig_secret.value, "c2VjcmV0");
	chmod(key, 0640);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], "secret.key holds a secret"));
	/* Not a regular file: said so, and nothing waits on a FIFO. */
	unlink(key);
	assert_int_equal(mkdir(key, 0700), 0);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], "secret.key is not a regular file"));
	rmdir(key);
	assert_int_equal(mkfifo(key, 0600), 0);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], "secret.key is not a regular file"));
	unlink(key);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], "No such file"));
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(config_load(path, true, &cfg), -1);
	assert_non_null(strstr(cfg.errors[0], ":0: not a regular file"));
	unlink(path);
	assert_int_equal(config_load(path, false, &cfg), 0);	/* no default file */
	assert_int_equal(config_load(path, true, &cfg), -1);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_errors_capped),
		cmocka_unit_test(test_redirect_server),
		cmocka_unit_test(test_relays),
		cmocka_unit_test(test_hash_follows_settings),
		cmocka_unit_test(test_srv),
		cmocka_unit_test(test_load_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
