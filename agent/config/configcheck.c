/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What each section needs, checked once the whole file is read (a
 * provider's required keys, host names, ports, listeners), and each
 * record's settings hash; and the list of errors and the lookups that the parser uses too.
 * Pure, like the parser that calls it.
 */
#include "agent/config/config.h"

#include <ctype.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ddns/provider.h"
#include "ddns/tsig.h"
#include "lib/addr.h"
#include "lib/reason.h"
#include "lib/resolve.h"
#include "lib/names.h"

/* One line each, capped: the last one says there is more. Bytes that are
 * not printable ASCII (from a binary file, a name in another encoding)
 * become '?', so a message is always one clean line. */
void
config_error(struct config *cfg, int line, const char *fmt, ...)
{
	char msg[240], out[sizeof(cfg->errors[0])];
	va_list ap;

	if (cfg->nerrors == CONFIG_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cfg->nerrors == CONFIG_MAX_ERRORS - 1)
		snprintf(msg, sizeof(msg), "and more problems: fix these first");
	snprintf(out, sizeof(out), "%s:%d: %s", cfg->path, line, msg);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < ' ' || (unsigned char)*c >= 0x7f)
			*c = '?';
	memcpy(cfg->errors[cfg->nerrors++], out, sizeof(out));
}

const struct ddns_config *
config_ddns(const struct config *cfg, const char *name)
{
	for (int i = 0; i < cfg->nddns; i++)
		if (!strcmp(cfg->ddns[i].name, name))
			return &cfg->ddns[i];
	return NULL;
}

const struct service_config *
config_service(const struct config *cfg, const char *name)
{
	for (int i = 0; i < cfg->nservices; i++)
		if (!strcmp(cfg->services[i].name, name))
			return &cfg->services[i];
	return NULL;
}

const char *
config_ipv4_name(const struct config *cfg)
{
	for (int i = 0; i < cfg->nddns; i++)
		if ((cfg->ddns[i].record & REC_A) && cfg->ddns[i].hostname[0])
			return cfg->ddns[i].hostname;
	return NULL;
}

/* FNV-1a over the settings: a record stopped by its provider stays
 * stopped until this changes. */
