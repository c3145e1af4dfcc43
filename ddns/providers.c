/* SPDX-License-Identifier: BSD-2-Clause */
/* The providers as data: a name for the configuration, a default
 * server, what a [ddns] section must give. Pure: the configuration reads
 * it, in the fuzzers and unit tests too. */
#include "ddns/provider.h"

#include <stdio.h>
#include <string.h>

#define DYNDNS2(n, url) {						\
	.name = n, .kind = PROV_DYNDNS2, .server = url,			\
	.needs = NEEDS_SERVER | NEEDS_LOGIN,				\
	.needs_text = "server, username and password (or password_file)", \
	.batches = true,						\
}

static const struct provider providers[] = {
	DYNDNS2("dyndns2", NULL),
	{
		.name = "rfc2136", .kind = PROV_RFC2136, .srv = true,
		.withdraws = true,
		.needs = NEEDS_SERVER | NEEDS_ZONE | NEEDS_TSIG,
		.needs_text = "server, zone, tsig_key and tsig_secret (or "
		    "tsig_secret_file)",
		.dns_check = CHECK_ALWAYS,
	}, {
		.name = "cloudflare", .kind = PROV_CLOUDFLARE, .srv = true,
		.withdraws = true,
		.needs = NEEDS_ZONE | NEEDS_TOKEN,
		.needs_text = "zone and token (or token_file)",
	}, {
		.name = "duckdns", .kind = PROV_DUCKDNS,
		.needs = NEEDS_TOKEN, .needs_text = "token (or token_file)",
	}, {
		.name = "custom", .kind = PROV_CUSTOM,
		.needs = NEEDS_URL, .needs_text = "url and success",
	}, {
		/* Its records are the redirect server's, not the hostname's
		 * A: there is nothing to ask DNS first. */
		.name = "redirect", .kind = PROV_REDIRECT,
		.needs = NEEDS_SERVER | NEEDS_LOGIN | NEEDS_SERVICE,
		.needs_text = "server, username, password_file and service",
		.https_only = true, .dns_check = CHECK_NEVER, .withdraws = true,
	},
	DYNDNS2("dyn", "https://members.dyndns.org"),
	DYNDNS2("noip", "https://dynupdate.no-ip.com"),
	DYNDNS2("dynu", "https://api.dynu.com"),
	DYNDNS2("strato", "https://dyndns.strato.com"),
	DYNDNS2("selfhost", "https://carol.selfhost.de"),
	DYNDNS2("ovh", "https://www.ovh.com"),
};

#define NPROVIDERS	(sizeof(providers) / sizeof(providers[0]))

const struct provider *
provider_named(const char *name)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (strcmp(providers[i].name, name) == 0)
			return &providers[i];
	return NULL;
}

const struct provider *
provider_of(enum ddns_provider kind)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i].kind == kind)
			return &providers[i];
	return NULL;
}

const char *
provider_names(void)
{
	static char names[256];

	if (names[0] == '\0')
		for (size_t i = 0; i < NPROVIDERS; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
			    "%s%s", i ? ", " : "", providers[i].name);
	return names;
}

