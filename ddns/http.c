/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The providers' HTTP: HTTPS with certificate checks unless the record
 * allows plain HTTP, no redirects (an update must not be replayed at
 * another host), credentials only as libcurl options, a bounded body.
 */
#include "ddns/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

static size_t
http_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_reply *r = arg;
	size_t n = size * nmemb;
	char *grown;

	if (n > HTTP_MAX_BODY - r->len) {
		r->overflow = true;
		return 0;
	}
	if ((grown = realloc(r->body, r->len + n + 1)) == NULL)
		return 0;
	r->body = grown;
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

static void
http_options(CURL *c, const struct http_request *q, struct http_reply *r,
    struct curl_slist *headers)
{
	curl_easy_setopt(c, CURLOPT_URL, q->url);
	if (q->method)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
	if (q->body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
	if (q->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, q->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, q->password);
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	if (q->bearer) {
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, q->bearer);
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, q->plain_http ? "http,https" :
	    "https");
	if (q->ca_file && q->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, q->ca_file);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "homereach/" HOMEREACH_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, q->timeout_s ? q->timeout_s : 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->error);
}

int
http_request(const struct http_request *q, struct http_reply *r)
{
	struct curl_slist *headers = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	if (c == NULL) {
		snprintf(r->error, sizeof(r->error), "cannot start libcurl");
		return -1;
	}
	if (q->body)
		headers = curl_slist_append(headers, "Content-Type: application/json");
	for (int i = 0; q->headers != NULL && q->headers[i] != NULL; i++)
		headers = curl_slist_append(headers, q->headers[i]);
	http_options(c, q, r, headers);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(c);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK && !r->overflow) {
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(rc));
		return -1;
	}
	r->error[0] = '\0';
	return 0;
}

void
http_reply_free(struct http_reply *r)
{
	free(r->body);
	r->body = NULL;
}
