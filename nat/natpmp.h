/* SPDX-License-Identifier: BSD-2-Clause */
/* NAT-PMP reply codec (RFC 6886). Pure: no I/O. */
#ifndef HOMEREACH_NATPMP_H
#define HOMEREACH_NATPMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define NATPMP_UDP_PORT		5351
#define NATPMP_OP_ADDRESS	0
#define NATPMP_OP_MAP_UDP	1
#define NATPMP_OP_MAP_TCP	2
#define NATPMP_NETWORK_FAILURE	3	/* result code, RFC 6886 section 3.5 */

struct natpmp_reply {
	uint8_t op;		/* request opcode answered (reply op - 128) */
	uint16_t result;	/* RFC 6886 section 3.5; 0 is success */
	uint32_t epoch;		/* seconds since start of epoch */
	struct netaddr external;	/* op 0 */
	uint16_t internal_port, external_port;	/* op 1 and 2 */
	uint32_t lifetime;
};

/* Parse a reply to a request with opcode op; -EBADMSG with why set. */
int natpmp_parse_reply(const uint8_t *buf, size_t len, uint8_t op,
    struct natpmp_reply *r, char *why, size_t whylen);
const char *natpmp_result_name(uint16_t result);
/* RFC 6886 section 3.6: true if the gateway lost its mappings, given its
 * previous epoch and the client's milliseconds elapsed since that reply. */
bool natpmp_epoch_lost(uint32_t prev_epoch, uint32_t epoch, uint64_t elapsed_ms);

#endif
