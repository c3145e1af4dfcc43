/* SPDX-License-Identifier: BSD-2-Clause */
/* The body of an HTTP echo reply: exactly one address and nothing else. */
#include "probes/echo.h"

#include <ctype.h>
#include <string.h>

#include <event2/http.h>

#include "lib/resolve.h"

static void
echo_quote(const char *body, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = isprint((unsigned char)body[i]) ? body[i] : '.';
	out[o] = '\0';
}

int
echo_parse_body(const char *body, size_t len, struct netaddr *out,
    char *why, size_t whylen)
{
	char text[ADDR_STRLEN + 1], quoted[24];
	size_t n = len;

	while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == '\r' ||
	    body[n - 1] == ' '))
		n--;
	if (n == 0)
		return reason(why, whylen, "empty body");
	echo_quote(body, n < 20 ? n : 20, quoted, sizeof(quoted));
	if (n >= sizeof(text))
		return reason(why, whylen, "body of %zu bytes is not an address: "
		    "\"%s...\"", len, quoted);
	memcpy(text, body, n);
	text[n] = '\0';
	if (strlen(text) != n || addr_parse(text, out) < 0)
		return reason(why, whylen, "body is not an address: \"%s\"",
		    quoted);
	return 0;
}

int
echo_url_family(const char *url)
{
	struct evhttp_uri *u = evhttp_uri_parse(url);
	int family = u != NULL && evhttp_uri_get_host(u) != NULL ?
	    resolve_literal_family(evhttp_uri_get_host(u)) : 0;

	evhttp_uri_free(u);
	return family;
}
