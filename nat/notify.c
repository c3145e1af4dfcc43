/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SSDP NOTIFY from the gateway. The first BOOTID seen is remembered; a
 * different one later, or a byebye, is reported once. miniupnpd sends
 * byebye when it stops and alive with a new BOOTID when it starts.
 */
#include "nat/notify.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/reason.h"
#include "nat/portsock.h"
#include "nat/ssdp.h"

struct notify {
	struct loop_sock s;
	struct netaddr gateway;
	bool has_bootid, said_bye;
	uint32_t bootid;
	notify_cb *cb;
	void *arg;
};

static void
notify_seen(struct notify *n, const struct ssdp_reply *r)
{
	if (!strcmp(r->nts, "ssdp:byebye")) {
		if (!n->said_bye)
			n->cb("the router said goodbye (SSDP byebye)", n->arg);
		n->said_bye = true;
		n->has_bootid = false;
		return;
	}
	if (!r->has_bootid)
		return;
	if (n->has_bootid && r->bootid != n->bootid && !n->said_bye)
		n->cb("the router restarted (a new SSDP BOOTID)", n->arg);
	n->said_bye = false;
	n->has_bootid = true;
	n->bootid = r->bootid;
}

static void
notify_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct ssdp_reply r;
	char buf[SSDP_MAX_LEN + 1], why[REASON_LEN];
	ssize_t len;

	(void)what;
	while ((len = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &fl)) >= 0) {
		struct netaddr s;
		addr_from_sockaddr((struct sockaddr *)&from, &s, NULL);
		fl = sizeof(from);
		if (!addr_equal(&s, &n->gateway))
			continue;
		if (ssdp_parse_notify(buf, (size_t)len, &r, why, sizeof(why)) < 0)
			log_debug("SSDP from the gateway ignored: %s", why);
		else
			notify_seen(n, &r);
	}
}

struct notify *
notify_start(struct event_base *base, const struct netaddr *gateway,
    notify_cb *cb, void *arg)
{
	static const struct loop_sock_cbs cbs = { .io = notify_on_read };
	struct notify *n = calloc(1, sizeof(*n));
	struct netaddr local = { 0 };
	int fd;

	if (n == NULL)
		return NULL;
	netif_source_for(gateway, &local);
	fd = portsock_multicast(SSDP_PORT, inet_addr(SSDP_MCAST), &local);
	if (fd < 0 || loop_sock_open(&n->s, base, fd, true, &cbs, n) < 0) {
		free(n);
		return NULL;
	}
	n->gateway = *gateway;
	n->cb = cb;
	n->arg = arg;
	return n;
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	loop_sock_close(&n->s);
	free(n);
}
