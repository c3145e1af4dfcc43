/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 2136 internals, for the known-answer test. */
#ifndef HOMEREACH_RFC2136_H
#define HOMEREACH_RFC2136_H

#include <ldns/ldns.h>

#include "ddns/provider.h"

/* An RR that deletes owner's RRset of this type (RFC 2136 2.5.2). */
ldns_rr *rfc2136_delete_rr(const char *owner, int type);
/* Sign these changes to r->zone with r's key, send them to r->server
 * and judge the answer, as rfc2136_update does. Blocking. */
void rfc2136_commit(const struct ddns_config *r, const ldns_rr_list *updates,
    struct ddns_answer *a);
/* The signed UPDATE (delete the RRset, add addr) with message id. */
ldns_pkt *rfc2136_build(const struct ddns_config *r, const struct ddns_target *t,
    uint16_t id, struct ddns_answer *a);

#endif
