/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * INI configuration. The parser is pure and streaming (as wireguard-tools'
 * config.c): text in, settings and every error out, so check-config shows
 * them all and a fuzzer can drive it. config_load() (configload.c) does
 * the file work.
 */
#include "agent/config/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/config/happening.h"
#include "ddns/provider.h"
#include "lib/resolve.h"

enum section { SEC_NONE, SEC_AGENT, SEC_PROBES, SEC_DDNS, SEC_SERVICE,
	SEC_REDIRECT, SEC_RELAY, SEC_RELAYHOME, SEC_HOOK, SEC_UNKNOWN };

#define CFG_MAX_KEYS	48	/* keys remembered per section */

struct cfg_parser {
	struct config *cfg;
	const char *path;
	int line;
	enum section sec;
	struct ddns_config *rec;
	struct service_config *svc;
	struct hook_config *hook;
	int agent_line, probes_line;	/* where [agent], [probes] began */
	struct { char key[24]; int line; } keys[CFG_MAX_KEYS];
	int nkeys;			/* this section's, so far */
};

static char *
cfg_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

static int
cfg_copy(struct cfg_parser *p, char *dst, size_t len, const char *v,
    const char *key)
{
	if (strlen(v) >= len) {
		config_error(p->cfg, p->line, "%s is longer than %zu characters",
		    key, len - 1);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

static void
cfg_list(struct cfg_parser *p, char *v, char (*list)[256], int *n, size_t width)
{
	for (char *save = NULL, *item = strtok_r(v, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		item = cfg_trim(item);
		if (*item == '\0')
			continue;
		if (*n == CONFIG_MAX_OBSERVERS) {
			config_error(p->cfg, p->line, "more than %d observers",
			    CONFIG_MAX_OBSERVERS);
			return;
		}
		if (strlen(item) >= width) {
			config_error(p->cfg, p->line, "\"%.40s...\" is too long", item);
			continue;
		}
		strcpy((char *)list + (size_t)*n * width, item);
		(*n)++;
	}
}

static int
cfg_bool(struct cfg_parser *p, const char *v, bool *out, const char *key)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else {
		config_error(p->cfg, p->line, "%s: want yes or no, not \"%.40s\"", key, v);
		return -1;
	}
	return 0;
}

static int
cfg_number(struct cfg_parser *p, const char *v, long lo, long hi, long *out,
    const char *key)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < lo || n > hi) {
		config_error(p->cfg, p->line, "%s: want a number from %ld to %ld, not "
		    "\"%.40s\"", key, lo, hi, v);
		return -1;
	}
	*out = n;
	return 0;
}

static void
cfg_secret(struct cfg_parser *p, struct secret *s, const char *v, bool file)
{
	s->line = p->line;
	if (file)
		cfg_copy(p, s->file, sizeof(s->file), v, "a secret file name");
	else if (strlen(v) >= sizeof(s->value))
		config_error(p->cfg, p->line, "secret is longer than %zu characters",
		    sizeof(s->value) - 1);
	else {
		strcpy(s->value, v);
		s->set = true;
	}
}

/* Providers by name, from ddns/'s table (a dyndns2 service's name brings
 * its server). */
static int
cfg_provider(struct cfg_parser *p, const char *v)
{
	const struct provider *pr = provider_named(v);

	if (pr == NULL) {
		config_error(p->cfg, p->line, "provider \"%.40s\" is not one of %s",
		    v, provider_names());
		return -1;
	}
	p->rec->provider = pr->kind;
	if (pr->server && p->rec->server[0] == '\0')
		snprintf(p->rec->server, sizeof(p->rec->server), "%s", pr->server);
	return 0;
}

static int
cfg_record(struct cfg_parser *p, const char *v)
{
	int *r = &p->rec->record;

	*r = !strcasecmp(v, "A") ? REC_A : !strcasecmp(v, "AAAA") ? REC_AAAA :
	    !strcasecmp(v, "both") ? REC_BOTH : 0;
	if (*r == 0)
		config_error(p->cfg, p->line, "record: want A, AAAA or both");
	return *r ? 0 : -1;
}

