/* SPDX-License-Identifier: BSD-2-Clause */
/* Each provider's update: a new provider is an entry in providers.c, a
 * line here, and its own file. */
#include "ddns/provider.h"

#include <stdio.h>
#include <string.h>

#include "ddns/cloudflare.h"
#include "ddns/custom.h"

static void
prov_dyndns2(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	dyndns2_update(r, &t->addr, a);
}

static void
prov_rfc2136(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	rfc2136_update(r, t, a);
}

static void
prov_cloudflare(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	cloudflare_update(r, t, a);
}

static void
prov_duckdns(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	custom_update(r, DUCKDNS_URL, "OK", &t->addr, a);
}

static void
prov_custom(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	custom_update(r, r->url, r->success, &t->addr, a);
}

static void
prov_redirect(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	redirect_update(r, t, a);
}

/* Each kind's update, beside the table of ddns/providers.c (which stays
 * pure: the configuration reads it in the fuzzers and unit tests). */
static provider_update_fn *const provider_updates[] = {
	[PROV_DYNDNS2] = prov_dyndns2,
	[PROV_RFC2136] = prov_rfc2136,
	[PROV_CLOUDFLARE] = prov_cloudflare,
	[PROV_DUCKDNS] = prov_duckdns,
	[PROV_CUSTOM] = prov_custom,
	[PROV_REDIRECT] = prov_redirect,
};

void
provider_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	const struct provider *p = provider_of(r->provider);
	const char *check = p == NULL || p->dns_check == CHECK_NEVER ? NULL :
	    r->dns_check[0] ? r->dns_check :
	    p->dns_check == CHECK_ALWAYS ? r->server : NULL;

	if (p == NULL || (unsigned)r->provider >= sizeof(provider_updates) /
	    sizeof(provider_updates[0]) || provider_updates[r->provider] == NULL) {
		ddns_answer_set(a, FAULT_CONFIG, "no-provider", "the record has "
		    "no provider");
		return;
	}
	if (check && !t->withdraw && dnscheck_holds(check, r->hostname, t)) {
		ddns_answer_set(a, FAULT_CURRENT, "in-dns", "the record holds this "
		    "address already");
		return;
	}
	provider_updates[r->provider](r, t, a);
}
