/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the ddclient importer, and homereach.conf written from it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/import/imported.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imported im;
	FILE *null = fopen("/dev/null", "w");

	imported_init(&im, "ddclient");
	import_ddclient((const char *)data, size, &im);
	imported_write(&im, "fuzz.conf", "/s", null);
	fclose(null);
	return 0;
}