/* A string setting: where it lives in its section's struct. */
struct cfg_field {
	const char *key;
	size_t off, len;
};
#define CFG_FIELD(type, k, m) { k, offsetof(type, m), sizeof(((type *)0)->m) }

static char *
cfg_field_find(const struct cfg_field *fields, size_t n, void *base,
    const char *key, size_t *len)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, fields[i].key)) {
			*len = fields[i].len;
			return (char *)base + fields[i].off;
		}
	return NULL;
}

/* The string settings of a [ddns NAME] section, by key. */
static char *
cfg_ddns_field(struct ddns_config *r, const char *key, size_t *len)
{
	static const struct cfg_field fields[] = {
#define F(k, m) CFG_FIELD(struct ddns_config, k, m)
		F("hostname", hostname), F("server", server),
		F("username", username), F("zone", zone),
		F("tsig_key", tsig_key), F("tsig_algorithm", tsig_algorithm),
		F("ca_file", ca_file), F("url", url), F("success", success),
		F("dns_check", dns_check), F("service", service),
#undef F
	};
	return cfg_field_find(fields, sizeof(fields) / sizeof(fields[0]), r, key,
	    len);
}

static void
cfg_ddns_key(struct cfg_parser *p, const char *key, const char *v)
{
	struct ddns_config *r = p->rec;
	size_t len;
	char *field = cfg_ddns_field(r, key, &len);
	long n;

	if (field != NULL)
		cfg_copy(p, field, len, v, key);
	else if (!strcmp(key, "provider"))
		cfg_provider(p, v);
	else if (!strcmp(key, "record"))
		cfg_record(p, v);
	else if (!strcmp(key, "password") || !strcmp(key, "password_file"))
		cfg_secret(p, &r->password, v, key[8] == '_');
	else if (!strcmp(key, "token") || !strcmp(key, "token_file"))
		cfg_secret(p, &r->token, v, key[5] == '_');
	else if (!strcmp(key, "tsig_secret") || !strcmp(key, "tsig_secret_file"))
		cfg_secret(p, &r->tsig_secret, v, key[11] == '_');
	else if (!strcmp(key, "plain_http"))
		cfg_bool(p, v, &r->plain_http, key);
	else if (!strcmp(key, "allow_private"))
		cfg_bool(p, v, &r->allow_private, key);
	else if (!strcmp(key, "refresh_days")) {
		if (cfg_number(p, v, 1, 365, &n, key) == 0)
			r->refresh_days = (int)n;
	} else if (!strcmp(key, "ttl")) {
		if (cfg_number(p, v, 30, 86400, &n, key) == 0)
			r->ttl = (uint32_t)n;
	} else if (!strcmp(key, "ipv6_suffix") || !strcmp(key, "ipv6_eui64")) {
		bool mac = key[5] == 'e';
		if (r->has_iid)
			config_error(p->cfg, p->line, "[ddns %s]: one of ipv6_suffix "
			    "and ipv6_eui64", r->name);
		else if ((mac ? ddns_iid_from_mac(v, r->ipv6_iid) :
		    ddns_iid_from_suffix(v, r->ipv6_iid)) < 0)
			config_error(p->cfg, p->line, "%s \"%.40s\": want %s", key,
			    v, mac ? "a MAC address, 00:11:22:33:44:55" :
			    "an interface identifier within ::/64, like ::1234");
		else
			r->has_iid = true;
	} else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in [ddns %s]",
		    key, r->name);
}

