/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The listening side: a UDP socket on port 5350, in the all-hosts group on
 * every interface (the kernel is a member of 224.0.0.1 already; joining
 * names the intent), reusable so that several listeners can share it.
 * Anything not from the gateway, or not an announcement, is dropped.
 */
#include "nat/announce.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/reason.h"
#include "nat/portsock.h"

struct announce {
	struct loop_sock s;
	struct netaddr gateway;
	announce_cb *cb;
	void *arg;
};

static void
announce_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct announce *a = arg;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct announce_event e;
	uint8_t buf[1104];
	char why[REASON_LEN], src[ADDR_STRLEN];
	ssize_t n;

	(void)what;
	while ((n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &fl)) >= 0) {
		struct netaddr s;
		addr_from_sockaddr((struct sockaddr *)&from, &s, NULL);
		fl = sizeof(from);
		if (!addr_equal(&s, &a->gateway)) {
			log_debug("announcement from %s, not the gateway: ignored",
			    addr_ntop(&s, src, sizeof(src)));
			continue;
		}
		if (announce_parse(buf, (size_t)n, &e, why, sizeof(why)) < 0) {
			log_debug("gateway announcement ignored: %s", why);
			continue;
		}
		e.from = s;
		a->cb(&e, a->arg);
	}
}

struct announce *
announce_start(struct event_base *base, const struct netaddr *gateway,
    announce_cb *cb, void *arg)
{
	static const struct loop_sock_cbs cbs = { .io = announce_on_read };
	struct announce *a = calloc(1, sizeof(*a));
	int fd = -1;

	if (a == NULL || (fd = portsock_multicast(ANNOUNCE_PORT,
	    htonl(0xe0000001), NULL)) < 0 ||
	    loop_sock_open(&a->s, base, fd, true, &cbs, a) < 0) {
		free(a);
		return NULL;
	}
	a->gateway = *gateway;
	a->cb = cb;
	a->arg = arg;
	return a;
}

void
announce_free(struct announce *a)
{
	if (a == NULL)
		return;
	loop_sock_close(&a->s);
	free(a);
}
