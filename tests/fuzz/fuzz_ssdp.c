/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: SSDP search replies and NOTIFY messages. */
#include <stddef.h>
#include <stdint.h>

#include "lib/reason.h"
#include "nat/ssdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssdp_reply r;
	char why[REASON_LEN];

	(void)ssdp_parse_reply((const char *)data, size, &r, why, sizeof(why));
	(void)ssdp_parse_notify((const char *)data, size, &r, why, sizeof(why));
	return 0;
}
