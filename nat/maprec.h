/* SPDX-License-Identifier: BSD-2-Clause */
/* A kept mapping's record: what the state file holds of it, and how to
 * ask for it again. Plain data and pure helpers. */
#ifndef HOMEREACH_MAPREC_H
#define HOMEREACH_MAPREC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "nat/mapping.h"
#include "nat/pcp.h"
#include "nat/via.h"

/* A mapping is recorded before it is asked for: pending (via VIA_ANY,
 * the external port asked, the PCP nonce it uses), then granted. */
struct map_record {
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port, external_port;
	enum map_via via;		/* VIA_ANY: pending, not granted yet */
	struct netaddr gateway, external;
	int64_t granted_at;		/* unix time of the last grant */
	uint32_t lifetime;		/* granted; 0 permanent */
	uint32_t epoch;
	bool has_nonce;
	uint8_t nonce[PCP_NONCE_LEN];
	uint16_t chain;			/* upstream layer of a double NAT: the
					 * internal port of the host's mapping
					 * it extends; 0 for the host's own */
	uint16_t pinhole_id;		/* IGDv2's UniqueID of a pinhole, or 0 */
	int owner_pid;			/* a process that keeps it, or 0 */
	uint64_t owner_start;		/* its start time, against pid reuse */
};

/* The record of a grant; the owner fields are left to the caller. */
void maprec_of_grant(const struct mapping_grant *g,
    const struct mapping_spec *s, uint16_t chain, struct map_record *m);
/* The record of a mapping about to be asked for: pending, owned by this
 * process until the grant replaces it. spec must have its nonce. */
void maprec_pending(const struct mapping_spec *s,
    const struct netaddr *gateway, uint16_t chain, struct map_record *m);
/* How to renew or remove a recorded mapping. */
void maprec_spec(const struct map_record *m, struct mapping_spec *s);
/* Is the mapping's keeper (if any) still the process that made it? */
bool maprec_owner_alive(const struct map_record *m);

#endif
