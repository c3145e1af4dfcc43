/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the redirect server's parsers of outside input. The first
 * byte picks one: Host, update query, /check query, basic auth, users
 * line; each accepted Host and query also builds a Location. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddns/redirect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, out[REDIRECT_NAME_LEN], why[160], user[128], pass[256];
	char loc[600];
	struct redirect_update u;
	struct redirect_user ru;
	struct netaddr a = { .family = AF_INET, .bytes = { 5, 0, 1, 2 } };
	uint16_t port;
	int proto;

	if (size == 0 || (text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
		if (redirect_host(text, out, sizeof(out)) == 0 &&
		    !redirect_name_ok(out))
			abort();	/* what it returns is a name */
		redirect_location(&a, 8080, text, loc, sizeof(loc));
		break;
	case 1:
		if (redirect_parse_update(text, &u, why, sizeof(why)) == 0)
			for (int i = 0; i < u.nhosts; i++)
				if (!redirect_name_ok(u.hosts[i]))
					abort();
		break;
	case 2:
		redirect_parse_check(text, &port, &proto, why, sizeof(why));
		break;
	case 3:
		redirect_basic_auth(text, user, sizeof(user), pass, sizeof(pass));
		break;
	default:
		redirect_user_parse(text, &ru);
	}
	free(text);
	return 0;
}