/* ADDRESS:PORT, [IPv6]:PORT: an address of this host, not a name. */
static void
cfg_web_listen(struct cfg_parser *p, const char *v)
{
	struct config *c = p->cfg;
	char host[300], why[REASON_LEN];
	uint16_t port;

	c->web_line = p->line;
	if (resolve_split(v, 0, host, sizeof(host), &port, why,
	    sizeof(why)) < 0 || port == 0 || addr_parse(host, &c->web_addr) < 0)
		config_error(c, p->line, "web_listen \"%.60s\": want ADDRESS:PORT "
		    "(127.0.0.1:8480, [::1]:8480, a LAN address of this host)", v);
	else
		c->web_port = port;
}

static void
cfg_agent_key(struct cfg_parser *p, const char *key, const char *v)
{
	struct config *c = p->cfg;
	long n;

	if (!strcmp(key, "state_dir"))
		cfg_copy(p, c->state_dir, sizeof(c->state_dir), v, key);
	else if (!strcmp(key, "runtime_dir"))
		cfg_copy(p, c->runtime_dir, sizeof(c->runtime_dir), v, key);
	else if (!strcmp(key, "interval")) {
		if (cfg_number(p, v, 10, 86400, &n, key) == 0)
			c->interval = (int)n;
	} else if (!strcmp(key, "keep_mappings"))
		cfg_bool(p, v, &c->keep_mappings, key);
	else if (!strcmp(key, "web_listen"))
		cfg_web_listen(p, v);
	else if (!strcmp(key, "web_password_file"))
		cfg_secret(p, &c->web_password, v, true);
	else if (!strcmp(key, "heartbeat_url")) {
		cfg_copy(p, c->heartbeat_url, sizeof(c->heartbeat_url), v, key);
		c->heartbeat_line = p->line;
	}
	else if (!strcmp(key, "log")) {
		if (!strcmp(v, "stderr") || !strcmp(v, "syslog"))
			c->log = v[1] == 'y' ? LOG_TO_SYSLOG : LOG_TO_STDERR;
		else
			config_error(c, p->line, "log: want stderr or syslog");
	} else
		config_error(c, p->line, "unknown key \"%.40s\" in [agent]", key);
}

static void
cfg_service_key(struct cfg_parser *p, const char *key, const char *v)
{
	struct service_config *s = p->svc;
	long n;

	if (!strcmp(key, "port") || !strcmp(key, "external_port")) {
		if (cfg_number(p, v, 1, 65535, &n, key) < 0)
			return;
		if (key[0] == 'p')
			s->port = (uint16_t)n;
		else
			s->external_port = (uint16_t)n;
	} else if (!strcmp(key, "protocol")) {
		if (!strcasecmp(v, "tcp") || !strcasecmp(v, "udp"))
			s->protocol = tolower((unsigned char)v[0]) == 't' ?
			    IPPROTO_TCP : IPPROTO_UDP;
		else
			config_error(p->cfg, p->line, "protocol: want tcp or udp");
	} else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in [service %s]",
		    key, s->name);
}

static void
cfg_hook_key(struct cfg_parser *p, const char *key, const char *v)
{
	struct hook_config *h = p->hook;
	char why[300];
	long n;

	if (!strcmp(key, "events")) {
		if (happening_parse(v, &h->events, why, sizeof(why)) < 0)
			config_error(p->cfg, p->line, "events: %s", why);
	} else if (!strcmp(key, "exec"))
		cfg_copy(p, h->exec, sizeof(h->exec), v, key);
	else if (!strcmp(key, "url"))
		cfg_copy(p, h->url, sizeof(h->url), v, key);
	else if (!strcmp(key, "secret_file"))
		cfg_secret(p, &h->secret, v, true);
	else if (!strcmp(key, "timeout")) {
		if (cfg_number(p, v, 1, 300, &n, key) == 0)
			h->timeout_s = (int)n;
	} else if (!strcmp(key, "plain_http"))
		cfg_bool(p, v, &h->plain_http, key);
	else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in [hook %s]",
		    key, h->name);
}

