/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP serving, as the redirect server's front and the status page do
 * it: an HTTP/1.x request head (RFC 9112, GET or HEAD, no body), Basic
 * credentials (RFC 7617), reason phrases. Pure: a fuzzer drives it. */
#ifndef HOMEREACH_HTTPHEAD_H
#define HOMEREACH_HTTPHEAD_H

#include <stdbool.h>
#include <stddef.h>

#define HTTPHEAD_MAX		8192	/* a head longer than this: 431 */
#define HTTPHEAD_MAX_TARGET	4096	/* a longer request-target: 414 */

enum httphead_method { HTTPHEAD_GET, HTTPHEAD_HEAD };

struct httphead {
	enum httphead_method method;
	const char *target;		/* into the buffer, not terminated */
	size_t target_len;
	const char *host;		/* NULL if there is none (HTTP/1.0) */
	size_t host_len;
	const char *auth;		/* Authorization, or NULL */
	size_t auth_len;
	int minor;			/* HTTP/1.0 or HTTP/1.1 */
	bool keep_alive;
};

/* The head at buf[0..len): its length through the empty line, 0 while
 * it is incomplete, or minus the status to answer with: 400, 413 (a
 * body), 405 (a method of RFC 9110 other than GET and HEAD), 414, 431,
 * 501 (any other method), 505. */
int httphead_parse(const char *buf, size_t len, struct httphead *h);
/* An Authorization value "Basic base64(user:password)", into user and
 * pass (wiped on failure); -1 if it is none or does not fit. */
int httphead_basic_auth(const char *header, char *user, size_t ulen,
    char *pass, size_t plen);
/* The reason phrase of a status code we send (RFC 9110 section 15). */
const char *httphead_reason(int code);

#endif
