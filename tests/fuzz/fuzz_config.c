/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the configuration parser. */
#include <stddef.h>
#include <stdint.h>

#include "agent/config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;

	config_parse((const char *)data, size, "fuzz.conf", &cfg);
	return 0;
}
