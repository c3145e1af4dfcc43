/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * STUN codec. Strict where RFC 8489 lets a client be strict: length and
 * cookie checked, every attribute must fit, unknown comprehension-required
 * attributes fail the message (section 6.3.3), FINGERPRINT must be last and
 * correct. Padding content is never checked (RFC 5769 vectors pad with 0x20).
 */
#include "lib/stun.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/reason.h"
#include "lib/wire.h"

enum {
	ATTR_MAPPED_ADDRESS = 0x0001,
	ATTR_CHANGE_REQUEST = 0x0003,
	ATTR_CHANGED_ADDRESS = 0x0005,		/* RFC 3489 */
	ATTR_MESSAGE_INTEGRITY = 0x0008,
	ATTR_ERROR_CODE = 0x0009,
	ATTR_XOR_MAPPED_ADDRESS = 0x0020,
	ATTR_RESPONSE_PORT = 0x0027,		/* RFC 5780 */
	ATTR_FINGERPRINT = 0x8028,
	ATTR_RESPONSE_ORIGIN = 0x802b,		/* RFC 5780 */
	ATTR_OTHER_ADDRESS = 0x802c,		/* RFC 5780 */
};

/* Comprehension-required attributes (0x0000-0x7fff) we know and may skip. */
static const uint16_t stun_known_required[] = {
	0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, /* 3489, 8489 */
	0x0008, 0x0009, 0x000a, 0x000b, 0x0014, 0x0015,	/* RFC 8489 */
	0x001c, 0x001d, 0x001e, 0x0020,				/* RFC 8489 */
	0x0024, 0x0025,						/* RFC 8445 ICE */
	0x0026, 0x0027,						/* RFC 5780 */
};

static const uint8_t *stun_txid_of(const uint8_t *buf) { return buf + 8; }

size_t
stun_build_binding(uint8_t *buf, const uint8_t txid[STUN_TXID_LEN],
    uint8_t change_flags)
{
	size_t len = STUN_HEADER_LEN;

	if (change_flags != 0) {	/* RFC 5780 section 7.2 */
		wire_put16(buf + len, ATTR_CHANGE_REQUEST);
		wire_put16(buf + len + 2, 4);
		wire_put32(buf + len + 4, change_flags);
		len += 8;
	}
	wire_put16(buf, STUN_BINDING_REQUEST);
	wire_put16(buf + 2, (uint16_t)(len - STUN_HEADER_LEN));
	wire_put32(buf + 4, STUN_MAGIC);
	memcpy(buf + 8, txid, STUN_TXID_LEN);
	return len;
}

size_t
stun_build_binding_to(uint8_t *buf, const uint8_t txid[STUN_TXID_LEN],
    uint16_t response_port)
{
	size_t len = stun_build_binding(buf, txid, 0);

	wire_put16(buf + len, ATTR_RESPONSE_PORT);	/* RFC 5780 section 7.5 */
	wire_put16(buf + len + 2, 4);
	wire_put16(buf + len + 4, response_port);
	wire_put16(buf + len + 6, 0);			/* padding */
	len += 8;
	wire_put16(buf + 2, (uint16_t)(len - STUN_HEADER_LEN));
	return len;
}

