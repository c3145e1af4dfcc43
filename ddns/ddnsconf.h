/* SPDX-License-Identifier: BSD-2-Clause */
/* A [ddns NAME] section as the providers read it; agent/config fills it
 * in. Plain data. */
#ifndef HOMEREACH_DDNSCONF_H
#define HOMEREACH_DDNSCONF_H

#include <stdbool.h>
#include <stdint.h>

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
	/* AAAA of another host of the LAN: its interface identifier, joined
	 * to this host's current /64 (ipv6_suffix or ipv6_eui64). */
	uint8_t ipv6_iid[8];
	bool has_iid;
	uint64_t hash;			/* of every setting: changed config? */
};

#endif
