/* SPDX-License-Identifier: BSD-2-Clause */
/* inadyn's options as homereach's: each hostname of a provider or custom
 * section a [ddns] record, checkip-server an observer, period the
 * interval, forced-update the refresh. */
#include "agent/import/inadyn.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
in_section_host(struct imported *im, struct in_section *s, const char *host)
{
	if (s->nhosts == IN_MAX_HOSTS)
		imported_error(im, s->line, "more than %d hostnames in a section",
		    IN_MAX_HOSTS);
	else
		imported_copy(im, s->line, s->hosts[s->nhosts++],
		    sizeof(s->hosts[0]), host, "a hostname");
}

static bool
in_true(const char *v)
{
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcasecmp(v, "on") || !strcmp(v, "1");
}

static long
in_number(struct imported *im, const struct in_opt *o, long lo, long hi)
{
	char *end;
	long n = strtol(o->value, &end, 10);

	if (end == o->value || *end != '\0' || n < lo || n > hi) {
		imported_error(im, o->line, "%s = %.40s: want a number from %ld "
		    "to %ld", o->key, o->value, lo, hi);
		return -1;
	}
	return n;
}

static void
in_unknown(struct imported *im, const struct in_opt *o)
{
	imported_note(im, o->line, "%s = %s", o->key,
	    imported_is_secret_key(o->key) ? "(secret)" : o->value);
}

void
in_map_global(struct imported *im, struct in_globals *g,
    const struct in_opt *o)
{
	long n;

	if (!strcmp(o->key, "period")) {
		if ((n = in_number(im, o, 1, 1000000000)) > 0)
			im->interval = n < 10 ? 10 : n > 86400 ? 86400 : (int)n;
	} else if (!strcmp(o->key, "forced-update")) {
		if ((n = in_number(im, o, 1, 1000000000)) > 0)
			g->refresh_days = n < 86400 ? 1 : n / 86400 > 365 ? 365 :
			    (int)(n / 86400);
	} else if (!strcmp(o->key, "allow-ipv6"))
		g->ipv6 = in_true(o->value);
	else if (!strcmp(o->key, "ca-trust-file"))
		imported_copy(im, o->line, g->ca_file, sizeof(g->ca_file),
		    o->value, "ca-trust-file");
	else
		in_unknown(im, o);
}

static const char *
in_get(const struct in_section *s, const char *key)
{
	for (int i = 0; i < s->nopts; i++)
		if (!strcmp(s->opts[i].key, key))
			return s->opts[i].value;
	return NULL;
}

/* inadyn's provider names (default@dyndns.org, cloudflare.com:2,
 * ipv6@dynv6.com) and homereach's. */
static const struct { const char *inadyn, *homereach; } in_providers[] = {
	{ "dyndns.org", "dyn" }, { "no-ip.com", "noip" }, { "noip.com", "noip" },
	{ "dynu.com", "dynu" }, { "strato.com", "strato" },
	{ "selfhost.de", "selfhost" }, { "ovh.com", "ovh" },
	{ "cloudflare.com", "cloudflare" }, { "duckdns.org", "duckdns" },
};

/* The title's domain: after an @, before a :N. */
static void
in_domain(const char *title, char *out, size_t len)
{
	const char *at = strchr(title, '@'), *d = at ? at + 1 : title;

	snprintf(out, len, "%.*s", (int)strcspn(d, ":"), d);
}

/* A checkip server: an HTTP echo, if its page is the address alone. */
static void
in_checkip(struct imported *im, const struct in_section *s)
{
	const char *server = in_get(s, "checkip-server");
	const char *path = in_get(s, "checkip-path"), *tls = in_get(s, "checkip-ssl");
	char url[512];

	if (in_get(s, "checkip-command"))
		imported_note(im, s->line, "%s: checkip-command -- homereach "
		    "reads this host's addresses itself", s->title);
	if (server == NULL)
		return;
	if (path && strstr(path, "trace")) {
		imported_note(im, s->line, "%s: checkip-server = %s%s -- its page "
		    "is more than the address; homereach asks STUN servers and "
		    "the router", s->title, server, path);
		return;
	}
	snprintf(url, sizeof(url), "%s://%s%s", tls && !in_true(tls) ? "http" :
	    "https", server, path ? path : "/");
	imported_echo(im, url, s->line);
}

/* An AAAA: allow-ipv6 and a section that says IPv6 (its name, or its
 * checkip). */
static const char *
in_family(const struct in_globals *g, const struct in_section *s)
{
	const char *c = in_get(s, "checkip-server"), *cmd = in_get(s,
	    "checkip-command");

	if (!g->ipv6)
		return "A";
	if (!strncmp(s->title, "ipv6@", 5) || (c && strchr(c, '6')) || (cmd && strstr(cmd, "-6")))
		return "AAAA";
	return "A";
}

/* custom: ddns-path /nic/update... is dyndns2; else the URL with
 * inadyn's %u %p %h %i as homereach's {username} {password} {hostname}
 * {ip}. */
static bool
in_custom(struct imported *im, const struct in_section *s,
    struct imported_record *r)
{
	const char *server = in_get(s, "ddns-server"), *path = in_get(s, "ddns-path");
	const char *tls = in_get(s, "ssl"), *resp = in_get(s, "ddns-response");
	const char *scheme = tls && !in_true(tls) ? "http" : "https";
	size_t n;

