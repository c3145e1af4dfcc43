/* PCP message codec (RFC 6887). Pure: no I/O. */
#ifndef HOMEREACH_PCP_H
#define HOMEREACH_PCP_H

#include <stddef.h>
#include <stdint.h>

#include "probes/addr.h"

#define PCP_VERSION		2
#define PCP_OP_ANNOUNCE		0
#define PCP_OP_MAP		1
#define PCP_HEADER_LEN		24
#define PCP_MAX_LEN		1100	/* section 7 */

struct pcp_reply {
	uint8_t version;	/* 0 when a NAT-PMP-only server answered */
	uint8_t op;
	uint8_t result;
	uint32_t lifetime;
	uint32_t epoch;
};

/* ANNOUNCE request from client address into buf (PCP_HEADER_LEN bytes). */
size_t pcp_build_announce(uint8_t *buf, const struct netaddr *client);
/* Parse a reply to opcode op. A version-0 "unsupported version" reply from
 * a NAT-PMP server parses with version 0 (section 9). */
int pcp_parse_reply(const uint8_t *buf, size_t len, uint8_t op,
    struct pcp_reply *r, char *why, size_t whylen);
const char *pcp_result_name(uint8_t result);

#endif