static char *
cfg_redirect_field(struct redirect_config *r, const char *key, size_t *len)
{
	static const struct cfg_field fields[] = {
#define F(k, m) CFG_FIELD(struct redirect_config, k, m)
		F("tls_cert", tls_cert), F("tls_key", tls_key),
		F("dns_server", dns_server), F("zone", zone),
		F("tsig_key", tsig_key), F("tsig_algorithm", tsig_algorithm),
		F("users_file", users_file), F("target_prefix", target_prefix),
#undef F
	};
	return cfg_field_find(fields, sizeof(fields) / sizeof(fields[0]), r, key,
	    len);
}

static void
cfg_redirect_key(struct cfg_parser *p, const char *key, char *v)
{
	struct redirect_config *r = &p->cfg->redirect;
	size_t len;
	char *field = cfg_redirect_field(r, key, &len);
	long n;

	if (field != NULL)
		cfg_copy(p, field, len, v, key);
	else if (!strcmp(key, "listen"))
		cfg_list(p, v, r->listen, &r->nlisten, sizeof(r->listen[0]));
	else if (!strcmp(key, "tls_listen"))
		cfg_list(p, v, r->tls_listen, &r->ntls, sizeof(r->listen[0]));
	else if (!strcmp(key, "server_name"))
		cfg_list(p, v, r->server_name, &r->nserver_name,
		    sizeof(r->server_name[0]));
	else if (!strcmp(key, "tsig_secret") || !strcmp(key, "tsig_secret_file"))
		cfg_secret(p, &r->tsig_secret, v, key[11] == '_');
	else if (!strcmp(key, "status")) {
		if (cfg_number(p, v, 301, 308, &n, key) == 0 && n != 301 &&
		    n != 307 && n != 308)
			config_error(p->cfg, p->line, "status: want 301, 307 or 308");
		else if (n == 301 || n == 307 || n == 308)
			r->status = (int)n;
	} else if (!strcmp(key, "ttl")) {
		if (cfg_number(p, v, 10, 86400, &n, key) == 0)
			r->ttl = (uint32_t)n;
	} else if (!strcmp(key, "max_per_source")) {
		if (cfg_number(p, v, 1, 10000, &n, key) == 0)
			r->max_per_source = (int)n;
	} else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in "
		    "[redirect-server]", key);
}

static bool
cfg_name_ok(const char *name)
{
	if (*name == '\0')
		return false;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
			return false;
	return true;
}

/* "20000-20999": the public ports a relay hands out. */
static void
cfg_port_range(struct cfg_parser *p, const char *v, uint16_t *lo,
    uint16_t *hi)
{
	unsigned a, b;
	char end;

	if (sscanf(v, "%u-%u%c", &a, &b, &end) != 2 || a < 1024 || b > 65535 ||
	    a > b)
		config_error(p->cfg, p->line, "ports: want LOW-HIGH within "
		    "1024-65535, as 20000-20999");
	else
		*lo = (uint16_t)a, *hi = (uint16_t)b;
}

static void
cfg_relay_key(struct cfg_parser *p, const char *key, char *v)
{
	struct relay_config *r = &p->cfg->relay;
	struct netaddr a;
	long n;

	if (!strcmp(key, "listen"))
		cfg_copy(p, r->listen, sizeof(r->listen), v, key);
	else if (!strcmp(key, "ports"))
		cfg_port_range(p, v, &r->port_lo, &r->port_hi);
	else if (!strcmp(key, "homes_file"))
		cfg_copy(p, r->homes_file, sizeof(r->homes_file), v, key);
	else if (!strcmp(key, "key_file"))
		cfg_copy(p, r->key_file, sizeof(r->key_file), v, key);
	else if (!strcmp(key, "interface")) {
		if (strlen(v) >= sizeof(r->interface) || !cfg_name_ok(v))
			config_error(p->cfg, p->line, "interface: at most 15 of "
			    "letters, digits, - _ .");
		else
			cfg_copy(p, r->interface, sizeof(r->interface), v, key);
	} else if (!strcmp(key, "subnet")) {
		size_t k = strlen(v);
		if (k < 4 || strcmp(v + k - 3, "/24") != 0 || (v[k - 3] = '\0',
		    addr_parse(v, &a) < 0) || a.family != AF_INET || a.bytes[3] ||
		    addr_is_public(&a))
			config_error(p->cfg, p->line, "subnet: want a private "
			    "IPv4 /24, as 10.77.0.0/24");
		else
			memcpy(r->subnet, a.bytes, 4);
	} else if (!strcmp(key, "quota")) {
		if (cfg_number(p, v, 1, 1000, &n, key) == 0)
			r->quota = (int)n;
	} else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in "
		    "[relay-server]", key);
}

