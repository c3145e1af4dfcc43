/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: NAT-PMP replies, for each request opcode. */
#include <stddef.h>
#include <stdint.h>

#include "lib/reason.h"
#include "nat/announce.h"
#include "nat/natpmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct natpmp_reply r;
	char why[REASON_LEN];

	for (uint8_t op = 0; op <= 2; op++)
		if (natpmp_parse_reply(data, size, op, &r, why, sizeof(why)) == 0)
			(void)natpmp_result_name(r.result);
	struct announce_event e;
	(void)announce_parse(data, size, &e, why, sizeof(why));
	return 0;
}
