/* PCP codec: header checks of RFC 6887 section 7 and the result codes. */
#include "nat/pcp.h"

#include <string.h>
#include <sys/socket.h>

#include "agent/reason.h"

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

const char *
pcp_result_name(uint8_t result)
{
	static const char *names[] = {	/* RFC 6887 section 7.4 */
		"success", "unsupported version", "not authorized",
		"malformed request", "unsupported opcode",
		"unsupported option", "malformed option", "network failure",
		"no resources", "unsupported protocol", "user exceeded quota",
		"cannot provide external", "address mismatch",
		"excessive remote peers",
	};
	return result < 14 ? names[result] : "unknown result code";
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
	r->epoch = get32(buf + 4);
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
	r->lifetime = get32(buf + 4);
	r->epoch = get32(buf + 8);
	return 0;
}