/* [relay]: what add-home wrote for this home. */
static void
cfg_relay_home_key(struct cfg_parser *p, const char *key, char *v)
{
	struct relay_home_config *r = &p->cfg->relays[p->cfg->nrelays - 1];
	struct netaddr a;

	if (!strcmp(key, "server"))
		cfg_copy(p, r->server, sizeof(r->server), v, key);
	else if (!strcmp(key, "server_key"))
		cfg_copy(p, r->server_key, sizeof(r->server_key), v, key);
	else if (!strcmp(key, "private_key") || !strcmp(key, "private_key_file"))
		cfg_secret(p, &r->private_key, v, key[11] == '_');
	else if (!strcmp(key, "address")) {
		if (addr_parse(v, &a) < 0 || a.family != AF_INET)
			config_error(p->cfg, p->line, "address: want this home's "
			    "IPv4 address in the tunnel");
		else
			memcpy(r->address, a.bytes, 4);
	} else if (!strcmp(key, "ports"))
		cfg_port_range(p, v, &r->port_lo, &r->port_hi);
	else if (!strcmp(key, "interface")) {
		if (strlen(v) >= sizeof(r->interface) || !cfg_name_ok(v))
			config_error(p->cfg, p->line, "interface: at most 15 of "
			    "letters, digits, - _ .");
		else
			cfg_copy(p, r->interface, sizeof(r->interface), v, key);
	} else
		config_error(p->cfg, p->line, "unknown key \"%.40s\" in [relay]",
		    key);
}

static void
cfg_key(struct cfg_parser *p, const char *key, char *v)
{
	struct config *c = p->cfg;

	if (p->sec == SEC_AGENT)
		cfg_agent_key(p, key, v);
	else if (p->sec == SEC_SERVICE)
		cfg_service_key(p, key, v);
	else if (p->sec == SEC_PROBES && !strcmp(key, "stun"))
		cfg_list(p, v, c->stun, &c->nstun, sizeof(c->stun[0]));
	else if (p->sec == SEC_PROBES && !strcmp(key, "http_echo"))
		cfg_list(p, v, (char (*)[256])c->http_echo, &c->necho,
		    sizeof(c->http_echo[0]));
	else if (p->sec == SEC_PROBES && !strcmp(key, "check_url")) {
		if (strncmp(v, "http://", 7) != 0)
			config_error(c, p->line, "check_url: want http://HOST[:PORT]"
			    "/check (the check carries no secret)");
		else
			cfg_copy(p, c->check_url, sizeof(c->check_url), v, key);
	}
	else if (p->sec == SEC_REDIRECT)
		cfg_redirect_key(p, key, v);
	else if (p->sec == SEC_RELAY)
		cfg_relay_key(p, key, v);
	else if (p->sec == SEC_RELAYHOME)
		cfg_relay_home_key(p, key, v);
	else if (p->sec == SEC_DDNS)
		cfg_ddns_key(p, key, v);
	else if (p->sec == SEC_HOOK)
		cfg_hook_key(p, key, v);
	else if (p->sec == SEC_NONE)
		config_error(c, p->line, "\"%.40s\" outside any [section]", key);
	else if (p->sec != SEC_UNKNOWN)
		config_error(c, p->line, "unknown key \"%.40s\"", key);
}

