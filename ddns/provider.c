#include "ddns/provider.h"

#include "ddns/cloudflare.h"
#include "ddns/custom.h"

void
provider_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	switch (r->provider) {
	case PROV_RFC2136: rfc2136_update(r, addr, a); break;
	case PROV_CLOUDFLARE: cloudflare_update(r, addr, a); break;
	case PROV_DUCKDNS:
	case PROV_CUSTOM: custom_update(r, addr, a); break;
	default: dyndns2_update(r, addr, a); break;
	}
}
