/* libFuzzer: PCP replies to ANNOUNCE and MAP. */
#include <stddef.h>
#include <stdint.h>

#include "agent/reason.h"
#include "nat/pcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcp_reply r;
	char why[REASON_LEN];

	if (pcp_parse_reply(data, size, PCP_OP_ANNOUNCE, &r, why, sizeof(why)) == 0)
		(void)pcp_result_name(r.result);
	(void)pcp_parse_reply(data, size, PCP_OP_MAP, &r, why, sizeof(why));
	return 0;
}
