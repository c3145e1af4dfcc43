/* SPDX-License-Identifier: BSD-2-Clause */
/* PCP codec: header checks of RFC 6887 section 7 and the result codes. */
#include "nat/pcp.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/names.h"
#include "lib/reason.h"
#include "lib/wire.h"

const char *
pcp_result_name(uint8_t result)
{
	static const char *const names[] = {	/* RFC 6887 section 7.4 */
		"success", "unsupported version", "not authorized",
		"malformed request", "unsupported opcode",
		"unsupported option", "malformed option", "network failure",
		"no resources", "unsupported protocol", "user exceeded quota",
		"cannot provide external", "address mismatch",
		"excessive remote peers",
	};
	return NAME_OF(names, result, "unknown result code");
}

static void
pcp_put_address(uint8_t *p, const struct netaddr *a)
{
	memset(p, 0, 16);
	if (a->family == AF_INET) {	/* IPv4-mapped, section 5 */
		p[10] = p[11] = 0xff;
		memcpy(p + 12, a->bytes, 4);
	} else {
		memcpy(p, a->bytes, 16);
	}
}

size_t
pcp_build_announce(uint8_t *buf, const struct netaddr *client)
{
	memset(buf, 0, PCP_HEADER_LEN);
	buf[0] = PCP_VERSION;
	buf[1] = PCP_OP_ANNOUNCE;
	pcp_put_address(buf + 8, client);
	return PCP_HEADER_LEN;
}

/* RFC 6887 section 9: a NAT-PMP server answers version 2 with its own
 * 8-byte (or longer) "unsupported version" reply. */
static int
pcp_parse_natpmp(const uint8_t *buf, size_t len, struct pcp_reply *r,
    char *why, size_t whylen)
{
	if (len < 8 || buf[1] < 128 || buf[2] != 0 || buf[3] != 1)
		return reason(why, whylen, "version 0 reply that is not "
		    "NAT-PMP's unsupported-version answer");
	r->version = 0;
	r->result = 1;
	r->epoch = wire_get32(buf + 4);
	return 0;
}

int
pcp_parse_reply(const uint8_t *buf, size_t len, uint8_t op,
    struct pcp_reply *r, char *why, size_t whylen)
{
	memset(r, 0, sizeof(*r));
	if (len >= 1 && buf[0] == 0)
		return pcp_parse_natpmp(buf, len, r, why, whylen);
	if (len < PCP_HEADER_LEN || len > PCP_MAX_LEN || len % 4 != 0)
		return reason(why, whylen, "PCP reply of %zu bytes", len);
	if (buf[0] != PCP_VERSION)
		return reason(why, whylen, "PCP reply with version %u", buf[0]);
	if (!(buf[1] & 0x80))
		return reason(why, whylen, "PCP request where a reply was due");
	if ((buf[1] & 0x7f) != op)
		return reason(why, whylen, "PCP reply opcode %u, expected %u",
		    buf[1] & 0x7f, op);
	r->version = PCP_VERSION;
	r->op = op;
	r->result = buf[3];
	r->lifetime = wire_get32(buf + 4);
	r->epoch = wire_get32(buf + 8);
	return 0;
}

size_t
pcp_build_map(uint8_t *buf, const struct pcp_map_request *req)
{
	struct netaddr any = { .family = req->client.family };

	memset(buf, 0, PCP_MAP_LEN);
	buf[0] = PCP_VERSION;
	buf[1] = PCP_OP_MAP;
	wire_put32(buf + 4, req->lifetime);
	pcp_put_address(buf + 8, &req->client);
	memcpy(buf + 24, req->nonce, PCP_NONCE_LEN);
	buf[36] = req->protocol;
	wire_put16(buf + 40, req->internal_port);
	wire_put16(buf + 42, req->external_port);
	pcp_put_address(buf + 44, &any);	/* no address preference */
	return PCP_MAP_LEN;
}

static void
pcp_get_address(const uint8_t *p, struct netaddr *a)
{
	*a = (struct netaddr){ .family = AF_INET6 };
	memcpy(a->bytes, p, 16);
	addr_unmap(a);
}

int
pcp_parse_map(const uint8_t *buf, size_t len,
    const struct pcp_map_request *req, struct pcp_map_reply *r,
    char *why, size_t whylen)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = pcp_parse_reply(buf, len, PCP_OP_MAP, &r->hdr, why,
	    whylen)) < 0 || r->hdr.version == 0)
		return rc;
	if (len < PCP_MAP_LEN)
		return reason(why, whylen, "PCP MAP reply of %zu bytes", len);
	if (memcmp(buf + 24, req->nonce, PCP_NONCE_LEN) != 0)
		return reason(why, whylen, "PCP MAP reply with the wrong nonce");
	if (buf[36] != req->protocol || wire_get16(buf + 40) != req->internal_port)
		return reason(why, whylen, "PCP MAP reply for protocol %u port "
		    "%u, not ours", buf[36], wire_get16(buf + 40));
	r->external_port = wire_get16(buf + 42);
	pcp_get_address(buf + 44, &r->external);
	return 0;
}

