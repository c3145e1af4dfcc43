/* The configuration file (INI), shared by every subcommand. */
#ifndef HOMEREACH_CONFIG_H
#define HOMEREACH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_RECORDS	128
#define CONFIG_MAX_OBSERVERS	8
#define CONFIG_MAX_ERRORS	10	/* the tenth says there are more */
#define CONFIG_MAX_SERVICES	32
#define CONFIG_DEFAULT_PATH	"/etc/homereach.conf"
#define CONFIG_DEFAULT_RUNTIME	"/run/homereach"

enum ddns_provider { PROV_NONE, PROV_DYNDNS2, PROV_RFC2136, PROV_CLOUDFLARE,
	PROV_DUCKDNS, PROV_CUSTOM, PROV_REDIRECT };
enum { REC_A = 1, REC_AAAA = 2, REC_BOTH = 3 };

/* A secret: only ever sent to the provider, never printed or logged. */
struct secret {
	char value[256];
	bool set;
	char file[1024];		/* *_file: read by config_load() */
	int line;
};

struct ddns_config {
	char name[64];
	int line;			/* of the [ddns NAME] header */
	enum ddns_provider provider;
	char hostname[254];
	char server[256];		/* dyndns2: URL or host; rfc2136: host[:port] */
	char username[128];
	char zone[254];
	char tsig_key[254];
	char tsig_algorithm[32];
	char ca_file[1024];
	char url[512];			/* custom: the URL template */
	char success[128];		/* custom: glob for the reply's first line */
	char dns_check[256];		/* authoritative server to ask first */
	char service[64];		/* redirect: the [service] whose port */
	struct secret password, token, tsig_secret;
	int record;			/* REC_A, REC_AAAA or REC_BOTH */
	bool plain_http;		/* allow http:// for this record */
	bool allow_private;		/* split horizon: publish private too */
	int refresh_days;		/* forced refresh, default 25 */
	uint32_t ttl;
	uint64_t hash;			/* of every setting: changed config? */
};

/* A [service NAME]: a port of this host the agent keeps mapped. */
struct service_config {
	char name[64];
	int line;
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;			/* on this host */
	uint16_t external_port;		/* wanted; 0 for the same as port */
};

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

#define CONFIG_MAX_LISTEN	CONFIG_MAX_OBSERVERS	/* cfg_list's bound */

/* [redirect-server]: the port-redirecting DDNS server. */
struct redirect_config {
	bool set;
	int line;
	char listen[CONFIG_MAX_LISTEN][256];	/* host:port, plain HTTP */
	int nlisten;
	char tls_listen[CONFIG_MAX_LISTEN][256];
	int ntls;
	char server_name[CONFIG_MAX_LISTEN][256];	/* its own names */
	int nserver_name;
	char tls_cert[1024], tls_key[1024];
	char dns_server[256];		/* authoritative: lookups and updates */
	char zone[254];
	char tsig_key[254];
	char tsig_algorithm[32];
	struct secret tsig_secret;
	char users_file[1024];
	char target_prefix[64];		/* SRV target: PREFIX.NAME */
	int status;			/* 301, 307 or 308 */
	uint32_t ttl;			/* of the records it writes */
	int max_per_source;		/* connections at once from one address */
};

struct config {
	char path[1024];
	char state_dir[1024];
	char runtime_dir[1024];		/* the agent's control socket */
	int interval;			/* seconds between STUN checks */
	bool keep_mappings;		/* leave mappings on the router at exit */
	enum log_target log;
	struct service_config services[CONFIG_MAX_SERVICES];
	int nservices;
	char stun[CONFIG_MAX_OBSERVERS][256];
	int nstun;
	char http_echo[CONFIG_MAX_OBSERVERS][512];
	int necho;
	char check_url[512];		/* a redirect server's /check */
	struct redirect_config redirect;
	struct ddns_config ddns[CONFIG_MAX_RECORDS];
	int nddns;
	char errors[CONFIG_MAX_ERRORS][300];	/* "FILE:LINE: what" */
	int nerrors;
};

/* Defaults, then the text; every problem lands in cfg->errors. Pure. */
void config_parse(const char *text, size_t len, const char *path,
    struct config *cfg);
/* configcheck.c: what each section needs, once the file is read; the
 * parser calls it. */
void config_check(struct config *cfg);
/* Add "FILE:LINE: what" to cfg->errors (up to CONFIG_MAX_ERRORS). */
void config_error(struct config *cfg, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Read path (a missing default file is an empty config), check that no
 * secret is readable by group or others, read the *_file secrets.
 * Returns 0, or -1 with cfg->errors set. */
int config_load(const char *path, bool must_exist, struct config *cfg);
const struct ddns_config *config_ddns(const struct config *cfg,
    const char *name);
const struct service_config *config_service(const struct config *cfg,
    const char *name);

#endif
