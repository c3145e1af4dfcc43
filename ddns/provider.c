#include "ddns/provider.h"

void
provider_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	if (r->provider == PROV_RFC2136)
		rfc2136_update(r, addr, a);
	else
		dyndns2_update(r, addr, a);
}
