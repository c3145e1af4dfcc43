/* SPDX-License-Identifier: BSD-2-Clause */
/* The gateway's URLs and HTTP replies, read exactly (RFC 9112). Pure. */
#include "nat/upnphttp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/reason.h"

static int
upnphttp_port(const char *p, size_t n, uint16_t *port)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int
upnphttp_parse_url(const char *url, struct upnphttp_url *u, char *why,
    size_t whylen)
{
	const char *h, *end, *p;
	char host[ADDR_STRLEN];

	memset(u, 0, sizeof(*u));
	u->port = 80;
	if (strncasecmp(url, "http://", 7) != 0)
		return reason(why, whylen, "not an http:// URL");
	h = url + 7;
	end = *h == '[' ? strchr(h, ']') : h + strcspn(h, ":/");
	if (end == NULL)
		return reason(why, whylen, "an IPv6 address without ']'");
	p = end + (*h == '[');
	h += *h == '[';
	if (end == h || (size_t)(end - h) >= sizeof(host))
		return reason(why, whylen, "no address in the URL");
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	if (addr_parse(host, &u->host) < 0)
		return reason(why, whylen, "the URL names a host, not an address");
	if (*p == ':') {
		size_t n = strcspn(++p, "/");
		if (upnphttp_port(p, n, &u->port) < 0)
			return reason(why, whylen, "a bad port in the URL");
		p += n;
	}
	if (*p == '\0')
		p = "/";
	if (*p != '/' || strlen(p) >= sizeof(u->path))
		return reason(why, whylen, "a bad path in the URL");
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return reason(why, whylen, "a space or control byte in the URL");
	memcpy(u->path, p, strlen(p) + 1);
	return 0;
}

/* The value of header name in head[0..n), or NULL; *vlen its length. */
static const char *
upnphttp_header(const char *head, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);

	for (const char *l = memchr(head, '\n', n); l != NULL && l < head + n;
	    l = memchr(l, '\n', (size_t)(head + n - l))) {
		l++;
		if ((size_t)(head + n - l) > k && !strncasecmp(l, name, k) &&
		    l[k] == ':') {
			const char *v = l + k + 1, *e = memchr(v, '\n',
			    (size_t)(head + n - v));
			while (v < head + n && (*v == ' ' || *v == '\t'))
				v++;
			e = e ? e : head + n;
			while (e > v && isspace((unsigned char)e[-1]))
				e--;
			*vlen = (size_t)(e - v);
			return v;
		}
	}
	return NULL;
}

/* Chunks (RFC 9112 section 7.1) in b[0..n): looked through, and when
 * decode, decoded in place (nothing is moved until all is in). */
static int
upnphttp_chunks(char *b, size_t n, bool decode, size_t *out, char *why,
    size_t whylen)
{
	size_t r = 0, w = 0;

	for (;;) {
		char *nl = memchr(b + r, '\n', n - r), *end;
		unsigned long size;
		if (nl == NULL)
			return n - r > 32 ? reason(why, whylen, "a bad chunk") : 0;
		if (!isxdigit((unsigned char)b[r]))
			return reason(why, whylen, "a bad chunk size");
		size = strtoul(b + r, &end, 16);
		if (size > UPNPHTTP_MAX)
			return reason(why, whylen, "a bad chunk size");
		r = (size_t)(nl - b) + 1;
		if (size == 0) {
			*out = w;
			return 1;	/* trailers are not read */
		}
		if (n - r < size + 2)
			return 0;
		if (decode)
			memmove(b + w, b + r, size);
		w += size;
		r += size;
		r += b[r] == '\r';
		if (b[r++] != '\n')
			return reason(why, whylen, "a chunk without its line end");
	}
}

int
upnphttp_parse_reply(char *buf, size_t len, bool eof, int *status,
    char **body, size_t *body_len, char *why, size_t whylen)
{
	char *end = NULL;
	const char *te, *cl;
	size_t hlen, vlen, n;
	int rc;

	for (size_t i = 0; i + 1 < len && end == NULL; i++)
		if (buf[i] == '\n' && (buf[i + 1] == '\n' || (buf[i + 1] == '\r' &&
		    i + 2 < len && buf[i + 2] == '\n')))
			end = buf + i + (buf[i + 1] == '\n' ? 2 : 3);
	if (end == NULL)
		return eof ? reason(why, whylen, "the reply ends in its head") : 0;
	hlen = (size_t)(end - buf);
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) || !isdigit((unsigned char)buf[9]) ||
	    !isdigit((unsigned char)buf[10]) || !isdigit((unsigned char)buf[11]) ||
	    buf[8] != ' ')
		return reason(why, whylen, "not an HTTP/1.x reply");
	*status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	*body = end;
	n = len - hlen;
	te = upnphttp_header(buf, hlen, "Transfer-Encoding", &vlen);
	cl = upnphttp_header(buf, hlen, "Content-Length", &vlen);
	if (te != NULL) {
		if (vlen != 7 || strncasecmp(te, "chunked", 7))
			return reason(why, whylen, "a transfer coding other than chunked");
		if ((rc = upnphttp_chunks(end, n, false, body_len, why, whylen)) == 0 &&
		    eof)
			return reason(why, whylen, "the reply ends in a chunk");
		return rc == 1 ? upnphttp_chunks(end, n, true, body_len, why,
		    whylen) : rc;
	}
	if (cl != NULL) {
		uint64_t want = 0;
		for (size_t i = 0; i < vlen; i++) {
			if (!isdigit((unsigned char)cl[i]) || want > UPNPHTTP_MAX)
				return reason(why, whylen, "a bad Content-Length");
			want = want * 10 + (uint64_t)(cl[i] - '0');
		}
		if (vlen == 0 || want > UPNPHTTP_MAX)
			return reason(why, whylen, "a Content-Length over %d bytes",
			    UPNPHTTP_MAX);
		if (n < want)
			return eof ? reason(why, whylen, "the reply ends early") : 0;
		*body_len = (size_t)want;
		return 1;
	}
	*body_len = n;
	return eof ? 1 : 0;
}