static void
cfg_ddns_defaults(struct ddns_config *r, const char *name, int line)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->line = line;
	r->record = REC_A;
	r->refresh_days = 25;
	r->ttl = 300;
	strcpy(r->tsig_algorithm, "hmac-sha256");
}

static void
cfg_ddns_section(struct cfg_parser *p, const char *name)
{
	if (config_ddns(p->cfg, name) != NULL)
		config_error(p->cfg, p->line, "[ddns %s] appears twice", name);
	else if (p->cfg->nddns == CONFIG_MAX_RECORDS)
		config_error(p->cfg, p->line, "more than %d [ddns] sections",
		    CONFIG_MAX_RECORDS);
	else {
		p->sec = SEC_DDNS;
		p->rec = &p->cfg->ddns[p->cfg->nddns++];
		cfg_ddns_defaults(p->rec, name, p->line);
	}
}

static void
cfg_service_section(struct cfg_parser *p, const char *name)
{
	if (config_service(p->cfg, name) != NULL)
		config_error(p->cfg, p->line, "[service %s] appears twice", name);
	else if (p->cfg->nservices == CONFIG_MAX_SERVICES)
		config_error(p->cfg, p->line, "more than %d [service] sections",
		    CONFIG_MAX_SERVICES);
	else {
		p->sec = SEC_SERVICE;
		p->svc = &p->cfg->services[p->cfg->nservices++];
		memset(p->svc, 0, sizeof(*p->svc));
		snprintf(p->svc->name, sizeof(p->svc->name), "%s", name);
		p->svc->line = p->line;
		p->svc->protocol = IPPROTO_TCP;
	}
}

static void
cfg_hook_section(struct cfg_parser *p, const char *name)
{
	struct config *c = p->cfg;

	for (int i = 0; i < c->nhooks; i++)
		if (!strcmp(c->hooks[i].name, name)) {
			config_error(c, p->line, "[hook %s] appears twice", name);
			return;
		}
	if (c->nhooks == CONFIG_MAX_HOOKS) {
		config_error(c, p->line, "more than %d [hook] sections",
		    CONFIG_MAX_HOOKS);
		return;
	}
	p->sec = SEC_HOOK;
	p->hook = &c->hooks[c->nhooks++];
	memset(p->hook, 0, sizeof(*p->hook));
	snprintf(p->hook->name, sizeof(p->hook->name), "%s", name);
	p->hook->line = p->line;
	p->hook->timeout_s = CONFIG_HOOK_TIMEOUT;
}

/* "[kind NAME]": the NAME, or NULL if the header is not of that kind. */
static char *
cfg_named(char *header, const char *kind)
{
	size_t n = strlen(kind);

	if (strncmp(header, kind, n) != 0 || !isspace((unsigned char)header[n]))
		return NULL;
	return cfg_trim(header + n);
}

