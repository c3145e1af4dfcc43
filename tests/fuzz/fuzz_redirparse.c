/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the redirect server's parsers of outside input. The first
 * byte picks one: Host, update query, /check query, users line; each
 * accepted Host also builds a Location. (Basic auth: fuzz_httphead.) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddns/redirect/redirparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, out[REDIRPARSE_NAME_LEN], why[160];
	char loc[600];
	struct redirparse_update u;
	struct redirparse_user ru;
	struct netaddr a = { .family = AF_INET, .bytes = { 5, 0, 1, 2 } };
	uint16_t port;
	int proto;

	if (size == 0 || (text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		if (redirparse_host(text, out, sizeof(out)) == 0 &&
		    !redirparse_name_ok(out))
			abort();	/* what it returns is a name */
		redirparse_location(&a, 8080, text, loc, sizeof(loc));
		break;
	case 1:
		if (redirparse_update_query(text, &u, why, sizeof(why)) == 0)
			for (int i = 0; i < u.nhosts; i++)
				if (!redirparse_name_ok(u.hosts[i]))
					abort();
		break;
	case 2:
		redirparse_check(text, &port, &proto, why, sizeof(why));
		break;
	default:
		redirparse_user(text, &ru);
	}
	free(text);
	return 0;
}
