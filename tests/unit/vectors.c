/* SPDX-License-Identifier: BSD-2-Clause */
#include "vectors.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

size_t
hex_decode(const char *hex, uint8_t *buf, size_t len)
{
	size_t n = 0;
	unsigned b;

	while (hex[0] && hex[1] && n < len && sscanf(hex, "%2x", &b) == 1) {
		buf[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

size_t
vector_load(const char *file, const char *name, uint8_t *buf, size_t len)
{
	char path[512], line[4096], key[128], hex[4000];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", VECTORS_DIR, file);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s (is shared/ beside the repository?)", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || sscanf(line, "%127s %3999s", key, hex) != 2)
			continue;
		if (strcmp(key, name) == 0) {
			fclose(f);
			return hex_decode(hex, buf, len);
		}
	}
	fclose(f);
	fail_msg("vector %s not in %s", name, path);
	return 0;
}
