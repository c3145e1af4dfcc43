/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * miniupnpc parses the services of a description but keeps no names, so we
 * read the root device's friendlyName, manufacturer and modelName: the first
 * of each in document order. Text is entity-decoded and control characters
 * are replaced, since it ends up on the user's terminal.
 */
#include "nat/desc.h"

#include <stdlib.h>
#include <string.h>

static const struct { const char *name; char c; } desc_entities[] = {
	{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	{ "&quot;", '"' }, { "&apos;", '\'' },
};

static size_t
desc_entity(const char *p, size_t left, char *c)
{
	for (size_t i = 0; i < sizeof(desc_entities) / sizeof(desc_entities[0]); i++) {
		size_t n = strlen(desc_entities[i].name);
		if (n <= left && memcmp(p, desc_entities[i].name, n) == 0) {
			*c = desc_entities[i].c;
			return n;
		}
	}
	*c = '&';
	return 1;
}

/* Length of the UTF-8 sequence at p, or 0 if it is not valid. */
static size_t
desc_utf8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
	    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Names go into JSON, which must be UTF-8: replace what is not. */
static void
desc_ascii_if_invalid(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p != '\0'; ) {
		size_t n = desc_utf8_len(p);
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

static void
desc_text(const char *p, const char *end, char *out, size_t outlen)
{
	size_t o = 0;

	while (p < end && *p != '<' && o + 1 < outlen) {
		char c = *p;
		p += c == '&' ? desc_entity(p, (size_t)(end - p), &c) : 1;
		out[o++] = ((unsigned char)c < 0x20 || c == 0x7f) ? '?' : c;
	}
	out[o] = '\0';
	desc_ascii_if_invalid(out);
}

static void
desc_field(const char *xml, size_t len, const char *tag, char *out,
    size_t outlen)
{
	size_t tlen = strlen(tag);
	const char *end = xml + len;

	out[0] = '\0';
	for (const char *p = xml; p + tlen <= end; p++) {
		p = memchr(p, '<', (size_t)(end - p));
		if (p == NULL || (size_t)(end - p) < tlen + 2)
			return;
		if (memcmp(p + 1, tag, tlen) == 0 && p[1 + tlen] == '>') {
			desc_text(p + tlen + 2, end, out, outlen);
			return;
		}
	}
}

void
desc_parse_info(const char *xml, size_t len, struct desc_info *out)
{
	desc_field(xml, len, "friendlyName", out->friendly_name,
	    sizeof(out->friendly_name));
	desc_field(xml, len, "manufacturer", out->manufacturer,
	    sizeof(out->manufacturer));
	desc_field(xml, len, "modelName", out->model_name,
	    sizeof(out->model_name));
}

int
desc_pinhole_id(const char *text, uint16_t *id)
{
	unsigned long v;
	char *end;

	if (text == NULL || *text < '0' || *text > '9' || strlen(text) > 5)
		return -1;
	v = strtoul(text, &end, 10);
	if (*end != '\0' || v == 0 || v > 65535)
		return -1;
	*id = (uint16_t)v;
	return 0;
}
