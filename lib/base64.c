/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdbool.h>
#include <string.h>

#include "lib/base64.h"

static int
base64_value(char c)
{
	static const char set[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(set, c) : NULL;

	return p ? (int)(p - set) : -1;
}

/* The four sextets of the quantum at q; pad: how many '=' end it (only
 * allowed in the last one). -1 on anything else. */
static int
base64_quantum(const char *q, bool last, int v[4], int *pad)
{
	*pad = 0;
	for (int k = 0; k < 4; k++) {
		if (q[k] == '=' && last && k >= 2 && (k == 3 || q[3] == '=')) {
			v[k] = 0, (*pad)++;
			continue;
		}
		if (*pad || (v[k] = base64_value(q[k])) < 0)
			return -1;
	}
	return 0;
}

int
base64_decode(const char *in, uint8_t *out, size_t cap)
{
	size_t n = strlen(in), o = 0;

	if (n == 0 || n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad;
		uint32_t w;
		if (base64_quantum(in + i, i + 4 == n, v, &pad) < 0 ||
		    o + 3 - (size_t)pad > cap)
			return -1;
		w = (uint32_t)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
		out[o++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)w;
	}
	return (int)o;
}
