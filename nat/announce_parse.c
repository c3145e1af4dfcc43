/* SPDX-License-Identifier: BSD-2-Clause */
/* Announcements: a NAT-PMP external-address reply, or a PCP ANNOUNCE
 * reply, sent unasked. Pure. */
#include "nat/announce.h"

#include <string.h>

#include "lib/reason.h"
#include "nat/natpmp.h"
#include "nat/pcp.h"

int
announce_parse(const uint8_t *buf, size_t len, struct announce_event *e,
    char *why, size_t whylen)
{
	struct natpmp_reply nr;
	struct pcp_reply pr;
	int rc;

	memset(e, 0, sizeof(*e));
	if (len >= 1 && buf[0] == 0) {
		if ((rc = natpmp_parse_reply(buf, len, NATPMP_OP_ADDRESS, &nr, why,
		    whylen)) < 0)
			return rc;
		if (nr.result != 0)
			return reason(why, whylen, "NAT-PMP announcement with "
			    "result %u", nr.result);
		e->epoch = nr.epoch;
		e->external = nr.external;
		return 0;
	}
	if ((rc = pcp_parse_reply(buf, len, PCP_OP_ANNOUNCE, &pr, why,
	    whylen)) < 0)
		return rc;
	if (pr.version != PCP_VERSION || pr.result != 0)
		return reason(why, whylen, "PCP announcement with result %u",
		    pr.result);
	e->version = PCP_VERSION;
	e->epoch = pr.epoch;
	return 0;
}
