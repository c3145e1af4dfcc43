/* SPDX-License-Identifier: BSD-2-Clause */
/* SSDP: the search request we send and a strict reading of the replies. */
#include "nat/ssdp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/reason.h"

size_t
ssdp_build_msearch(char *buf, size_t len, const char *host, int mx)
{
	char mxline[24] = "";
	int n;

	if (mx > 0)
		snprintf(mxline, sizeof(mxline), "MX: %d\r\n", mx);
	n = snprintf(buf, len, "M-SEARCH * HTTP/1.1\r\nHOST: %s\r\n"
	    "MAN: \"ssdp:discover\"\r\n%sST: %s\r\n"
	    "USER-AGENT: Linux UPnP/1.1 homereach/" HOMEREACH_VERSION "\r\n\r\n",
	    host, mxline, SSDP_ST_IGD);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

static int
ssdp_copy(char *dst, size_t dstlen, const char *v, const char *name,
    char *why, size_t whylen)
{
	size_t n = strlen(v);

	if (n >= dstlen)
		return reason(why, whylen, "SSDP %s header of %zu bytes", name, n);
	memcpy(dst, v, n + 1);
	return 0;
}

static int
ssdp_header(struct ssdp_reply *r, const char *name, const char *v,
    char *why, size_t whylen)
{
	char *end;

	if (strcasecmp(name, "LOCATION") == 0)
		return ssdp_copy(r->location, sizeof(r->location), v, name, why,
		    whylen);
	if (strcasecmp(name, "ST") == 0)
		return ssdp_copy(r->st, sizeof(r->st), v, name, why, whylen);
	if (strcasecmp(name, "SERVER") == 0)
		return ssdp_copy(r->server, sizeof(r->server), v, name, why,
		    whylen);
	if (strcasecmp(name, "NT") == 0)
		return ssdp_copy(r->nt, sizeof(r->nt), v, name, why, whylen);
	if (strcasecmp(name, "NTS") == 0)
		return ssdp_copy(r->nts, sizeof(r->nts), v, name, why, whylen);
	if (strcasecmp(name, "BOOTID.UPNP.ORG") == 0) {
		unsigned long id = strtoul(v, &end, 10);
		if (*v == '\0' || *end != '\0' || id > 0x7fffffffUL)
			return reason(why, whylen, "SSDP BOOTID \"%.20s\"", v);
		r->has_bootid = true;
		r->bootid = (uint32_t)id;
	}
	return 0;
}

static char *
ssdp_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int
ssdp_line(struct ssdp_reply *r, char *line, char *why, size_t whylen)
{
	char *colon = strchr(line, ':');

	if (colon == NULL)
		return reason(why, whylen, "SSDP header line without a colon");
	*colon = '\0';
	return ssdp_header(r, ssdp_trim(line), ssdp_trim(colon + 1), why,
	    whylen);
}

static int
ssdp_check(const struct ssdp_reply *r, char *why, size_t whylen)
{
	if (r->location[0] == '\0')
		return reason(why, whylen, "SSDP reply without LOCATION");
	if (strncasecmp(r->location, "http://", 7) != 0)
		return reason(why, whylen, "SSDP LOCATION is not an http:// URL");
	for (const char *p = r->location; *p; p++)
		if (!isgraph((unsigned char)*p))
			return reason(why, whylen, "SSDP LOCATION holds a space "
			    "or control character");
	return 0;
}

/* The start line, then headers up to the blank line. */
static int
ssdp_parse(const char *buf, size_t len, const char *start,
    struct ssdp_reply *r, char *why, size_t whylen)
{
	char text[SSDP_MAX_LEN + 1], *line, *save = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len > SSDP_MAX_LEN)
		return reason(why, whylen, "SSDP message of %zu bytes", len);
	if (memchr(buf, '\0', len) != NULL)
		return reason(why, whylen, "SSDP message holds a NUL byte");
	memcpy(text, buf, len);
	text[len] = '\0';
	line = strtok_r(text, "\n", &save);
	if (line == NULL || strncasecmp(line, start, strlen(start)) != 0)
		return reason(why, whylen, "SSDP message is not %s", start);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		if (*ssdp_trim(line) == '\0')
			break;
		if ((rc = ssdp_line(r, line, why, whylen)) < 0)
			return rc;
	}
	return 0;
}

int
ssdp_parse_reply(const char *buf, size_t len, struct ssdp_reply *r,
    char *why, size_t whylen)
{
	int rc = ssdp_parse(buf, len, "HTTP/1.1 200", r, why, whylen);

	return rc < 0 ? rc : ssdp_check(r, why, whylen);
}

int
ssdp_parse_notify(const char *buf, size_t len, struct ssdp_reply *r,
    char *why, size_t whylen)
{
	int rc = ssdp_parse(buf, len, "NOTIFY * HTTP/1.1", r, why, whylen);

	if (rc < 0)
		return rc;
	if (r->nt[0] == '\0' || r->nts[0] == '\0')
		return reason(why, whylen, "SSDP NOTIFY without NT or NTS");
	if (strcmp(r->nts, "ssdp:alive") && strcmp(r->nts, "ssdp:byebye") &&
	    strcmp(r->nts, "ssdp:update"))
		return reason(why, whylen, "SSDP NOTIFY with NTS \"%.32s\"",
		    r->nts);
	return strcmp(r->nts, "ssdp:byebye") ? ssdp_check(r, why, whylen) : 0;
}

int
ssdp_url_host(const char *url, char *host, size_t hostlen)
{
	const char *h, *end;

	if (strncasecmp(url, "http://", 7) != 0)
		return -EINVAL;
	h = url + 7;
	if (*h == '[') {	/* IPv6 literal */
		if ((end = strchr(++h, ']')) == NULL)
			return -EINVAL;
	} else {
		end = h + strcspn(h, ":/");
	}
	if (end == h || (size_t)(end - h) >= hostlen)
		return -EINVAL;
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	return 0;
}
