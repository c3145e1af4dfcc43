/*
 * A NETLINK_ROUTE socket in the address and route groups. The kernel's
 * messages only wake us: after they settle, the host's view (its IPv4
 * addresses, its first stable global IPv6 address, its default gateway)
 * is read again and compared, so that only a real change is reported.
 */
#include "lib/netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/reason.h"
#include "lib/route.h"

#define NETLINK_SETTLE_MS	100

struct netlink_view {
	struct netif_addr v4[NETIF_MAX];
	int nv4;
	struct netaddr v6;		/* family 0: none */
	struct route_default rt;
};

struct netlink {
	struct loop_sock s;	/* timer: the settle delay */
	struct netlink_view view;
	netlink_cb *cb;
	void *arg;
};

static void
netlink_read_view(struct netlink_view *v)
{
	char why[REASON_LEN];

	memset(v, 0, sizeof(*v));
	v->nv4 = netif_ipv4(v->v4, NETIF_MAX);
	netif_global_ipv6(&v->v6);
	if (route_read_default(&v->rt, why, sizeof(why)) < 0)
		memset(&v->rt, 0, sizeof(v->rt));
}

/* What differs, in words, or NULL. */
static const char *
netlink_diff(const struct netlink_view *a, const struct netlink_view *b)
{
	if (!addr_equal(&a->rt.gateway, &b->rt.gateway) ||
	    strcmp(a->rt.ifname, b->rt.ifname) != 0)
		return "the default route changed";
	if (!addr_equal(&a->v6, &b->v6))
		return "this host's IPv6 address changed";
	if (a->nv4 != b->nv4)
		return "this host's IPv4 addresses changed";
	for (int i = 0; i < a->nv4; i++)
		if (!addr_equal(&a->v4[i].address, &b->v4[i].address))
			return "this host's IPv4 addresses changed";
	return NULL;
}

static void
netlink_on_settle(evutil_socket_t fd, short what, void *arg)
{
	struct netlink *n = arg;
	struct netlink_view now;
	const char *change;

	(void)fd, (void)what;
	netlink_read_view(&now);
	change = netlink_diff(&n->view, &now);
	n->view = now;
	if (change != NULL)
		n->cb(change, n->arg);
}

static void
netlink_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct netlink *n = arg;
	char buf[8192];
	ssize_t len;
	bool woke = false;

	(void)what;
	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		woke = true;
	if (len < 0 && errno == ENOBUFS)
		woke = true;	/* we missed some: look anyway */
	if (woke && !evtimer_pending(n->s.timer, NULL))
		loop_after(n->s.timer, NETLINK_SETTLE_MS);
}

struct netlink *
netlink_start(struct event_base *base, netlink_cb *cb, void *arg)
{
	static const struct loop_sock_cbs cbs = {
		.io = netlink_on_read, .timer = netlink_on_settle
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
	    .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
	    RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE };
	struct netlink *n = calloc(1, sizeof(*n));
	int fd;

	if (n == NULL)
		return NULL;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_warn("netlink");
		if (fd >= 0)
			close(fd);
		free(n);
		return NULL;
	}
	if (loop_sock_open(&n->s, base, fd, true, &cbs, n) < 0) {
		log_warnx("netlink: out of memory");
		free(n);
		return NULL;
	}
	n->cb = cb;
	n->arg = arg;
	netlink_read_view(&n->view);
	return n;
}

void
netlink_free(struct netlink *n)
{
	if (n == NULL)
		return;
	loop_sock_close(&n->s);
	free(n);
}
