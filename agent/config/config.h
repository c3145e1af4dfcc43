/* SPDX-License-Identifier: BSD-2-Clause */
/* The configuration file (INI), shared by every subcommand. */
#ifndef HOMEREACH_CONFIG_H
#define HOMEREACH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ddns/ddnsconf.h"
#include "ddns/redirect/redirconf.h"
#include "relay/relayconf.h"
#include "lib/addr.h"

#define CONFIG_MAX_RECORDS	128
#define CONFIG_MAX_RELAYS	4	/* [relay] sections: the first that answers */
#define CONFIG_MAX_OBSERVERS	8
#define CONFIG_MAX_ERRORS	10	/* the tenth says there are more */
#define CONFIG_MAX_SERVICES	32
#define CONFIG_MAX_LISTEN	REDIRECT_MAX_LISTEN	/* cfg_list's bound */
#define CONFIG_DEFAULT_PATH	"/etc/homereach/homereach.conf"
#define CONFIG_AGENT_USER	"homereach"	/* the package's system user */
#define CONFIG_DEFAULT_RUNTIME	"/run/homereach"

/* A [service NAME]: a port of this host the agent keeps mapped. */
struct service_config {
	char name[64];
	int line;
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;			/* on this host */
	uint16_t external_port;		/* wanted; 0 for the same as port */
};

#define CONFIG_MAX_HOOKS	8
#define CONFIG_HOOK_TIMEOUT	10	/* seconds, the default */

/* A [hook NAME]: who is told of which events. */
struct hook_config {
	char name[64];
	int line;
	unsigned events;		/* 1 << enum happening */
	char exec[1024];		/* a program, run without a shell */
	char url[512];			/* where the event is POSTed as JSON */
	struct secret secret;		/* secret_file: HMAC-SHA256 of the body */
	int timeout_s;			/* each run (exec) or attempt (url) */
	bool plain_http;		/* allow http:// for url */
};

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

/* [relay]: this home's place on a relay (`relay-server add-home` wrote
 * it): used for IPv4 when no better way in works. */
struct relay_home_config {
	bool set;
	int line;
	char server[256];		/* ADDRESS:PORT of its WireGuard */
	char server_key[64];
	struct secret private_key;	/* private_key or private_key_file */
	uint8_t address[4];		/* ours in the tunnel */
	uint16_t port_lo, port_hi;	/* our public ports on it */
	char interface[16];		/* hr-relay */
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
	/* The status page: [agent] web_listen ADDRESS:PORT (off if port 0);
	 * a listener that is not loopback needs web_password_file. */
	struct netaddr web_addr;
	uint16_t web_port;
	int web_line;
	struct secret web_password;
	char heartbeat_url[512];	/* fetched after each healthy check */
	int heartbeat_line;
	struct hook_config hooks[CONFIG_MAX_HOOKS];
	int nhooks;
	struct redirect_config redirect;
	struct relay_config relay;
	struct relay_home_config relays[CONFIG_MAX_RELAYS];	/* [relay]: this
						 * home's, in order */
	int nrelays;
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
/* config_load() for a command: path NULL is the default file; every error
 * is printed on stderr. */
int config_read(const char *path, struct config *cfg);
/* A secret's file may belong to root, to this user or to the agent's
 * user, no other (who could change the key): 0, or -1 with why. */
int config_secret_owner(int fd, const char *path, char *why, size_t len);
const struct ddns_config *config_ddns(const struct config *cfg,
    const char *name);
/* Beside record r's A (for a provider that writes them), each service's
 * SRV record at the port port(service, arg) gives (0: the service has no
 * open way in, and its record is deleted), and for a web site over TLS
 * (TCP 443) the HTTPS record's port (or that it is deleted); their hash
 * too. Nothing for an AAAA, nor for a
 * service whose name is not a DNS label. */
struct ddns_target;
void config_srv(const struct config *cfg, const struct ddns_config *r,
    int family, uint16_t (*port)(const struct service_config *s, void *arg),
    void *arg, struct ddns_target *t);
const struct service_config *config_service(const struct config *cfg,
    const char *name);
/* A host name as DNS holds it: 253 bytes, labels of 1 to 63 letters,
 * digits, hyphens (and '_'), a trailing dot allowed. */
bool config_dns_name(const char *name);
/* The first name an A record is kept for (what visitors type), or NULL. */
const char *config_ipv4_name(const struct config *cfg);

#endif
