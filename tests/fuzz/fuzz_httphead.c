/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: HTTP/1.x request heads (the redirect server's plain front,
 * the status page) and the Basic credentials in them. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/httphead.h"

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
	if (rc > 0 && h.auth != NULL) {
		char auth[600], user[128], pass[256];
		snprintf(auth, sizeof(auth), "%.*s", (int)h.auth_len, h.auth);
		httphead_basic_auth(auth, user, sizeof(user), pass, sizeof(pass));
	}
	free(buf);
	return 0;
}
