/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP echo probe: ask URLs what address they see (libcurl on libevent). */
#ifndef HOMEREACH_ECHO_H
#define HOMEREACH_ECHO_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/addr.h"
#include "lib/reason.h"

#define ECHO_MAX_BODY	256	/* an address and a newline fit many times */

struct event_base;
struct echoprobe;

struct echo_result {
	const char *url;
	bool ok;
	bool no_address;	/* a name without an IPv6 address */
	struct netaddr address;
	char error[REASON_LEN];
};

typedef void echo_result_cb(const struct echo_result *r, void *arg);

/* The body must be one address, optionally followed by a line end. */
int echo_parse_body(const char *body, size_t len, struct netaddr *out,
    char *why, size_t whylen);
/* The family of the address literal a URL names ("http://[2001:db8::1]/"),
 * 0 for a name. Pure. */
int echo_url_family(const char *url);
/* Fetch url; cb runs once for it. source: NULL over IPv4 from the
 * kernel's choice of address; an address, from it in its family. */
struct echoprobe *echoprobe_start(struct event_base *base, const char *url,
    const struct netaddr *source, int timeout_ms, echo_result_cb *cb,
    void *arg);
void echoprobe_free(struct echoprobe *p);
/* false in the agent's build, which has no HTTP client (echo_none.c). */
bool echoprobe_available(void);

#endif