static void
cfg_section(struct cfg_parser *p, char *line)
{
	char *end = strchr(line, ']'), *header, *name;
	bool ddns;

	p->rec = NULL;
	p->svc = NULL;
	p->hook = NULL;
	p->sec = SEC_UNKNOWN;
	p->nkeys = 0;
	if (end == NULL || *cfg_trim(end + 1) != '\0') {
		config_error(p->cfg, p->line, "a section header must end with ]");
		return;
	}
	*end = '\0';
	header = cfg_trim(line + 1);
	if (!strcmp(header, "agent") || !strcmp(header, "probes")) {
		int *first = header[0] == 'a' ? &p->agent_line : &p->probes_line;
		if (*first)
			config_error(p->cfg, p->line, "[%s] appears twice (first "
			    "at line %d)", header, *first);
		else
			p->sec = header[0] == 'a' ? SEC_AGENT : SEC_PROBES;
		*first = *first ? *first : p->line;
		return;
	}
	if (!strcmp(header, "relay")) {
		struct relay_home_config *r = &p->cfg->relays[p->cfg->nrelays];
		if (p->cfg->nrelays == CONFIG_MAX_RELAYS) {
			config_error(p->cfg, p->line, "more than %d [relay] "
			    "sections", CONFIG_MAX_RELAYS);
			p->sec = SEC_UNKNOWN;	/* its keys go nowhere */
			return;
		}
		p->cfg->nrelays++;
		p->sec = SEC_RELAYHOME;
		r->set = true;
		r->line = p->line;
		strcpy(r->interface, "hr-relay");
		return;
	}
	if (!strcmp(header, "relay-server")) {
		if (p->cfg->relay.set) {
			config_error(p->cfg, p->line, "[relay-server] appears "
			    "twice (first at line %d)", p->cfg->relay.line);
			return;
		}
		p->sec = SEC_RELAY;
		p->cfg->relay.set = true;
		p->cfg->relay.line = p->line;
		return;
	}
	if (!strcmp(header, "redirect-server")) {
		if (p->cfg->redirect.set) {
			config_error(p->cfg, p->line, "[redirect-server] appears "
			    "twice (first at line %d)", p->cfg->redirect.line);
			return;
		}
		p->sec = SEC_REDIRECT;
		p->cfg->redirect.set = true;
		p->cfg->redirect.line = p->line;
		return;
	}
	if ((name = cfg_named(header, "hook")) != NULL) {
		if (!cfg_name_ok(name) || strlen(name) >= sizeof(p->cfg->hooks[0].name))
			config_error(p->cfg, p->line, "bad hook name \"%.40s\": "
			    "letters, digits, - _ .", name);
		else
			cfg_hook_section(p, name);
		return;
	}
	ddns = (name = cfg_named(header, "ddns")) != NULL;
	if (!ddns && (name = cfg_named(header, "service")) == NULL) {
		config_error(p->cfg, p->line, "unknown section [%.40s]", header);
		return;
	}
	if (!cfg_name_ok(name) || strlen(name) >= sizeof(p->cfg->ddns[0].name))
		config_error(p->cfg, p->line, "bad %s name \"%.40s\": letters, "
		    "digits, - _ .", ddns ? "record" : "service", name);
	else if (ddns)
		cfg_ddns_section(p, name);
	else
		cfg_service_section(p, name);
}

