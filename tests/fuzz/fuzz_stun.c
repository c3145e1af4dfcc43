/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the STUN parser must accept or refuse, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/reason.h"
#include "lib/stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_message m;
	char why[REASON_LEN];
	size_t at = 0;
	int n;

	if (stun_parse(data, size, &m, why, sizeof(why)) == 0)
		(void)stun_reflexive(&m);
	/* The same bytes as a TCP stream (a held port's): frame by frame. */
	while ((n = stun_frame_len(data + at, size - at, 512)) > 0 &&
	    (size_t)n <= size - at) {
		if (n < 20)
			abort();	/* a frame holds its header */
		(void)stun_parse(data + at, (size_t)n, &m, why, sizeof(why));
		at += (size_t)n;
	}
	return 0;
}
