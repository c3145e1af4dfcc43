/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 9112 request heads, strictly: one request-line, header fields with
 * token names, no obsolete line folding (section 5.2), exactly one Host
 * in HTTP/1.1 (section 3.2), no body (a Content-Length other than 0 or
 * any Transfer-Encoding is refused: visitors and /check send none).
 * A bare LF ends a line too (section 2.2 allows a recipient that).
 */
#include "lib/httphead.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"

/* RFC 9110 section 5.6.2: tchar. */
static bool
httphead_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The line at p (up to end): its length without the line end; *next is
 * where the next line starts. -1 if there is no line end yet. */
static long
httphead_line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	if (nl == NULL)
		return -1;
	*next = nl + 1;
	n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return (long)n;
}

/* RFC 9110 section 9: the methods it defines, known but not served here
 * (405), where any other token is not implemented (501). */
static bool
httphead_known(const char *p, size_t n)
{
	static const char *known[] = { "POST", "PUT", "DELETE", "CONNECT",
	    "OPTIONS", "TRACE", "PATCH" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !memcmp(p, known[i], n))
			return true;
	return false;
}

static int
httphead_method(const char *p, size_t n, struct httphead *h)
{
	if (n == 3 && !memcmp(p, "GET", 3))
		h->method = HTTPHEAD_GET;
	else if (n == 4 && !memcmp(p, "HEAD", 4))
		h->method = HTTPHEAD_HEAD;
	else {
		for (size_t i = 0; i < n; i++)
			if (!httphead_tchar((unsigned char)p[i]))
				return -400;
		return n == 0 ? -400 : httphead_known(p, n) ? -405 : -501;
	}
	return 0;
}

/* method SP request-target SP HTTP-version */
static int
httphead_request_line(const char *p, size_t n, struct httphead *h)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	int rc;

	if (sp1 == NULL || (rc = httphead_method(p, (size_t)(sp1 - p), h)) < 0)
		return sp1 == NULL ? -400 : rc;
	h->target = sp1 + 1;
	sp2 = memchr(h->target, ' ', n - (size_t)(h->target - p));
	if (sp2 == NULL || sp2 == h->target)
		return -400;
	h->target_len = (size_t)(sp2 - h->target);
	for (size_t i = 0; i < h->target_len; i++)
		if ((unsigned char)h->target[i] <= 0x20 || h->target[i] == 0x7f)
			return -400;
	if (h->target_len > HTTPHEAD_MAX_TARGET)
		return -414;
	if (p + n - (sp2 + 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return p + n - (sp2 + 1) == 8 && !memcmp(sp2 + 1, "HTTP/", 5) ?
		    -505 : -400;
	if (sp2[8] != '0' && sp2[8] != '1')
		return -505;
	h->minor = sp2[8] - '0';
	h->keep_alive = h->minor == 1;
	return 0;
}

/* Does the comma list v[0..n) hold token (case-insensitive)? */
static bool
httphead_has_token(const char *v, size_t n, const char *token)
{
	size_t t = strlen(token);

	for (size_t i = 0; i < n; ) {
		while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t j = i;
		while (j < n && v[j] != ',' && v[j] != ' ' && v[j] != '\t')
			j++;
		if (j - i == t && !strncasecmp(v + i, token, t))
			return true;
		i = j;
	}
	return false;
}

static int
httphead_field(const char *name, size_t nlen, const char *v, size_t vlen,
    struct httphead *h)
{
	if (nlen == 4 && !strncasecmp(name, "host", 4)) {
		if (h->host != NULL)
			return -400;		/* two Host fields */
		h->host = v;
		h->host_len = vlen;
	} else if (nlen == 13 && !strncasecmp(name, "authorization", 13)) {
		if (h->auth != NULL)
			return -400;		/* two: which one is meant? */
		h->auth = v;
		h->auth_len = vlen;
	} else if (nlen == 14 && !strncasecmp(name, "content-length", 14)) {
		if (vlen != 1 || v[0] != '0')
			return -413;
	} else if (nlen == 17 && !strncasecmp(name, "transfer-encoding", 17)) {
		return -413;
	} else if (nlen == 10 && !strncasecmp(name, "connection", 10)) {
		if (httphead_has_token(v, vlen, "close"))
			h->keep_alive = false;
		else if (httphead_has_token(v, vlen, "keep-alive"))
			h->keep_alive = true;
	}
	return 0;
}

/* field-name ":" OWS field-value OWS */
static int
httphead_header(const char *p, size_t n, struct httphead *h)
{
	const char *colon = memchr(p, ':', n);
	const char *v, *e = p + n;

	if (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		return -400;			/* obs-fold */
	if (colon == NULL || colon == p)
		return -400;
	for (const char *c = p; c < colon; c++)
		if (!httphead_tchar((unsigned char)*c))
			return -400;		/* also a space before the colon */
	for (v = colon + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	for (const char *c = v; c < e; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return -400;
	return httphead_field(p, (size_t)(colon - p), v, (size_t)(e - v), h);
}

int
httphead_parse(const char *buf, size_t len, struct httphead *h)
{
	const char *p = buf, *end = buf + (len < HTTPHEAD_MAX ? len : HTTPHEAD_MAX);
	const char *next;
	long n;
	int rc;

	memset(h, 0, sizeof(*h));
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;			/* RFC 9112 2.2: empty lines before */
	if ((n = httphead_line(p, end, &next)) < 0)
		return len >= HTTPHEAD_MAX ? -431 : 0;
	if ((rc = httphead_request_line(p, (size_t)n, h)) < 0)
		return rc;
	for (p = next; (n = httphead_line(p, end, &next)) > 0; p = next)
		if ((rc = httphead_header(p, (size_t)n, h)) < 0)
			return rc;
	if (n < 0)
		return len >= HTTPHEAD_MAX ? -431 : 0;
	if (h->minor == 1 && h->host == NULL)
		return -400;
	return (int)(next - buf);
}

int
httphead_basic_auth(const char *header, char *user, size_t ulen, char *pass,
    size_t plen)
{
	char text[512], *colon;
	int n;

	if (header == NULL || strncasecmp(header, "Basic ", 6) != 0)
		return -1;
	header += 6;
	while (*header == ' ')
		header++;
	if ((n = base64_decode(header, (uint8_t *)text, sizeof(text) - 1)) < 0)
		return -1;
	text[n] = '\0';
	if (strlen(text) != (size_t)n || (colon = strchr(text, ':')) == NULL) {
		explicit_bzero(text, sizeof(text));
		return -1;			/* a NUL inside, or no colon */
	}
	*colon = '\0';
	if (strlen(text) >= ulen || strlen(colon + 1) >= plen) {
		explicit_bzero(text, sizeof(text));
		return -1;
	}
	strcpy(user, text);
	strcpy(pass, colon + 1);
	explicit_bzero(text, sizeof(text));
	return 0;
}

const char *
httphead_reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 421: return "Misdirected Request";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown Status";
	}
}
