/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: DNS answers to the redirect server's lookups. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ddns/redirect/redirdns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redirdns_answer a;

	if (size >= 2 && redirdns_parse(data, size,
	    (uint16_t)(data[0] << 8 | data[1]), &a) == 0 &&
	    strlen(a.target) >= sizeof(a.target))
		__builtin_trap();
	return 0;
}