/* A value that opens a quote it does not close. */
static bool
cfg_unquoted(const char *v)
{
	size_t n;

	while (isspace((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	return n > 0 && v[0] == '"' && (n == 1 || v[n - 1] != '"');
}

/* Lists may take several lines; any other key is said once a section. */
static bool
cfg_first_time(struct cfg_parser *p, const char *key)
{
	static const char *lists[] = { "stun", "http_echo", "listen",
	    "tls_listen", "server_name" };

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(key, lists[i]))
			return true;
	for (int i = 0; i < p->nkeys; i++)
		if (!strcmp(p->keys[i].key, key)) {
			config_error(p->cfg, p->line, "%.40s is set twice (first at "
			    "line %d)", key, p->keys[i].line);
			return false;
		}
	if (p->nkeys < CFG_MAX_KEYS && strlen(key) < sizeof(p->keys[0].key)) {
		strcpy(p->keys[p->nkeys].key, key);
		p->keys[p->nkeys++].line = p->line;
	}
	return true;
}

static void
cfg_line(struct cfg_parser *p, char *line)
{
	char *eq, *s = cfg_trim(line);

	if (*s == '\0' || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		cfg_section(p, s);
		return;
	}
	if ((eq = strchr(s, '=')) == NULL) {
		config_error(p->cfg, p->line, "want key = value");
		return;
	}
	*eq = '\0';
	s = cfg_trim(s);
	if (cfg_unquoted(eq + 1)) {
		config_error(p->cfg, p->line, "%.40s: a quote that does not end", s);
		return;
	}
	if (!cfg_first_time(p, s))
		return;
	cfg_key(p, s, cfg_trim(eq + 1));
}

void
config_parse(const char *text, size_t len, const char *path,
    struct config *cfg)
{
	struct cfg_parser p = { .cfg = cfg, .path = path };
	char line[1024];
	size_t at = 0;

	/* Not the arrays of records: each is cleared when its section starts,
	 * so an agent's memory holds only the records it has. */
	memset(cfg, 0, offsetof(struct config, services));
	cfg->nservices = cfg->nddns = cfg->nerrors = 0;
	cfg->nstun = cfg->necho = 0;
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	strcpy(cfg->state_dir, "/var/lib/homereach");
	strcpy(cfg->runtime_dir, CONFIG_DEFAULT_RUNTIME);
	cfg->interval = 300;
	cfg->check_url[0] = '\0';
	memset(&cfg->web_addr, 0, sizeof(cfg->web_addr));
	cfg->web_port = 0;
	cfg->web_line = cfg->heartbeat_line = 0;
	memset(&cfg->web_password, 0, sizeof(cfg->web_password));
	cfg->heartbeat_url[0] = '\0';
	cfg->nhooks = 0;
	memset(&cfg->redirect, 0, sizeof(cfg->redirect));
	strcpy(cfg->redirect.tsig_algorithm, "hmac-sha256");
	strcpy(cfg->redirect.target_prefix, "origin");
	cfg->redirect.status = 307;
	cfg->redirect.ttl = 60;
	cfg->redirect.max_per_source = 32;
	memset(&cfg->relay, 0, sizeof(cfg->relay));
	strcpy(cfg->relay.interface, "hr-relay0");
	memcpy(cfg->relay.subnet, (uint8_t[4]){ 10, 77, 0, 0 }, 4);
	cfg->relay.quota = 10;
	memset(cfg->relays, 0, sizeof(cfg->relays));
	cfg->nrelays = 0;
	if (memchr(text, '\0', len) != NULL) {
		config_error(cfg, 1, "not a text file (it holds NUL bytes)");
		return;
	}
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;
		p.line++;
		if (n >= sizeof(line))
			config_error(cfg, p.line, "line longer than %zu bytes",
			    sizeof(line) - 1);
		else {
			memcpy(line, text + at, n);
			line[n] = '\0';
			cfg_line(&p, line);
		}
		at += n + 1;
	}
	config_check(cfg);
}

/* A DNS label (RFC 1035): letters, digits and inner hyphens, up to 63. */
static bool
config_label(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 63 || name[0] == '-' || name[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			return false;
	return true;
}

void
config_srv(const struct config *cfg, const struct ddns_config *r, int family,
    uint16_t (*port)(const struct service_config *s, void *arg), void *arg,
    struct ddns_target *t)
{
	const struct provider *p = provider_of(r->provider);

	t->nsrv = 0;
	t->https_port = 0;
	t->https_gone = false;
	for (int i = 0; family == AF_INET && p != NULL && p->srv &&
	    i < cfg->nservices && t->nsrv < DDNS_MAX_SRV; i++) {
		const struct service_config *s = &cfg->services[i];
		bool web = s->protocol == IPPROTO_TCP && s->port == 443;
		uint16_t at;
		if (!config_label(s->name))
			continue;
		at = port(s, arg);	/* 0: its record is deleted */
		snprintf(t->srv[t->nsrv].service, sizeof(t->srv[0].service), "%s",
		    s->name);
		t->srv[t->nsrv].protocol = s->protocol;
		t->srv[t->nsrv++].port = at;
		if (web && t->https_port == 0)
			t->https_port = at;	/* a web site over TLS */
		t->https_gone |= web;
	}
	t->https_gone &= t->https_port == 0;
	t->srv_hash = ddns_srv_hash(t->srv, t->nsrv, t->https_port);
}
