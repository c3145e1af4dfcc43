/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: a BIND key file (ddclient's nsupdate). */
#include <stddef.h>
#include <stdint.h>

#include "agent/import/imported.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[64], alg[32], secret[128], why[160];

	import_bind_key((const char *)data, size, name, sizeof(name), alg,
	    sizeof(alg), secret, sizeof(secret), why, sizeof(why));
	return 0;
}