/* Options after the opcode's data (section 7.3): each "code, reserved,
 * length, data" padded to 4 bytes. 0, or the result code. */
static int
pcp_options(const uint8_t *p, size_t len, char *why, size_t whylen)
{
	while (len > 0) {
		size_t olen = len >= 4 ? wire_get16(p + 2) : 0;
		size_t padded = (olen + 3) & ~(size_t)3;

		if (len < 4 || padded > len - 4)
			return reason(why, whylen, "option past the request's end"),
			    PCP_MALFORMED_OPTION;
		if (p[0] < 128)
			return reason(why, whylen, "mandatory option %u not "
			    "supported", p[0]), PCP_UNSUPP_OPTION;
		p += 4 + padded;
		len -= 4 + padded;
	}
	return 0;
}

/* MAP's data (section 11.1): protocol TCP or UDP, one internal port. */
static int
pcp_request_map(const uint8_t *buf, size_t len, struct pcp_map_request *m,
    char *why, size_t whylen)
{
	if (len < PCP_MAP_LEN)
		return reason(why, whylen, "MAP request of %zu bytes", len),
		    PCP_MALFORMED_REQUEST;
	memcpy(m->nonce, buf + 24, PCP_NONCE_LEN);
	m->protocol = buf[36];
	m->internal_port = wire_get16(buf + 40);
	m->external_port = wire_get16(buf + 42);
	if (m->protocol != 6 && m->protocol != 17)
		return reason(why, whylen, "MAP for protocol %u", m->protocol),
		    PCP_UNSUPP_PROTOCOL;
	if (m->internal_port == 0)
		return reason(why, whylen, "MAP for internal port 0"),
		    PCP_MALFORMED_REQUEST;
	return pcp_options(buf + PCP_MAP_LEN, len - PCP_MAP_LEN, why, whylen);
}

int
pcp_parse_request(const uint8_t *buf, size_t len, struct pcp_request *q,
    char *why, size_t whylen)
{
	memset(q, 0, sizeof(*q));
	if (len < 4 || len > PCP_MAX_LEN || len % 4 != 0 || (buf[1] & 0x80))
		return reason(why, whylen, "not a PCP request (%zu bytes)", len);
	q->op = buf[1] & 0x7f;
	if (buf[0] != PCP_VERSION)
		return reason(why, whylen, "version %u", buf[0]),
		    PCP_UNSUPP_VERSION;
	if (len < PCP_HEADER_LEN)
		return reason(why, whylen, "request of %zu bytes", len),
		    PCP_MALFORMED_REQUEST;
	q->map.lifetime = wire_get32(buf + 4);
	pcp_get_address(buf + 8, &q->map.client);
	if (q->op == PCP_OP_MAP)
		return pcp_request_map(buf, len, &q->map, why, whylen);
	if (q->op != PCP_OP_ANNOUNCE)
		return reason(why, whylen, "opcode %u", q->op), PCP_UNSUPP_OPCODE;
	return pcp_options(buf + PCP_HEADER_LEN, len - PCP_HEADER_LEN, why,
	    whylen);
}

size_t
pcp_build_response(uint8_t *buf, const uint8_t *req, size_t len,
    uint8_t result, uint32_t lifetime, uint32_t epoch,
    const struct netaddr *external, uint16_t external_port)
{
	size_t n = len < PCP_HEADER_LEN ? PCP_HEADER_LEN :
	    len >= PCP_MAP_LEN && (req[1] & 0x7f) == PCP_OP_MAP ? PCP_MAP_LEN :
	    PCP_HEADER_LEN;

	memset(buf, 0, n);
	memcpy(buf, req, len < n ? len : n);
	buf[0] = PCP_VERSION;
	buf[1] |= 0x80;
	buf[2] = 0;
	buf[3] = result;
	wire_put32(buf + 4, lifetime);
	wire_put32(buf + 8, epoch);
	memset(buf + 12, 0, 12);
	if (n == PCP_MAP_LEN && result == PCP_SUCCESS) {
		wire_put16(buf + 42, external_port);
		pcp_put_address(buf + 44, external);
	}
	return n;
}

bool
pcp_epoch_lost(uint32_t prev_epoch, uint32_t epoch, uint64_t elapsed_ms)
{
	uint64_t client = elapsed_ms, server;

	if (epoch + 1 < prev_epoch)
		return true;	/* went back by more than a second */
	server = epoch > prev_epoch ? (uint64_t)(epoch - prev_epoch) * 1000 : 0;
	/* Both clocks may drift by 1/16, plus two seconds of jitter. */
	return client + 2000 < server - server / 16 ||
	    server + 2000 < client - client / 16;
}
