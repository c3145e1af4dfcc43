/* SPDX-License-Identifier: BSD-2-Clause */
/* The [redirect-server] section; agent/config fills it in. Plain data. */
#ifndef HOMEREACH_REDIRCONF_H
#define HOMEREACH_REDIRCONF_H

#include <stdbool.h>
#include <stdint.h>

#include "ddns/ddnsconf.h"

#define REDIRECT_MAX_LISTEN	8	/* addresses of each kind */

/* [redirect-server]: the port-redirecting DDNS server. */
struct redirect_config {
	bool set;
	int line;
	char listen[REDIRECT_MAX_LISTEN][256];	/* host:port, plain HTTP */
	int nlisten;
	char tls_listen[REDIRECT_MAX_LISTEN][256];
	int ntls;
	char server_name[REDIRECT_MAX_LISTEN][256];	/* its own names */
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

#endif
