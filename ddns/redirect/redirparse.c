/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the redirect server reads from the outside, checked before it is
 * used: a visitor's Host header, a client's update query and credentials,
 * a /check query. Nothing here trusts a length or a character it has not
 * looked at; every failure names what was wrong.
 */
#include "ddns/redirect/redirparse.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"

#define REDIRECT_MAX_QUERY	2048

static void
redirect_why(char *why, size_t len, const char *text)
{
	if (why != NULL && len > 0)
		snprintf(why, len, "%s", text);
}

/* RFC 1123 section 2.1 host names, RFC 3696 section 2 for the last label. */
bool
redirparse_name_ok(const char *name)
{
	size_t n = strlen(name), label = 0, labels = 1;
	bool digits = true;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = name[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || name[i - 1] == '-')
				return false;
			if (c == '.')
				labels++, label = 0, digits = true;
			continue;
		}
		if (!isalnum((unsigned char)c) && !(c == '-' && label > 0))
			return false;
		digits &= isdigit((unsigned char)c) != 0;
		label++;
	}
	return labels >= 2 && !digits;
}

int
redirparse_host(const char *header, char *out, size_t len)
{
	const char *colon = strchr(header, ':');
	size_t n = colon ? (size_t)(colon - header) : strlen(header);

	if (colon != NULL) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
			return -1;
	}
	if (n > 0 && header[n - 1] == '.')
		n--;
	if (n == 0 || n >= len || n >= REDIRPARSE_NAME_LEN)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)header[i]);
	out[n] = '\0';
	return redirparse_name_ok(out) ? 0 : -1;
}

/* The path of an absolute-form target (RFC 9112 section 3.2.2). */
static const char *
redirect_path(const char *uri)
{
	const char *p;

	if (uri[0] == '/' && uri[1] != '/')
		return uri;
	if (strncasecmp(uri, "http://", 7) && strncasecmp(uri, "https://", 8))
		return "/";
	p = strchr(strstr(uri, "://") + 3, '/');
	return p != NULL ? p : "/";
}

int
redirparse_location(const struct netaddr *a, uint16_t port, const char *uri,
    char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char ip[ADDR_STRLEN];
	const char *p = redirect_path(uri);
	int n = snprintf(out, len, a->family == AF_INET6 ? "http://[%s]:%u" :
	    "http://%s:%u", addr_ntop(a, ip, sizeof(ip)), port);
	size_t o = (size_t)n;

	if (n < 0 || o >= len)
		return -1;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (o + 4 > len)
			return -1;
		if (c > 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o] = '\0';
	return 0;
}

static int
redirect_hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' :
	    isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : -1;
}

/*
 * Percent-decode src[0..n) into out; '+' is a space. -1 on a bad escape
 * or a NUL, or when it does not fit. Our own, because libevent's decoder
 * (evhttp_uridecode, measured on Debian 12's 2.1.12) keeps "%zz" as it is
 * and decodes "%00" into the middle of its string: a stranger's query
 * would pass with a meaning other than the one it says.
 */
static int
redirect_unescape(const char *src, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)src[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= n || (hi = redirect_hexval(src[i + 1])) < 0 ||
			    (lo = redirect_hexval(src[i + 2])) < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+')
			c = ' ';
		if (c == 0 || o + 1 >= len)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

typedef int redirect_pair_fn(const char *key, const char *value, void *arg,
    char *why, size_t len);

/* Each key=value of a query, decoded; stops at the first error. */
static int
redirect_pairs(const char *query, redirect_pair_fn *fn, void *arg, char *why,
    size_t len)
{
	char key[32], value[REDIRECT_MAX_QUERY];
	const char *p = query ? query : "";

	if (strlen(p) >= REDIRECT_MAX_QUERY) {
		redirect_why(why, len, "the query is too long");
		return -1;
	}
	while (*p) {
		size_t n = strcspn(p, "&"), k = strcspn(p, "=");
		if (n > 0 && (k >= n ? redirect_unescape(p, n, key, sizeof(key)) :
		    redirect_unescape(p, k, key, sizeof(key)) < 0 ? -1 :
		    redirect_unescape(p + k + 1, n - k - 1, value, sizeof(value))) < 0) {
			redirect_why(why, len, "the query has a bad escape or a "
			    "key too long");
			return -1;
		}
		if (n > 0 && fn(key, k >= n ? "" : value, arg, why, len) < 0)
			return -1;
		p += n + (p[n] == '&');
	}
	return 0;
}

static int
redirect_port(const char *v, uint16_t *port)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 1 || n > 65535)
		return -1;
	*port = (uint16_t)n;
	return 0;
}

