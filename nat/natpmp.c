/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAT-PMP replies, checked field by field. libnatpmp sends our requests, but
 * its readnatpmpresponse() reads 16 bytes without checking how many arrived,
 * so a short reply would be decoded from stale buffer bytes: we parse here.
 */
#include "nat/natpmp.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/names.h"
#include "lib/reason.h"
#include "lib/wire.h"

const char *
natpmp_result_name(uint16_t result)
{
	static const char *const names[] = {	/* RFC 6886 section 3.5 */
		"success", "unsupported version",
		"not authorized or refused", "network failure",
		"out of resources", "unsupported opcode",
	};
	return NAME_OF(names, result, "unknown result code");
}

static size_t
natpmp_reply_size(uint8_t op)
{
	return op == NATPMP_OP_ADDRESS ? 12 : 16;
}

int
natpmp_parse_reply(const uint8_t *buf, size_t len, uint8_t op,
    struct natpmp_reply *r, char *why, size_t whylen)
{
	memset(r, 0, sizeof(*r));
	if (len < 8)
		return reason(why, whylen, "NAT-PMP reply of %zu bytes", len);
	if (buf[0] != 0)
		return reason(why, whylen, "NAT-PMP reply with version %u", buf[0]);
	if (buf[1] != 128 + op)
		return reason(why, whylen, "NAT-PMP reply opcode %u, expected %u",
		    buf[1], 128 + op);
	r->op = op;
	r->result = wire_get16(buf + 2);
	r->epoch = wire_get32(buf + 4);
	/* Error replies may be the 8-byte form of section 3.5. */
	if (r->result != 0)
		return len <= 16 ? 0 : reason(why, whylen,
		    "NAT-PMP error reply of %zu bytes", len);
	if (len != natpmp_reply_size(op))
		return reason(why, whylen, "NAT-PMP reply of %zu bytes, expected %zu",
		    len, natpmp_reply_size(op));
	if (op == NATPMP_OP_ADDRESS) {
		r->external.family = AF_INET;
		memcpy(r->external.bytes, buf + 8, 4);
		return 0;
	}
	r->internal_port = wire_get16(buf + 8);
	r->external_port = wire_get16(buf + 10);
	r->lifetime = wire_get32(buf + 12);
	return 0;
}

bool
natpmp_epoch_lost(uint32_t prev_epoch, uint32_t epoch, uint64_t elapsed_ms)
{
	/* Expect at least 7/8 of the client's elapsed time, less 2 s. */
	uint64_t expected_ms = (uint64_t)prev_epoch * 1000 + elapsed_ms * 7 / 8;

	return (uint64_t)epoch * 1000 + 2000 < expected_ms;
}
