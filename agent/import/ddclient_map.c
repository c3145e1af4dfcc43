/* SPDX-License-Identifier: BSD-2-Clause */
/* ddclient's options as homereach's: each host a [ddns] record, the
 * address method an observer (or a note on what homereach does instead),
 * daemon= the interval. */
#include "agent/import/ddclient.h"

#include <stdlib.h>
#include <string.h>

static const struct dd_opt *
dd_opt(const struct dd_opt *o, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(o[i].key, key) == 0)
			return &o[i];
	return NULL;
}

const char *
dd_get(const struct dd_opt *o, int n, const char *key)
{
	const struct dd_opt *p = dd_opt(o, n, key);

	return p ? p->value : NULL;
}

static bool
dd_yes(const char *v)
{
	return v != NULL && (!strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	    !strcmp(v, "1"));
}

/* ddclient's interval(): 300, 300s, 5m, 1h, 1d. */
static long
dd_seconds(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || n < 0 || n > 100000000)
		return -1;
	switch (*end) {
	case '\0': case 's': case 'S': return n;
	case 'm': case 'M': return n * 60;
	case 'h': case 'H': return n * 3600;
	case 'd': case 'D': return n * 86400;
	}
	return -1;
}

void
dd_agent(struct imported *im, const struct dd_opt *o, int n)
{
	const struct dd_opt *d = dd_opt(o, n, "daemon");
	long s;

	if (d != NULL) {
		s = dd_seconds(d->value);
		if (s < 0)
			imported_error(im, d->line, "daemon=%.40s: want seconds",
			    d->value);
		else if (s > 0)	/* 0: ddclient runs once; the agent checks */
			im->interval = s < 10 ? 10 : s > 86400 ? 86400 : (int)s;
	}
	if (dd_opt(o, n, "syslog") != NULL)
		im->syslog = dd_yes(dd_get(o, n, "syslog"));
}

/* ddclient's built-in web= names whose page is the address alone. */
static const struct { const char *name, *url; } dd_webs[] = {
	{ "ipify-ipv4", "https://api.ipify.org/" },
	{ "ipify-ipv6", "https://api6.ipify.org/" },
	{ "noip-ipv4", "http://ip1.dynupdate.no-ip.com/" },
	{ "noip-ipv6", "http://ip1.dynupdate6.no-ip.com/" },
	{ "nsupdate.info-ipv4", "http://ipv4.nsupdate.info/myip" },
	{ "nsupdate.info-ipv6", "http://ipv6.nsupdate.info/myip" },
	{ "googledomains", "https://domains.google.com/checkip" },
};

/* web=NAME|URL (with its -skip): an HTTP echo, if its page is the
 * address alone. */
static void
dd_web(struct imported *im, const struct dd_opt *o, int n, const char *key,
    int line)
{
	const struct dd_opt *w = dd_opt(o, n, key);
	char skip[24], url[512];

	if (w == NULL) {
		imported_note(im, line, "use=%s -- ddclient's default page "
		    "(checkip.dyndns.org) is more than the address; homereach "
		    "asks STUN servers and the router", key);
		return;
	}
	snprintf(skip, sizeof(skip), "%s-skip", key);
	for (size_t i = 0; i < sizeof(dd_webs) / sizeof(dd_webs[0]); i++)
		if (strcmp(dd_webs[i].name, w->value) == 0) {
			imported_echo(im, dd_webs[i].url, w->line);
			return;
		}
	if (dd_opt(o, n, skip) != NULL || strchr(w->value, '.') == NULL)
		imported_note(im, w->line, "%s=%s -- its page is more than the "
		    "address; homereach's HTTP echo takes a page that is the "
		    "address alone (and asks STUN servers and the router)",
		    key, w->value);
	else {
		snprintf(url, sizeof(url), "%s%s", strstr(w->value, "://") ? "" :
		    "http://", w->value);
		imported_echo(im, url, w->line);
	}
}

/* use=, usev4=, usev6=: how ddclient learned the address. */
static void
dd_use(struct imported *im, const struct dd_opt *o, int n, const char *key)
{
	const struct dd_opt *u = dd_opt(o, n, key);
	const char *v = u ? u->value : NULL;

	if (v == NULL || !strcmp(v, "no") || !strcmp(v, "disabled"))
		return;
	if (!strncmp(v, "web", 3))
		dd_web(im, o, n, v, u->line);
	else if (!strncmp(v, "if", 2))
		imported_note(im, u->line, "%s=%s -- homereach reads this host's "
		    "own addresses itself, and asks the router and outside "
		    "observers", key, v);
	else if (!strncmp(v, "ip", 2))
		imported_note(im, u->line, "%s=%s -- a fixed address: homereach "
		    "publishes what it observes", key, v);
	else
		imported_note(im, u->line, "%s=%s -- homereach asks the router "
		    "itself (UPnP, NAT-PMP, PCP) and outside observers", key, v);
}

static const char *
dd_family(const struct dd_opt *o, int n)
{
	const char *v4 = dd_get(o, n, "usev4"), *u = dd_get(o, n, "use");
	const char *v6 = dd_get(o, n, "usev6");
	bool four = (u == NULL && v4 == NULL) ||
	    (u && strcmp(u, "no") && strcmp(u, "disabled")) ||
	    (v4 && strcmp(v4, "disabled"));
	bool six = (v6 && strcmp(v6, "disabled")) || dd_yes(dd_get(o, n, "ipv6"));

	return four && six ? "both" : six ? "AAAA" : "A";
}

