/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the STUN parser must accept or refuse, never crash. */
#include <stddef.h>
#include <stdint.h>

#include "lib/reason.h"
#include "lib/stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_message m;
	char why[REASON_LEN];

	if (stun_parse(data, size, &m, why, sizeof(why)) == 0)
		(void)stun_reflexive(&m);
	return 0;
}
