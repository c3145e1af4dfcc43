/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: HTTP echo bodies. */
#include <stddef.h>
#include <stdint.h>

#include "probes/echo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netaddr a;
	char why[REASON_LEN];

	(void)echo_parse_body((const char *)data, size, &a, why, sizeof(why));
	return 0;
}
