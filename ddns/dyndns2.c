/*
 * dyndns2: GET /nic/update?hostname=H&myip=IP with HTTP basic auth passed
 * as libcurl options, never in the URL; no redirects; HTTPS unless the
 * record allows plain HTTP. The reply is read by dyndns2_parse.c.
 */
#include "ddns/provider.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define DYNDNS2_MAX_BODY	4096

static void
dyndns2_set(struct ddns_answer *a, enum ddns_outcome o, const char *result,
    const char *detail)
{
	a->outcome = o;
	snprintf(a->result, sizeof(a->result), "%s", result);
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}

struct dyndns2_body {
	char text[DYNDNS2_MAX_BODY + 1];
	size_t len;
	bool overflow;
};

static size_t
dyndns2_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct dyndns2_body *b = arg;
	size_t n = size * nmemb;

	if (n > DYNDNS2_MAX_BODY - b->len) {
		b->overflow = true;
		return 0;
	}
	memcpy(b->text + b->len, data, n);
	b->len += n;
	return n;
}

static int
dyndns2_url(const struct ddns_config *r, const struct netaddr *addr, CURL *c,
    char *url, size_t len)
{
	char ip[ADDR_STRLEN], base[300];
	char *host = curl_easy_escape(c, r->hostname, 0);
	size_t n;
	int rc;

	snprintf(base, sizeof(base), "%s%s", strstr(r->server, "://") ? "" :
	    "https://", r->server);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	rc = snprintf(url, len, "%s/nic/update?hostname=%s&myip=%s", base,
	    host ? host : "", addr_ntop(addr, ip, sizeof(ip)));
	curl_free(host);
	return rc < 0 || (size_t)rc >= len ? -1 : 0;
}

static void
dyndns2_options(const struct ddns_config *r, CURL *c, struct dyndns2_body *b,
    char *err)
{
	curl_easy_setopt(c, CURLOPT_USERNAME, r->username);
	curl_easy_setopt(c, CURLOPT_PASSWORD, r->password.value);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, r->plain_http ? "http,https" :
	    "https");
	if (r->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "homereach/" HOMEREACH_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, dyndns2_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
}

void
dyndns2_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	struct dyndns2_body *b = calloc(1, sizeof(*b));
	char url[1024], err[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	long status = 0;
	CURLcode rc;

	if (c == NULL || b == NULL || dyndns2_url(r, addr, c, url, sizeof(url)) < 0) {
		dyndns2_set(a, DDNS_RETRY, "local-error", "cannot build the request");
		goto out;
	}
	dyndns2_options(r, c, b, err);
	curl_easy_setopt(c, CURLOPT_URL, url);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (b->overflow)
		dyndns2_set(a, DDNS_RETRY, "too-long", "the reply is longer than "
		    "4 KiB");
	else if (rc != CURLE_OK)
		dyndns2_set(a, DDNS_RETRY, "network", err[0] ? err :
		    curl_easy_strerror(rc));
	else
		dyndns2_parse(b->text, b->len, status, a);
out:
	if (c)
		curl_easy_cleanup(c);
	free(b);
}
