/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The gateway's HTTP exchange, on the UPnP worker thread. miniupnpc's own
 * (miniwget, its SOAP calls) reads a reply of any size for as long as the
 * gateway sends one, and nothing can stop it: a description that never
 * ended took the agent to 1.7 GB while every later check started another.
 * Here every wait is a poll() on the socket and the cancel descriptor,
 * with what is left of the deadline; the reply may be UPNPHTTP_MAX bytes.
 */
#include "nat/upnphttp.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/reason.h"

static int
upnphttp_left_ms(const struct upnphttp_limits *lim)
{
	int64_t ms = -clock_ms_since(&lim->deadline);

	return ms > 0 ? (int)ms : 0;
}

/* Until fd is ready for events: 0; too late or cancelled: < 0, why. */
static int
upnphttp_wait(const struct upnphttp_limits *lim, int fd, short events,
    char *why, size_t whylen)
{
	struct pollfd p[2] = { { fd, events, 0 }, { lim->cancel_fd, POLLIN, 0 } };
	int n, left;

	for (;;) {
		if ((left = upnphttp_left_ms(lim)) == 0)
			return reason(why, whylen, "no whole answer in time");
		n = poll(p, lim->cancel_fd >= 0 ? 2 : 1, left);
		if (n < 0 && errno != EINTR)
			return reason(why, whylen, "poll: %s", strerror(errno));
		if (n > 0 && p[1].revents)
			return reason(why, whylen, "given up");
		if (n > 0)
			return 0;
	}
}

static int
upnphttp_connect(const struct upnphttp_limits *lim,
    const struct upnphttp_url *u, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(&u->host, u->port, &ss);
	int fd = socket(u->host.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0), err = 0;
	socklen_t el = sizeof(err);

	if (fd < 0) {
		reason(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		err = errno;
	else if (upnphttp_wait(lim, fd, POLLOUT, why, whylen) < 0)
		err = -1;	/* why is said */
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		err = errno;
	if (err != 0) {
		if (err > 0)
			reason(why, whylen, "connect: %s", strerror(err));
		close(fd);
		return -1;
	}
	return fd;
}

static int
upnphttp_send(const struct upnphttp_limits *lim, int fd, const char *buf,
    size_t len, char *why, size_t whylen)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return reason(why, whylen, "send: %s", strerror(errno));
		if (n < 0 && upnphttp_wait(lim, fd, POLLOUT, why, whylen) < 0)
			return -1;
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		}
	}
	return 0;
}

/* Read until the reply is whole, the peer closes, or it is too long. */
static int
upnphttp_recv(const struct upnphttp_limits *lim, int fd, char *buf,
    int *status, char **body, size_t *body_len, char *why, size_t whylen)
{
	size_t len = 0;
	int rc;

	for (;;) {
		ssize_t n = recv(fd, buf + len, UPNPHTTP_MAX - len, 0);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return reason(why, whylen, "recv: %s", strerror(errno));
		if (n < 0) {
			if (upnphttp_wait(lim, fd, POLLIN, why, whylen) < 0)
				return -1;
			continue;
		}
		len += (size_t)n;
		rc = upnphttp_parse_reply(buf, len, n == 0, status, body, body_len,
		    why, whylen);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		if (len == UPNPHTTP_MAX)
			return reason(why, whylen, "a reply over %d bytes",
			    UPNPHTTP_MAX);
	}
}

static int
upnphttp_request(char *buf, size_t len, const struct upnphttp_url *u,
    const char *soap_action, const char *body)
{
	char host[ADDR_STRLEN];
	int n;

	addr_ntop(&u->host, host, sizeof(host));
	if (soap_action == NULL)
		n = snprintf(buf, len, "GET %s HTTP/1.1\r\nHost: %s%s%s:%u\r\n"
		    "User-Agent: homereach\r\nConnection: close\r\n\r\n", u->path,
		    u->host.family == AF_INET6 ? "[" : "", host,
		    u->host.family == AF_INET6 ? "]" : "", u->port);
	else
		n = snprintf(buf, len, "POST %s HTTP/1.1\r\nHost: %s%s%s:%u\r\n"
		    "User-Agent: homereach\r\nConnection: close\r\n"
		    "Content-Type: text/xml; charset=\"utf-8\"\r\n"
		    "SOAPAction: \"%s\"\r\nContent-Length: %zu\r\n\r\n%s", u->path,
		    u->host.family == AF_INET6 ? "[" : "", host,
		    u->host.family == AF_INET6 ? "]" : "", u->port, soap_action,
		    strlen(body), body);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
upnphttp_fetch(const struct upnphttp_limits *lim, const char *url,
    const char *soap_action, const char *body, int *status, char **out,
    size_t *out_len, char *why, size_t whylen)
{
	struct upnphttp_url u;
	char *buf, *b;
	int fd = -1, n, rc = -1;

	*out = NULL;
	if (upnphttp_parse_url(url, &u, why, whylen) < 0)
		return -1;
	if (!addr_equal(&u.host, &lim->gateway))
		return reason(why, whylen, "a URL off the gateway");
	if ((buf = malloc(UPNPHTTP_MAX)) == NULL)
		return reason(why, whylen, "out of memory");
	if ((n = upnphttp_request(buf, UPNPHTTP_MAX, &u, soap_action, body)) < 0)
		reason(why, whylen, "the request is too long");
	else if ((fd = upnphttp_connect(lim, &u, why, whylen)) >= 0 &&
	    upnphttp_send(lim, fd, buf, (size_t)n, why, whylen) == 0 &&
	    upnphttp_recv(lim, fd, buf, status, &b, out_len, why, whylen) == 0 &&
	    (*out = malloc(*out_len + 1)) != NULL) {
		memcpy(*out, b, *out_len);
		(*out)[*out_len] = '\0';
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}