static int
redirect_hosts(const char *v, struct redirparse_update *u, char *why, size_t len)
{
	char copy[REDIRECT_MAX_QUERY], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", v);
	u->nhosts = 0;
	for (char *h = strtok_r(copy, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
		if (u->nhosts == REDIRPARSE_MAX_HOSTS) {
			redirect_why(why, len, "more than 8 host names");
			return -1;
		}
		if (redirparse_host(h, u->hosts[u->nhosts], REDIRPARSE_NAME_LEN) < 0 ||
		    strchr(h, ':') != NULL) {
			redirect_why(why, len, "a hostname is not a DNS host name");
			return -1;
		}
		u->nhosts++;
	}
	return 0;
}

static int
redirect_myip(const char *v, struct redirparse_update *u, char *why, size_t len)
{
	char copy[128], *save = NULL;

	if (strlen(v) >= sizeof(copy)) {
		redirect_why(why, len, "myip is too long");
		return -1;
	}
	strcpy(copy, v);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct netaddr a;
		if (addr_parse(t, &a) < 0) {
			redirect_why(why, len, "myip is not an IP address");
			return -1;
		}
		u->myip[a.family == AF_INET6] = a;
	}
	return 0;
}

static int
redirect_update_pair(const char *key, const char *v, void *arg, char *why,
    size_t len)
{
	struct redirparse_update *u = arg;

	if (!strcmp(key, "hostname"))
		return redirect_hosts(v, u, why, len);
	if (!strcmp(key, "myip"))
		return v[0] ? redirect_myip(v, u, why, len) : 0;
	if (!strcmp(key, "port") && redirect_port(v, &u->port) < 0) {
		redirect_why(why, len, "port is not a number from 1 to 65535");
		return -1;
	}
	if (!strcmp(key, "offline")) {
		if (strcasecmp(v, "yes") != 0 && strcasecmp(v, "no") != 0 &&
		    strcasecmp(v, "nochg") != 0) {
			redirect_why(why, len, "offline is not yes or no");
			return -1;
		}
		u->offline = strcasecmp(v, "yes") == 0;
	}
	return 0;
}

int
redirparse_update_query(const char *query, struct redirparse_update *u,
    char *why, size_t len)
{
	memset(u, 0, sizeof(*u));
	if (redirect_pairs(query, redirect_update_pair, u, why, len) < 0)
		return -1;
	if (u->nhosts == 0) {
		redirect_why(why, len, "no hostname");
		return -1;
	}
	return 0;
}

struct redirect_check {
	uint16_t port;
	int proto;
};

static int
redirect_check_pair(const char *key, const char *v, void *arg, char *why,
    size_t len)
{
	struct redirect_check *c = arg;

	if (!strcmp(key, "port")) {
		if (redirect_port(v, &c->port) == 0)
			return 0;
		redirect_why(why, len, "port is not a number from 1 to 65535");
	} else if (!strcmp(key, "proto")) {
		c->proto = !strcmp(v, "tcp") ? IPPROTO_TCP :
		    !strcmp(v, "udp") ? IPPROTO_UDP : -1;
		if (c->proto > 0)
			return 0;
		redirect_why(why, len, "proto is not tcp or udp");
	} else
		redirect_why(why, len, "only port and proto: the check connects "
		    "back to the address the request came from, never another");
	return -1;
}

int
redirparse_check(const char *query, uint16_t *port, int *proto,
    char *why, size_t len)
{
	struct redirect_check c = { 0, IPPROTO_TCP };

	if (redirect_pairs(query, redirect_check_pair, &c, why, len) < 0)
		return -1;
	if (c.port == 0) {
		redirect_why(why, len, "no port");
		return -1;
	}
	*port = c.port;
	*proto = c.proto;
	return 0;
}

int
redirparse_user(const char *line, struct redirparse_user *u)
{
	const char *a, *b;
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#' || *line == '\n')
		return 1;
	if ((a = strchr(line, ':')) == NULL || (b = strchr(a + 1, ':')) == NULL)
		return -1;
	n = strcspn(b + 1, "\r\n");
	if ((size_t)(a - line) >= sizeof(u->host) || (size_t)(b - a - 1) >=
	    sizeof(u->user) || n >= sizeof(u->hash) || n < 3 || b[1] != '$' ||
	    b == a + 1)
		return -1;
	memcpy(u->host, line, (size_t)(a - line));
	u->host[a - line] = '\0';
	memcpy(u->user, a + 1, (size_t)(b - a - 1));
	u->user[b - a - 1] = '\0';
	memcpy(u->hash, b + 1, n);
	u->hash[n] = '\0';
	return redirparse_name_ok(u->host) ? 0 : -1;
}