static uint64_t
cfg_hash(const struct ddns_config *r)
{
	const uint8_t *b = (const uint8_t *)r;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = offsetof(struct ddns_config, provider);
	    i < offsetof(struct ddns_config, hash); i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* A host name as DNS holds it (RFC 1035 section 2.3.4; '_' for names
 * like _acme): 253 bytes, labels of 1 to 63, a trailing dot allowed. */
bool
config_dns_name(const char *name)
{
	size_t label = 0, n = strlen(name);

	if (n == 0 || n > 254 || (n == 254 && name[253] != '.'))
		return false;
	for (const char *c = name; *c; c++) {
		if (*c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if ((isalnum((unsigned char)*c) && (unsigned char)*c < 0x80) ||
		    *c == '-' || *c == '_') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return true;
}

static bool
cfg_secret_given(const struct secret *s)
{
	return s->set || s->file[0] != '\0';
}

/* Which of the things its provider's entry needs r lacks (NEEDS_*). */
static unsigned
cfg_missing(const struct ddns_config *r, unsigned needs)
{
	unsigned lacks = 0;

	if (r->server[0] == '\0')
		lacks |= NEEDS_SERVER;
	if (r->username[0] == '\0' || !cfg_secret_given(&r->password))
		lacks |= NEEDS_LOGIN;
	if (r->zone[0] == '\0')
		lacks |= NEEDS_ZONE;
	if (r->tsig_key[0] == '\0' || !cfg_secret_given(&r->tsig_secret))
		lacks |= NEEDS_TSIG;
	if (!cfg_secret_given(&r->token))
		lacks |= NEEDS_TOKEN;
	if (r->url[0] == '\0' || r->success[0] == '\0')
		lacks |= NEEDS_URL;
	if (r->service[0] == '\0')
		lacks |= NEEDS_SERVICE;
	return lacks & needs;
}

/* A TSIG algorithm this build can sign with (ddns/tsig.c). */
static void
cfg_validate_tsig(struct config *cfg, int line, const char *kind,
    const char *name, const char *algorithm)
{
	char why[REASON_LEN];

	if (algorithm != NULL && tsig_wire_name(algorithm, why, sizeof(why)) == NULL)
		config_error(cfg, line, "[%s%s]: %s", kind, name, why);
}

/* What r's provider needs, by its entry in ddns/providers.c. */
static void
cfg_validate_provider(struct config *cfg, const struct ddns_config *r,
    const struct provider *p)
{
	const char *n = r->name, *url = p->needs & NEEDS_URL ? r->url : r->server;

	if (cfg_missing(r, p->needs))
		config_error(cfg, r->line, "[ddns %s]: %s needs %s", n, p->name,
		    p->needs_text);
	else if ((p->needs & NEEDS_SERVICE) && !config_service(cfg, r->service))
		config_error(cfg, r->line, "[ddns %s]: service \"%s\" is no "
		    "[service] of this file", n, r->service);
	if (p->https_only && strncmp(r->server, "https://", 8))
		config_error(cfg, r->line, "[ddns %s]: a %s server takes "
		    "registrations over https:// only", n, p->name);
	else if ((p->needs & (NEEDS_LOGIN | NEEDS_URL)) &&
	    !strncmp(url, "http://", 7) && !r->plain_http)
		config_error(cfg, r->line, "[ddns %s]: plain http://; say "
		    "plain_http = yes to send credentials unencrypted", n);
	cfg_validate_tsig(cfg, r->line, "ddns ", n, p->needs & NEEDS_TSIG ?
	    r->tsig_algorithm : NULL);
}

static void
cfg_validate(struct config *cfg, struct ddns_config *r)
{
	const struct provider *p = provider_of(r->provider);
	const char *n = r->name;

	if (p == NULL)
		config_error(cfg, r->line, "[ddns %s] has no provider", n);
	if (r->hostname[0] == '\0')
		config_error(cfg, r->line, "[ddns %s] has no hostname", n);
	else if (!config_dns_name(r->hostname))
		config_error(cfg, r->line, "[ddns %s]: hostname \"%.60s\" is not a "
		    "DNS name (letters, digits, hyphens, dots)", n, r->hostname);
	if (p != NULL)
		cfg_validate_provider(cfg, r, p);
	if (r->has_iid && !(r->record & REC_AAAA))
		config_error(cfg, r->line, "[ddns %s]: ipv6_suffix and ipv6_eui64 "
		    "name an AAAA: say record = AAAA (or both)", n);
	r->hash = cfg_hash(r);
}

/* A port is needed; two services may not claim the same port. */
static void
cfg_validate_service(struct config *cfg, const struct service_config *s)
{
	if (s->port == 0) {
		config_error(cfg, s->line, "[service %s] has no port", s->name);
		return;
	}
	for (const struct service_config *o = cfg->services; o < s; o++)
		if (o->port == s->port && o->protocol == s->protocol)
			config_error(cfg, s->line, "[service %s]: port %u/%s is "
			    "already [service %s]", s->name, s->port,
			    proto_name(s->protocol), o->name);
}

/* Registration needs TLS and the DNS; redirects alone need a listener. */
static void
cfg_validate_redirect(struct config *cfg, const struct redirect_config *r)
{
	if (r->nlisten + r->ntls == 0)
		config_error(cfg, r->line, "[redirect-server] has no listen or "
		    "tls_listen");
	for (int i = 0; i < r->nlisten + r->ntls; i++) {
		const char *l = i < r->nlisten ? r->listen[i] :
		    r->tls_listen[i - r->nlisten];
		char host[256], why[REASON_LEN];
		struct netaddr a;
		uint16_t port;
		if (resolve_split(l, 80, host, sizeof(host), &port, why,
		    sizeof(why)) < 0 || addr_parse(host, &a) < 0)
			config_error(cfg, r->line, "[redirect-server]: %s \"%.60s\": "
			    "want ADDRESS[:PORT], the port from 1 to 65535",
			    i < r->nlisten ? "listen" : "tls_listen", l);
	}
	if (r->ntls && (!r->tls_cert[0] || !r->tls_key[0]))
		config_error(cfg, r->line, "[redirect-server]: tls_listen needs "
		    "tls_cert and tls_key");
	if (!r->dns_server[0])
		config_error(cfg, r->line, "[redirect-server] has no dns_server");
	if (r->users_file[0] && (!r->zone[0] || !r->tsig_key[0] ||
	    (!r->tsig_secret.set && !r->tsig_secret.file[0])))
		config_error(cfg, r->line, "[redirect-server]: registration "
		    "(users_file) needs zone, tsig_key and tsig_secret_file");
	cfg_validate_tsig(cfg, r->line, "redirect-server", "", r->users_file[0] ?
	    r->tsig_algorithm : NULL);
}

/* The relay: where homes' tunnels and visitors come (a public IPv4
 * address), the ports it hands out, the files it keeps. */
static void
cfg_validate_relay(struct config *cfg, const struct relay_config *r)
{
	char host[256], why[REASON_LEN];
	struct netaddr a;
	uint16_t port;

	if (!r->listen[0] || resolve_split(r->listen, 51820, host, sizeof(host),
	    &port, why, sizeof(why)) < 0 || addr_parse(host, &a) < 0 ||
	    a.family != AF_INET)
		config_error(cfg, r->line, "[relay-server]: listen wants the "
		    "relay's public IPv4 ADDRESS[:PORT] (WireGuard, 51820)");
	if (r->port_lo == 0)
		config_error(cfg, r->line, "[relay-server] has no ports (the "
		    "public ports it hands out, as 20000-20999)");
	if (!r->homes_file[0] || !r->key_file[0])
		config_error(cfg, r->line, "[relay-server] needs homes_file and "
		    "key_file");
}

/* [relay]: all that add-home wrote. */
static void
cfg_validate_relay_home(struct config *cfg, const struct relay_home_config *r)
{
	char host[256], why[REASON_LEN];
	struct netaddr a;
	uint16_t port;

	if (!r->server[0] || resolve_split(r->server, 51820, host, sizeof(host),
	    &port, why, sizeof(why)) < 0 || addr_parse(host, &a) < 0 ||
	    a.family != AF_INET)
		config_error(cfg, r->line, "[relay]: server wants the relay's IPv4 "
		    "ADDRESS:PORT");
	if (!r->server_key[0] || (!r->private_key.set && !r->private_key.file[0]) ||
	    r->address[0] == 0 || r->port_lo == 0)
		config_error(cfg, r->line, "[relay] needs server_key, private_key "
		    "(or private_key_file), address and ports: the section "
		    "`relay-server add-home` wrote");
}

/* https://, or http:// where the section allows it. */
static bool
cfg_url_ok(const char *url, bool plain_http)
{
	return !strncmp(url, "https://", 8) || (plain_http &&
	    !strncmp(url, "http://", 7));
}

static void
cfg_validate_hook(struct config *cfg, const struct hook_config *h)
{
	if (h->events == 0)
		config_error(cfg, h->line, "[hook %s] needs events", h->name);
	if (h->exec[0] == '\0' && h->url[0] == '\0')
		config_error(cfg, h->line, "[hook %s] needs exec or url", h->name);
	if (h->exec[0] != '\0' && h->exec[0] != '/')
		config_error(cfg, h->line, "[hook %s] exec: want an absolute path "
		    "(it runs without a shell)", h->name);
	if (h->url[0] != '\0' && !cfg_url_ok(h->url, h->plain_http))
		config_error(cfg, h->line, "[hook %s] url: want https://... (or "
		    "plain_http = yes)", h->name);
	if ((h->secret.set || h->secret.file[0]) && h->url[0] == '\0')
		config_error(cfg, h->line, "[hook %s] secret_file signs the url's "
		    "body: no url", h->name);
}

void
config_check(struct config *cfg)
{
	for (int i = 0; i < cfg->nddns; i++)
		cfg_validate(cfg, &cfg->ddns[i]);
	for (int i = 0; i < cfg->nservices; i++)
		cfg_validate_service(cfg, &cfg->services[i]);
	if (cfg->redirect.set)
		cfg_validate_redirect(cfg, &cfg->redirect);
	if (cfg->relay.set)
		cfg_validate_relay(cfg, &cfg->relay);
	for (int i = 0; i < cfg->nrelays; i++)
		cfg_validate_relay_home(cfg, &cfg->relays[i]);
	for (int i = 0; i < cfg->nhooks; i++)
		cfg_validate_hook(cfg, &cfg->hooks[i]);
	if (cfg->heartbeat_url[0] && strncmp(cfg->heartbeat_url, "https://", 8) &&
	    strncmp(cfg->heartbeat_url, "http://", 7))
		config_error(cfg, cfg->heartbeat_line, "heartbeat_url: want "
		    "http:// or https://");
	if (cfg->web_port != 0 && addr_classify(&cfg->web_addr) != ADDR_LOOPBACK &&
	    !cfg->web_password.set && !cfg->web_password.file[0])
		config_error(cfg, cfg->web_line, "web_listen on a non-loopback "
		    "address needs web_password_file (the page shows the house)");
}