/* An option's value into a field of r ("" when not given). */
static void
dd_field(struct imported *im, const struct imported_record *r, char *dst,
    size_t len, const struct dd_opt *o, int n, const char *key)
{
	const char *v = dd_get(o, n, key);

	imported_copy(im, r->line, dst, len, v ? v : "", key);
}

static void
dd_secret(struct imported *im, struct imported_record *r, const char *key,
    const struct dd_opt *o, int n)
{
	const char *v = dd_get(o, n, "password");

	r->secret_key = key;
	if (v != NULL)
		imported_copy(im, r->line, r->secret, sizeof(r->secret), v,
		    "a password");
}

/* server= as a URL: https when ssl=yes; plain http said, as ddclient
 * sent it. */
static void
dd_server(struct imported *im, struct imported_record *r, const char *server,
    const struct dd_opt *o, int n)
{
	bool tls = dd_yes(dd_get(o, n, "ssl"));

	snprintf(r->server, sizeof(r->server), "%s%s", strstr(server, "://") ?
	    "" : tls ? "https://" : "http://", server);
	r->plain_http = strncmp(r->server, "http://", 7) == 0;
	if (r->plain_http)
		imported_note(im, r->line, "ssl=no: ddclient sent %s's password "
		    "over plain http, and so will homereach (plain_http = yes); "
		    "say https:// if the provider takes it", r->hostname);
}

static bool
dd_dyndns2(struct imported *im, struct imported_record *r,
    const struct dd_opt *o, int n, const char *provider)
{
	const char *server = dd_get(o, n, "server"), *script;

	script = dd_get(o, n, "script");
	if (script && strcmp(script, "/nic/update") != 0) {
		imported_note(im, r->line, "%s: script=%s -- homereach's dyndns2 "
		    "sends /nic/update; a [ddns] with provider = custom can send "
		    "another path", r->hostname, script);
		return false;
	}
	strcpy(r->provider, provider);
	if (!strcmp(provider, "dyndns2") || (server && strcmp(server,
	    "dynupdate.no-ip.com"))) {
		strcpy(r->provider, "dyndns2");
		dd_server(im, r, server ? server : "members.dyndns.org", o, n);
	}
	dd_field(im, r, r->username, sizeof(r->username), o, n, "login");
	dd_secret(im, r, "password", o, n);
	return true;
}

static bool
dd_cloudflare(struct imported *im, struct imported_record *r,
    const struct dd_opt *o, int n)
{
	const char *login = dd_get(o, n, "login"), *server = dd_get(o, n, "server");

	if (login && strcmp(login, "token")) {
		imported_note(im, r->line, "%s: login=%s -- Cloudflare's global "
		    "API key: homereach takes an API token (Zone.DNS edit) as "
		    "token_file", r->hostname, login);
		return false;
	}
	strcpy(r->provider, "cloudflare");
	if (server && strcmp(server, "api.cloudflare.com/client/v4"))
		snprintf(r->server, sizeof(r->server), "%s%s", strstr(server,
		    "://") ? "" : "https://", server);
	dd_field(im, r, r->zone, sizeof(r->zone), o, n, "zone");
	dd_secret(im, r, "token", o, n);
	return true;
}

/* nsupdate: password= names a BIND key file, read by the command. */
static bool
dd_nsupdate(struct imported *im, struct imported_record *r,
    const struct dd_opt *o, int n)
{
	const char *key = dd_get(o, n, "password");

	strcpy(r->provider, "rfc2136");
	dd_field(im, r, r->server, sizeof(r->server), o, n, "server");
	dd_field(im, r, r->zone, sizeof(r->zone), o, n, "zone");
	imported_copy(im, r->line, r->key_file, sizeof(r->key_file),
	    key ? key : "", "the key file");
	r->secret_key = "tsig_secret";
	return true;
}

static bool
dd_provider(struct imported *im, struct imported_record *r, const char *proto,
    const struct dd_opt *o, int n)
{
	if (!strcmp(proto, "dyndns2"))
		return dd_dyndns2(im, r, o, n, "dyndns2");
	if (!strcmp(proto, "noip"))
		return dd_dyndns2(im, r, o, n, "noip");
	if (!strcmp(proto, "cloudflare"))
		return dd_cloudflare(im, r, o, n);
	if (!strcmp(proto, "duckdns")) {
		strcpy(r->provider, "duckdns");
		dd_secret(im, r, "token", o, n);
		return true;
	}
	if (!strcmp(proto, "nsupdate"))
		return dd_nsupdate(im, r, o, n);
	imported_note(im, r->line, "%s: protocol=%s -- no homereach provider "
	    "(dyndns2, noip, cloudflare, duckdns and nsupdate are imported); a "
	    "[ddns] with provider = custom can send its URL", r->hostname, proto);
	return false;
}

void
dd_host(struct imported *im, const char *host, int line,
    const struct dd_opt *o, int n)
{
	const char *proto = dd_get(o, n, "protocol"), *ttl = dd_get(o, n, "ttl");
	const char *ca = dd_get(o, n, "ssl_ca_file");
	struct imported_record *r = imported_record(im, host, line);
	long t;

	if (r == NULL)
		return;
	if (!dd_provider(im, r, proto ? proto : "dyndns2", o, n)) {
		im->nrec--;
		return;
	}
	r->record = dd_family(o, n);
	if (ca)
		imported_copy(im, line, r->ca_file, sizeof(r->ca_file), ca,
		    "ssl_ca_file");
	if (ttl && (t = dd_seconds(ttl)) >= 30 && t <= 86400 &&
	    strcmp(r->provider, "dyndns2"))
		r->ttl = (int)t;
	dd_use(im, o, n, "use");
	dd_use(im, o, n, "usev4");
	dd_use(im, o, n, "usev6");
}
