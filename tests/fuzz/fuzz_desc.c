/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: UPnP device descriptions (names end up in JSON: UTF-8). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nat/desc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct desc_info d;
	char text[16];
	uint16_t id;

	desc_parse_info((const char *)data, size, &d);
	if (size < sizeof(text)) {		/* an AddPinhole UniqueID */
		memcpy(text, data, size);
		text[size] = '\0';
		if (desc_pinhole_id(text, &id) == 0 && id == 0)
			abort();
	}
	if (strlen(d.friendly_name) >= sizeof(d.friendly_name))
		abort();
	return 0;
}
