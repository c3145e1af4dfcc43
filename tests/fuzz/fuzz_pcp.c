/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: PCP replies to ANNOUNCE and MAP, and requests as a server
 * reads and answers them. */
#include <stddef.h>
#include <stdint.h>

#include "lib/reason.h"
#include "nat/pcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcp_reply r;
	char why[REASON_LEN];

	if (pcp_parse_reply(data, size, PCP_OP_ANNOUNCE, &r, why, sizeof(why)) == 0)
		(void)pcp_result_name(r.result);
	struct pcp_map_request req = { .protocol = 17, .internal_port = 8080 };
	struct pcp_map_reply mr;

	for (int i = 0; i < PCP_NONCE_LEN; i++)
		req.nonce[i] = (uint8_t)(i + 1);	/* the vectors' nonce */
	(void)pcp_parse_map(data, size, &req, &mr, why, sizeof(why));

	struct pcp_request q;
	uint8_t out[PCP_MAP_LEN];
	int rc = pcp_parse_request(data, size, &q, why, sizeof(why));

	if (rc >= 0)
		(void)pcp_build_response(out, data, size, (uint8_t)rc, 0, 1,
		    &q.map.client, q.map.external_port);
	return 0;
}
