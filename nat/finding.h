/* SPDX-License-Identifier: BSD-2-Clause */
/* What one gateway said over one protocol: the result every gateway
 * protocol (NAT-PMP, PCP, UPnP) gives its caller. Plain data. */
#ifndef HOMEREACH_FINDING_H
#define HOMEREACH_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/reason.h"

struct proto_finding {
	bool asked, answered;	/* answered: a valid reply arrived */
	bool can_map;		/* the reply says mappings would work */
	int result;		/* the protocol's own result code */
	uint32_t epoch;
	struct netaddr external;	/* claimed WAN address, if any */
	char detail[REASON_LEN];	/* result text or why it failed */
};

#endif
