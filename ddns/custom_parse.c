/* SPDX-License-Identifier: BSD-2-Clause */
/* Custom URL templates and their replies. Pure. */
#include "ddns/custom.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

/* v at out + *o, percent-encoded (RFC 3986: all but the unreserved
 * characters) when encode says so, by libevent. */
static int
custom_put(char *out, size_t len, size_t *o, const char *v, bool encode)
{
	char *e = encode ? evhttp_uriencode(v, -1, 0) : NULL;
	const char *s = encode ? e : v;
	size_t n = s != NULL ? strlen(s) : 0;
	int rc = -1;

	if (s != NULL && *o + n < len) {
		memcpy(out + *o, s, n + 1);
		*o += n;
		rc = 0;
	}
	if (e != NULL) {
		explicit_bzero(e, strlen(e));	/* it may hold a password */
		free(e);
	}
	return rc;
}

static const char *
custom_value(const char *name, size_t n, const struct ddns_config *r,
    const char *ip)
{
	static const struct { const char *name; size_t off; } keys[] = {
		{ "hostname", offsetof(struct ddns_config, hostname) },
		{ "username", offsetof(struct ddns_config, username) },
		{ "password", offsetof(struct ddns_config, password.value) },
		{ "token", offsetof(struct ddns_config, token.value) },
	};
	if (n == 2 && !strncmp(name, "ip", 2))
		return ip;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && !strncmp(name, keys[i].name, n))
			return (const char *)r + keys[i].off;
	return NULL;
}

int
custom_expand(const char *t, const struct ddns_config *r,
    const struct netaddr *addr, char *out, size_t len, char *why, size_t wlen)
{
	char ip[ADDR_STRLEN], lit[2] = "";
	size_t o = 0;

	addr_ntop(addr, ip, sizeof(ip));
	out[0] = '\0';
	while (*t) {
		const char *end = *t == '{' ? strchr(t, '}') : NULL, *v;
		if (end == NULL) {
			lit[0] = *t++;
			if (custom_put(out, len, &o, lit, false) < 0)
				return reason(why, wlen, "the URL is too long");
			continue;
		}
		if ((v = custom_value(t + 1, (size_t)(end - t - 1), r, ip)) == NULL)
			return reason(why, wlen, "unknown placeholder %.*s",
			    (int)(end - t + 1 > 24 ? 24 : end - t + 1), t);
		if (custom_put(out, len, &o, v, true) < 0)
			return reason(why, wlen, "the URL is too long");
		t = end + 1;
	}
	return 0;
}

void
custom_judge(const char *body, size_t len, long status, const char *success,
    struct ddns_answer *a)
{
	char line[256], result[16], detail[REASON_LEN];
	size_t n = 0;

	while (n < len && body[n] != '\r' && body[n] != '\n')	/* no NUL needed */
		n++;
	snprintf(result, sizeof(result), "HTTP-%ld", status);
	if (n >= sizeof(line) || memchr(body, '\0', len) != NULL)
		n = 0;
	memcpy(line, body, n);
	line[n] = '\0';
	if (status >= 200 && status < 300 && fnmatch(success, line, 0) == 0) {
		ddns_answer_set(a, FAULT_NONE, "ok", "updated");
		return;
	}
	snprintf(detail, sizeof(detail), "the reply does not match \"%.40s\"",
	    success);
	ddns_answer_set(a, ddns_http_fault(status, FAULT_CONFIG), result, detail);
}
