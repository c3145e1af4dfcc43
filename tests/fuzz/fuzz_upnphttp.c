/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: what a gateway's HTTP sends (replies, and the URLs its
 * description names). The first byte picks: URL, reply so far, or reply
 * at the close. */
#include <stdlib.h>
#include <string.h>

#include "nat/upnphttp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *body, why[160];
	struct upnphttp_url u;
	size_t blen;
	int status, rc;

	if (size < 1 || (buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);	/* exact size: ASan sees overreads */
	if (data[0] % 3 == 0) {
		buf[size - 1] = '\0';
		if (upnphttp_parse_url(buf, &u, why, sizeof(why)) == 0 &&
		    (u.path[0] != '/' || u.port == 0 || u.host.family == 0))
			abort();
	} else {
		rc = upnphttp_parse_reply(buf, size - 1, data[0] % 3 == 2, &status,
		    &body, &blen, why, sizeof(why));
		if (rc == 1 && (body < buf || body + blen > buf + size - 1 ||
		    status < 0 || status > 999))
			abort();	/* the body lies inside what was read */
	}
	free(buf);
	return 0;
}