uint32_t
stun_crc32(const uint8_t *buf, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static bool
stun_known(uint16_t type)
{
	for (size_t i = 0; i < sizeof(stun_known_required) / 2; i++)
		if (stun_known_required[i] == type)
			return true;
	return false;
}

/* MAPPED-ADDRESS style value; xor applies the RFC 8489 section 14.2 mask. */
static int
stun_parse_address(const uint8_t *v, uint16_t vlen, const uint8_t *hdr,
    bool xor, struct stun_endpoint *ep, char *why, size_t whylen)
{
	uint8_t mask[16];
	size_t alen;

	if (vlen < 4)
		return reason(why, whylen, "address attribute of %u bytes", vlen);
	if (v[1] == 0x01)
		alen = 4;
	else if (v[1] == 0x02)
		alen = 16;
	else
		return reason(why, whylen, "unknown address family 0x%02x", v[1]);
	if (vlen != 4 + alen)
		return reason(why, whylen, "address attribute of %u bytes for %s",
		    vlen, alen == 4 ? "IPv4" : "IPv6");
	memcpy(mask, hdr + 4, 16);	/* magic cookie, then transaction ID */
	ep->present = true;
	ep->port = wire_get16(v + 2) ^ (xor ? (uint16_t)(STUN_MAGIC >> 16) : 0);
	ep->addr.family = alen == 4 ? AF_INET : AF_INET6;
	memset(ep->addr.bytes, 0, sizeof(ep->addr.bytes));
	for (size_t i = 0; i < alen; i++)
		ep->addr.bytes[i] = v[4 + i] ^ (xor ? mask[i] : 0);
	addr_unmap(&ep->addr);
	return 0;
}

static int
stun_parse_error_code(const uint8_t *v, uint16_t vlen, struct stun_message *m,
    char *why, size_t whylen)
{
	if (vlen < 4)
		return reason(why, whylen, "ERROR-CODE of %u bytes", vlen);
	int cls = v[2] & 0x07, num = v[3];
	if (cls < 3 || cls > 6 || num > 99)
		return reason(why, whylen, "ERROR-CODE %d%02d out of range", cls, num);
	m->error_code = cls * 100 + num;
	return 0;
}

static int
stun_check_fingerprint(const uint8_t *buf, size_t at, const uint8_t *v,
    uint16_t vlen, size_t total, char *why, size_t whylen)
{
	if (vlen != 4)
		return reason(why, whylen, "FINGERPRINT of %u bytes", vlen);
	if (at + 8 != total)
		return reason(why, whylen, "FINGERPRINT is not the last attribute");
	if ((stun_crc32(buf, at) ^ 0x5354554eu) != wire_get32(v))
		return reason(why, whylen, "FINGERPRINT does not match");
	return 0;
}

static int
stun_parse_attr(const uint8_t *buf, size_t at, size_t total, uint16_t type,
    uint16_t vlen, struct stun_message *m, char *why, size_t whylen)
{
	const uint8_t *v = buf + at + 4;

	if (m->integrity && type != ATTR_FINGERPRINT)
		return 0;	/* RFC 8489 section 14.5: ignore what follows */
	switch (type) {
	case ATTR_MAPPED_ADDRESS:
		return m->mapped.present ? 0 : stun_parse_address(v, vlen, buf,
		    false, &m->mapped, why, whylen);
	case ATTR_XOR_MAPPED_ADDRESS:
		return m->xor_mapped.present ? 0 : stun_parse_address(v, vlen,
		    buf, true, &m->xor_mapped, why, whylen);
	case ATTR_OTHER_ADDRESS:
	case ATTR_CHANGED_ADDRESS:
		return m->other.present ? 0 : stun_parse_address(v, vlen, buf,
		    false, &m->other, why, whylen);
	case ATTR_RESPONSE_ORIGIN:
		return m->origin.present ? 0 : stun_parse_address(v, vlen, buf,
		    false, &m->origin, why, whylen);
	case ATTR_ERROR_CODE:
		return stun_parse_error_code(v, vlen, m, why, whylen);
	case ATTR_MESSAGE_INTEGRITY:
		m->integrity = true;
		return 0;
	case ATTR_FINGERPRINT:
		m->fingerprint = true;
		return stun_check_fingerprint(buf, at, v, vlen, total, why,
		    whylen);
	}
	if (type < 0x8000 && !stun_known(type))
		return reason(why, whylen,
		    "unknown comprehension-required attribute 0x%04x", type);
	return 0;
}

static int
stun_parse_header(const uint8_t *buf, size_t len, struct stun_message *m,
    char *why, size_t whylen)
{
	if (len < STUN_HEADER_LEN)
		return reason(why, whylen, "%zu bytes, shorter than a STUN header",
		    len);
	if (buf[0] & 0xc0)
		return reason(why, whylen, "not STUN: first two bits are not zero");
	if (wire_get32(buf + 4) != STUN_MAGIC)
		return reason(why, whylen, "wrong magic cookie 0x%08x",
		    wire_get32(buf + 4));
	size_t mlen = wire_get16(buf + 2);
	if (mlen % 4 != 0)
		return reason(why, whylen, "message length %zu is not a multiple of 4",
		    mlen);
	if (mlen + STUN_HEADER_LEN != len)
		return reason(why, whylen, "message length %zu but %zu bytes received",
		    mlen + STUN_HEADER_LEN, len);
	m->type = wire_get16(buf);
	memcpy(m->txid, stun_txid_of(buf), STUN_TXID_LEN);
	return 0;
}

int
stun_parse(const uint8_t *buf, size_t len, struct stun_message *m,
    char *why, size_t whylen)
{
	size_t at = STUN_HEADER_LEN;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = stun_parse_header(buf, len, m, why, whylen)) < 0)
		return rc;
	while (at < len) {
		if (len - at < 4)
			return reason(why, whylen, "truncated attribute header");
		uint16_t type = wire_get16(buf + at), vlen = wire_get16(buf + at + 2);
		size_t padded = ((size_t)vlen + 3) & ~(size_t)3;
		if (padded > len - at - 4)
			return reason(why, whylen,
			    "attribute 0x%04x of %u bytes overruns the message",
			    type, vlen);
		rc = stun_parse_attr(buf, at, len, type, vlen, m, why, whylen);
		if (rc < 0)
			return rc;
		at += 4 + padded;
	}
	return 0;
}

const struct stun_endpoint *
stun_reflexive(const struct stun_message *m)
{
	if (m->xor_mapped.present)
		return &m->xor_mapped;
	return m->mapped.present ? &m->mapped : NULL;
}

int
stun_frame_len(const uint8_t *buf, size_t len, size_t max)
{
	size_t body;

	if (len < STUN_HEADER_LEN)
		return 0;
	body = (size_t)buf[2] << 8 | buf[3];
	if ((buf[0] & 0xc0) != 0 || (body & 3) != 0 ||
	    STUN_HEADER_LEN + body > max)
		return -1;	/* RFC 8489 section 5: top bits 0, 4-aligned */
	return (int)(STUN_HEADER_LEN + body);
}
