/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The gateway's HTTP, for UPnP-IGD (its description and SOAP calls),
 * bounded where it is read: a URL must name the gateway's own address, a
 * reply may be UPNPHTTP_MAX bytes in all, and an exchange ends at its
 * deadline or as soon as its cancel descriptor becomes readable. The
 * exchange blocks (the UPnP worker thread); the parsers are pure.
 */
#ifndef HOMEREACH_UPNPHTTP_H
#define HOMEREACH_UPNPHTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/addr.h"

#define UPNPHTTP_MAX	(64 * 1024)	/* descriptions are 2 to 10 KiB */

struct upnphttp_url {
	struct netaddr host;
	uint16_t port;
	char path[256];
};

/* How an exchange may run: with whom, until when, and what cancels it. */
struct upnphttp_limits {
	struct netaddr gateway;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	int cancel_fd;			/* readable: stop now */
};

/* http://ADDRESS[:PORT]/PATH, the address a literal. Pure. */
int upnphttp_parse_url(const char *url, struct upnphttp_url *u, char *why,
    size_t whylen);
/* An HTTP/1.x reply in buf[0..len), eof when the peer closed after it:
 * status, and the body (Content-Length, chunked, or up to the close)
 * decoded in place into buf. 1 complete, 0 incomplete, or a negative
 * error with why. Pure. */
int upnphttp_parse_reply(char *buf, size_t len, bool eof, int *status,
    char **body, size_t *body_len, char *why, size_t whylen);

/* GET url (soap_action NULL) or POST body as a SOAP call; the reply body
 * is malloc'd into *out. 0, or -1 with why (off the gateway, too long,
 * too late, cancelled, a transport error). */
int upnphttp_fetch(const struct upnphttp_limits *lim, const char *url,
    const char *soap_action, const char *body, int *status, char **out,
    size_t *out_len, char *why, size_t whylen);

#endif
