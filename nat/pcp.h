/* SPDX-License-Identifier: BSD-2-Clause */
/* PCP message codec (RFC 6887). Pure: no I/O. */
#ifndef HOMEREACH_PCP_H
#define HOMEREACH_PCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define PCP_VERSION		2
#define PCP_OP_ANNOUNCE		0
#define PCP_OP_MAP		1
#define PCP_HEADER_LEN		24
#define PCP_MAX_LEN		1100	/* section 7 */
#define PCP_MAP_LEN		60	/* header + MAP opcode data, 11.1 */
#define PCP_NONCE_LEN		12
/* Result codes, RFC 6887 section 7.4 (those a server of ours gives). */
#define PCP_SUCCESS		0
#define PCP_UNSUPP_VERSION	1
#define PCP_NOT_AUTHORIZED	2
#define PCP_MALFORMED_REQUEST	3
#define PCP_UNSUPP_OPCODE	4
#define PCP_UNSUPP_OPTION	5
#define PCP_MALFORMED_OPTION	6
#define PCP_NETWORK_FAILURE	7
#define PCP_NO_RESOURCES	8
#define PCP_UNSUPP_PROTOCOL	9
#define PCP_USER_EX_QUOTA	10
#define PCP_ADDRESS_MISMATCH	12

struct pcp_reply {
	uint8_t version;	/* 0 when a NAT-PMP-only server answered */
	uint8_t op;
	uint8_t result;
	uint32_t lifetime;
	uint32_t epoch;
};

/* What a MAP request asks (RFC 6887 section 11.1). */
struct pcp_map_request {
	struct netaddr client;		/* our own address, as the server sees it */
	uint8_t nonce[PCP_NONCE_LEN];	/* random, checked on the reply */
	uint8_t protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port;
	uint16_t external_port;		/* suggested; 0 for any */
	uint32_t lifetime;		/* 0 deletes the mapping */
};

/* What the server granted. */
struct pcp_map_reply {
	struct pcp_reply hdr;
	uint16_t external_port;
	struct netaddr external;
};

/* ANNOUNCE request from client address into buf (PCP_HEADER_LEN bytes). */
size_t pcp_build_announce(uint8_t *buf, const struct netaddr *client);
/* Parse a reply to opcode op. A version-0 "unsupported version" reply from
 * a NAT-PMP server parses with version 0 (section 9). */
int pcp_parse_reply(const uint8_t *buf, size_t len, uint8_t op,
    struct pcp_reply *r, char *why, size_t whylen);
size_t pcp_build_map(uint8_t *buf, const struct pcp_map_request *req);
/* Parse a MAP reply and check it answers req: nonce, protocol and
 * internal port (section 11.3). */
int pcp_parse_map(const uint8_t *buf, size_t len,
    const struct pcp_map_request *req, struct pcp_map_reply *r,
    char *why, size_t whylen);
const char *pcp_result_name(uint8_t result);

/* --- a server's side (relay/relaypcp.c) --- */

/* A request as a server reads it (section 8.1). */
struct pcp_request {
	uint8_t op;			/* PCP_OP_ANNOUNCE or PCP_OP_MAP */
	struct pcp_map_request map;	/* client and lifetime always; the
					 * rest for MAP */
};
/* 0: q holds an ANNOUNCE or a MAP this server can serve; > 0: the result
 * code to answer with; -EBADMSG: nothing to answer (a reply, under 4 bytes, too
 * long or not a multiple of 4). why says what was wrong. Options are
 * read: a mandatory one (code < 128) is not supported, a malformed one is
 * said so; optional ones are skipped. */
int pcp_parse_request(const uint8_t *buf, size_t len, struct pcp_request *q,
    char *why, size_t whylen);
/* The answer to the request in req (len bytes, parsed or refused): its
 * header and opcode data echoed (section 8.3), R set, the result, the
 * lifetime and epoch; a granted MAP's external address and port. Length
 * written into buf (PCP_MAP_LEN bytes at most: options are not echoed). */
size_t pcp_build_response(uint8_t *buf, const uint8_t *req, size_t len,
    uint8_t result, uint32_t lifetime, uint32_t epoch,
    const struct netaddr *external, uint16_t external_port);
/* Section 8.5: true if the server's epoch shows it lost its state, given
 * the previous epoch and the client's milliseconds elapsed since it. */
bool pcp_epoch_lost(uint32_t prev_epoch, uint32_t epoch, uint64_t elapsed_ms);

#endif
