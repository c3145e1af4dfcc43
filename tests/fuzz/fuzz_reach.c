/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: a check server's answers to /check. */
#include <stddef.h>
#include <stdint.h>

#include "probes/reach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reach_result r;

	reach_parse(200, (const char *)data, size, &r);
	return 0;
}