	if (server == NULL) {
		imported_note(im, s->line, "custom %s has no ddns-server", s->title);
		return false;
	}
	r->plain_http = !strcmp(scheme, "http");
	if (path == NULL || !strncmp(path, "/nic/update", 11)) {
		strcpy(r->provider, "dyndns2");
		snprintf(r->server, sizeof(r->server), "%s://%s", scheme, server);
		return true;
	}
	strcpy(r->provider, "custom");
	n = (size_t)snprintf(r->url, sizeof(r->url), "%s://%s", scheme, server);
	for (const char *c = path; *c && n + 12 < sizeof(r->url); c++) {
		const char *w = c[0] != '%' ? NULL : c[1] == 'u' ? "{username}" :
		    c[1] == 'p' ? "{password}" : c[1] == 'h' ? "{hostname}" :
		    c[1] == 'i' ? "{ip}" : NULL;
		if (w == NULL) {
			r->url[n++] = *c;
			continue;
		}
		n += (size_t)snprintf(r->url + n, sizeof(r->url) - n, "%s", w);
		c++;
	}
	r->url[n] = '\0';
	if (resp)
		snprintf(r->success, sizeof(r->success), "*%.*s*",
		    (int)strcspn(resp, ","), resp);
	else
		strcpy(r->success, "*");
	if (!strstr(path, "%p") && in_get(s, "password"))
		imported_note(im, s->line, "custom %s: inadyn sent the username "
		    "and password as HTTP authentication; homereach's custom URL "
		    "sends what the URL holds", s->title);
	return true;
}

/* The provider of a section, and what it takes its secret as. */
static bool
in_provider(struct imported *im, const struct in_section *s,
    struct imported_record *r)
{
	char domain[128];

	if (!strcmp(s->kind, "custom"))
		return in_custom(im, s, r);
	in_domain(s->title, domain, sizeof(domain));
	for (size_t i = 0; i < sizeof(in_providers) / sizeof(in_providers[0]); i++)
		if (!strcasecmp(in_providers[i].inadyn, domain)) {
			strcpy(r->provider, in_providers[i].homereach);
			return true;
		}
	imported_note(im, s->line, "provider %s -- no homereach provider (dyndns."
	    "org, no-ip.com, dynu.com, strato.com, selfhost.de, ovh.com, "
	    "cloudflare.com, duckdns.org and custom are imported)", s->title);
	return false;
}

/* username and password as the provider takes them. */
static void
in_login(struct imported *im, const struct in_section *s,
    struct imported_record *r)
{
	const char *user = in_get(s, "username"), *pass = in_get(s, "password");
	const char *secret = pass;

	r->secret_key = "password";
	if (!strcmp(r->provider, "cloudflare")) {
		imported_copy(im, r->line, r->zone, sizeof(r->zone), user ? user :
		    "", "username (the zone)");
		r->secret_key = "token";
		user = NULL;
	} else if (!strcmp(r->provider, "duckdns")) {
		r->secret_key = "token";
		secret = user;		/* inadyn's duckdns: the token is the user */
		user = NULL;
	}
	if (user)
		imported_copy(im, r->line, r->username, sizeof(r->username), user,
		    "username");
	if (secret)
		imported_copy(im, r->line, r->secret, sizeof(r->secret), secret,
		    "a password");
}

static const char *const in_known[] = {
	"username", "password", "hostname", "ssl", "checkip-server",
	"checkip-path", "checkip-ssl", "checkip-command", "ddns-server",
	"ddns-path", "ddns-response", "ttl",
};

static void
in_section_notes(struct imported *im, const struct in_section *s)
{
	for (int i = 0; i < s->nopts; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof(in_known) / sizeof(in_known[0]); k++)
			known |= !strcmp(in_known[k], s->opts[i].key);
		if (!strcmp(s->opts[i].key, "proxied") && !in_true(s->opts[i].value))
			known = true;
		if (!known)
			in_unknown(im, &s->opts[i]);
	}
}

void
in_map_section(struct imported *im, const struct in_globals *g,
    const struct in_section *s)
{
	const char *ttl = in_get(s, "ttl");

	in_section_notes(im, s);
	in_checkip(im, s);
	for (int h = 0; h < s->nhosts; h++) {
		struct imported_record *r = imported_record(im, s->hosts[h], s->line);
		if (r == NULL)
			continue;
		if (!in_provider(im, s, r)) {
			im->nrec--;
			return;
		}
		in_login(im, s, r);
		r->record = in_family(g, s);
		r->refresh_days = g->refresh_days;
		if (ttl && atoi(ttl) >= 30 && atoi(ttl) <= 86400)
			r->ttl = atoi(ttl);
	}
	if (s->nhosts == 0)
		imported_note(im, s->line, "%s %s names no hostname", s->kind,
		    s->title);
}

void
in_map_done(struct imported *im, const struct in_globals *g)
{
	for (int i = 0; i < im->nrec; i++)
		if (g->ca_file[0])
			strcpy(im->rec[i].ca_file, g->ca_file);
	imported_merge_families(im);
}
