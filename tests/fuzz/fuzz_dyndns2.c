/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: dyndns2 replies, with the HTTP statuses that matter. */
#include <stddef.h>
#include <stdint.h>

#include "ddns/provider.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 401, 500 };
	struct ddns_answer a;

	for (int i = 0; i < 3; i++)
		dyndns2_parse((const char *)data, size, statuses[i], &a);
	return 0;
}
