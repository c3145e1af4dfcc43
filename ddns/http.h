/* SPDX-License-Identifier: BSD-2-Clause */
/* One blocking HTTP request for the DDNS providers (worker thread only). */
#ifndef HOMEREACH_HTTP_H
#define HOMEREACH_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_BODY	(256 * 1024)

struct http_request {
	const char *method;		/* NULL for GET */
	const char *url;
	const char *body;		/* JSON, or NULL */
	const char *username, *password;	/* basic auth, or NULL */
	const char *bearer;		/* a token, or NULL */
	const char *ca_file;		/* "" for the system's */
	bool plain_http;		/* allow http:// */
	const char *const *headers;	/* more "Name: value", NULL-ended */
	long timeout_s;			/* the whole request; 0: 30 s */
};

struct http_reply {
	long status;
	char *body;			/* NUL-terminated, len bytes */
	size_t len;
	bool overflow;			/* the body was larger than allowed */
	char error[256];		/* a transport failure, else "" */
};

/* 0 when a reply arrived (any status); -1 with reply->error set. */
int http_request(const struct http_request *req, struct http_reply *reply);
void http_reply_free(struct http_reply *reply);

#endif
