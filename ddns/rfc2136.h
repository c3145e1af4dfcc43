/* RFC 2136 internals, for the known-answer test. */
#ifndef HOMEREACH_RFC2136_H
#define HOMEREACH_RFC2136_H

#include <ldns/ldns.h>

#include "ddns/provider.h"

/* The signed UPDATE (delete the RRset, add addr) with message id. */
ldns_pkt *rfc2136_build(const struct ddns_config *r, const struct netaddr *addr,
    uint16_t id, struct ddns_answer *a);

#endif
