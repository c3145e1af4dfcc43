#include "ddns/provider.h"

#include <stdio.h>

#include "ddns/cloudflare.h"
#include "ddns/custom.h"

void
provider_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	const char *check = r->dns_check[0] ? r->dns_check :
	    r->provider == PROV_RFC2136 ? r->server : NULL;

	if (check && dnscheck_holds(check, r->hostname, addr)) {
		ddns_answer_set(a, DDNS_NOCHG, "in-dns", "the record holds this "
		    "address already");
		return;
	}
	switch (r->provider) {
	case PROV_RFC2136: rfc2136_update(r, addr, a); break;
	case PROV_CLOUDFLARE: cloudflare_update(r, addr, a); break;
	case PROV_DUCKDNS:
	case PROV_CUSTOM: custom_update(r, addr, a); break;
	default: dyndns2_update(r, addr, a); break;
	}
}
