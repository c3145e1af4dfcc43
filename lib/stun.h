/* SPDX-License-Identifier: BSD-2-Clause */
/* STUN message codec (RFC 8489, RFC 5780 attributes). Pure: no I/O. */
#ifndef HOMEREACH_STUN_H
#define HOMEREACH_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define STUN_DEFAULT_PORT	3478
#define STUN_HEADER_LEN		20
#define STUN_TXID_LEN		12
#define STUN_MAGIC		0x2112a442u
#define STUN_BINDING_REQUEST	0x0001
#define STUN_BINDING_SUCCESS	0x0101
#define STUN_BINDING_ERROR	0x0111
#define STUN_CHANGE_IP		0x04	/* RFC 5780 section 7.2 */
#define STUN_CHANGE_PORT	0x02
#define STUN_MAX_REQUEST	36

struct stun_endpoint {
	bool present;
	struct netaddr addr;
	uint16_t port;
};

struct stun_message {
	uint16_t type;
	uint8_t txid[STUN_TXID_LEN];
	struct stun_endpoint mapped;		/* MAPPED-ADDRESS */
	struct stun_endpoint xor_mapped;	/* XOR-MAPPED-ADDRESS */
	struct stun_endpoint other;		/* OTHER-ADDRESS (or CHANGED-ADDRESS) */
	struct stun_endpoint origin;		/* RESPONSE-ORIGIN */
	int error_code;				/* ERROR-CODE, 0 if absent */
	bool integrity;				/* MESSAGE-INTEGRITY present */
	bool fingerprint;			/* FINGERPRINT present and valid */
};

/* Build a Binding request with optional CHANGE-REQUEST flags into buf
 * (at least STUN_MAX_REQUEST bytes); returns its length. */
size_t stun_build_binding(uint8_t *buf, const uint8_t txid[STUN_TXID_LEN],
    uint8_t change_flags);
/* A Binding request whose answer goes to response_port (RESPONSE-PORT,
 * RFC 5780 section 7.5) at the address it came from: from another port,
 * does a binding still take packets (section 4.6)? Returns its length. */
size_t stun_build_binding_to(uint8_t *buf, const uint8_t txid[STUN_TXID_LEN],
    uint16_t response_port);
/* Parse and validate one datagram; on error returns -EBADMSG with why set. */
int stun_parse(const uint8_t *buf, size_t len, struct stun_message *msg,
    char *why, size_t whylen);
/* The address the server saw: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS. */
const struct stun_endpoint *stun_reflexive(const struct stun_message *msg);
uint32_t stun_crc32(const uint8_t *buf, size_t len);
/* Over a stream (TCP, RFC 8489 section 6.2.2), the length of the message
 * that starts buf: its header and its length field's worth; 0 while the
 * header is incomplete, -1 if it cannot be a STUN message or is longer
 * than max. */
int stun_frame_len(const uint8_t *buf, size_t len, size_t max);

#endif
