/* SPDX-License-Identifier: BSD-2-Clause */
/* One port mapping operation on one gateway: PCP first, then NAT-PMP,
 * then UPnP-IGD, and which of them answered. */
#ifndef HOMEREACH_MAPPING_H
#define HOMEREACH_MAPPING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/reason.h"
#include "nat/pcp.h"
#include "nat/via.h"

struct mapping_spec {
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port;
	uint16_t external_port;		/* wanted; 0 for the internal port */
	uint32_t lifetime;		/* wanted lease in seconds */
	enum map_via via;		/* VIA_ANY tries PCP, NAT-PMP, UPnP */
	bool remove;			/* delete instead of create */
	bool upstream;			/* through our own router's NAT: NAT-PMP
					 * first, PCP and UPnP only with client */
	struct netaddr client;		/* who the mapping points at, if not
					 * this host (PCP client, UPnP client) */
	uint8_t nonce[PCP_NONCE_LEN];	/* PCP: the one used to create it */
	bool has_nonce;
	uint16_t pinhole_id;		/* UPnP IGDv2: the pinhole to remove */
	bool renew;			/* it exists already: a renewal */
};

struct mapping_grant {
	bool ok;
	enum map_via via;		/* the protocol that answered */
	struct netaddr gateway;
	struct netaddr internal;	/* this host, as the gateway sees it */
	struct netaddr external;	/* the gateway's public side */
	uint16_t external_port;
	uint32_t lifetime;		/* granted; 0 permanent (UPnP only) */
	uint32_t epoch;			/* NAT-PMP and PCP */
	uint8_t nonce[PCP_NONCE_LEN];	/* PCP */
	uint16_t pinhole_id;		/* UPnP IGDv2 */
	bool no_public_address;		/* refused: the gateway has none */
	char error[3 * REASON_LEN];	/* each protocol's reason, when !ok */
};

struct event_base;
struct mapping_op;
typedef void mapping_cb(const struct mapping_grant *g, void *arg);

/* Choose the PCP nonce now, so that it can be recorded before anything
 * is asked (no-op if spec has one); -1 if there is no randomness. */
int mapping_choose_nonce(struct mapping_spec *spec);
/* cb runs once, from the loop. A removal via VIA_ANY (of a mapping whose
 * protocol is not known) asks every protocol, not the first that agrees. */
struct mapping_op *mapping_start(struct event_base *base,
    const struct netaddr *gateway, const struct mapping_spec *spec,
    int timeout_ms, mapping_cb *cb, void *arg);
void mapping_free(struct mapping_op *op);

#endif
