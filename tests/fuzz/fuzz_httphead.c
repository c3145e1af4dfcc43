/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: HTTP/1.x request heads (the redirect server's plain front). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddns/httphead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httphead h;
	char *buf = malloc(size ? size : 1);	/* exact size: ASan sees overreads */
	int rc;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	rc = httphead_parse(buf, size, &h);
	if (rc > 0 && ((size_t)rc > size || h.target < buf ||
	    h.target + h.target_len > buf + rc ||
	    (h.host && (h.host < buf || h.host + h.host_len > buf + rc)) ||
	    (h.auth && (h.auth < buf || h.auth + h.auth_len > buf + rc))))
		abort();	/* everything it points at is inside the head */
	free(buf);
	return 0;
}
