/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the state file parser, and format-then-parse round trips. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/reason.h"
#include "agent/config/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state st, again;
	static char text[STATE_MAX_BYTES];
	char why[REASON_LEN];
	int n;

	if (state_parse((const char *)data, size, &st, why, sizeof(why)) != 0)
		return 0;
	n = state_format(&st, text, sizeof(text));
	if (n < 0 || state_parse(text, (size_t)n, &again, why, sizeof(why)) != 0)
		abort();	/* what we write, we must read back */
	return 0;
}
