/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A NETLINK_ROUTE socket in the address and route groups. The kernel's
 * messages only wake us: after they settle, the host's view (its IPv4
 * addresses, its first stable global IPv6 address, its default gateway)
 * is read again and compared, so that only a real change is reported.
 * Settled means quiet for NETLINK_QUIET_MS, or NETLINK_MAX_MS after the
 * first message of a burst: a renumbering applied in one step (address
 * added, old one removed, route replaced: microseconds apart) is read 15
 * ms after it, not 100 (the fixed delay before), and a client applying a
 * lease in steps a few ms apart keeps the view unread until it is done.
 * Only the kernel's messages count (sender port 0).
 */
#include "lib/netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/netif.h"
#include "lib/reason.h"
#include "lib/route.h"

#define NETLINK_QUIET_MS	15
#define NETLINK_MAX_MS		300

struct netlink_view {
	struct netif_addr v4[NETIF_MAX];
	int nv4;
	struct netaddr v6;		/* family 0: none */
	struct route_default rt;
};

struct netlink {
	struct loop_sock s;	/* timer: the settle delay */
	struct timespec burst;	/* the first message since the last read */
	bool stirred;		/* a message that may change the IPv6 address */
	struct timespec stir_at;	/* ... came then */
	struct netlink_view view;
	char ignore[IF_NAMESIZE];	/* an interface of ours: not the host's */
	void (*on_stir)(void *arg);
	netlink_cb *cb;
	void *arg;
};

/* The host's addresses, but for the interface of our own (a tunnel). */
static void
netlink_read_view(const struct netlink *n, struct netlink_view *v)
{
	char why[REASON_LEN];
	int k = 0;

	memset(v, 0, sizeof(*v));
	v->nv4 = netif_ipv4(v->v4, NETIF_MAX);
	for (int i = 0; i < v->nv4; i++)
		if (strcmp(v->v4[i].name, n->ignore) != 0)
			v->v4[k++] = v->v4[i];
	v->nv4 = k;
	netif_global_ipv6(&v->v6);
	if (route_read_default(&v->rt, why, sizeof(why)) < 0)
		memset(&v->rt, 0, sizeof(v->rt));
}

/* What differs: NL_CHANGED_* bits, and the first of them in words (NULL
 * when nothing does). */
static const char *
netlink_diff(const struct netlink_view *a, const struct netlink_view *b,
    unsigned *changes)
{
	const char *what = NULL;

	*changes = 0;
	if (!addr_equal(&a->rt.gateway, &b->rt.gateway) ||
	    strcmp(a->rt.ifname, b->rt.ifname) != 0) {
		*changes |= NL_CHANGED_ROUTE;
		what = "the default route changed";
	}
	if (!addr_equal(&a->v6, &b->v6)) {
		*changes |= NL_CHANGED_IPV6;
		what = what ? what : "this host's IPv6 address changed";
	}
	bool v4 = a->nv4 != b->nv4;
	for (int i = 0; i < a->nv4 && !v4; i++)
		v4 = !addr_equal(&a->v4[i].address, &b->v4[i].address);
	if (v4) {
		*changes |= NL_CHANGED_IPV4;
		what = what ? what : "this host's IPv4 addresses changed";
	}
	return what;
}

static void
netlink_on_settle(evutil_socket_t fd, short what, void *arg)
{
	struct netlink *n = arg;
	struct netlink_view now;
	const char *change;
	unsigned changes;

	(void)fd, (void)what;
	netlink_read_view(n, &now);
	change = netlink_diff(&n->view, &now, &changes);
	n->view = now;
	if (change == NULL && n->stirred &&
	    clock_ms_since(&n->stir_at) < NETLINK_MAX_MS) {
		/* The rest of the renumbering may still come. */
		loop_after(n->s.timer, NETLINK_MAX_MS -
		    clock_ms_since(&n->stir_at));
		return;
	}
	if (change != NULL || n->stirred)
		n->cb(change, changes, n->arg);
	n->stirred = false;
}

/* One datagram: 1 from the kernel (stirs set when it may change the IPv6
 * address), 0 from anyone else, -1 nothing more to read. */
static int
netlink_recv(struct netlink *n, int fd, bool *stirs)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t len = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fl);

	if (len < 0)
		return errno == ENOBUFS ? 1 : -1;	/* missed some: look */
	if (fl != sizeof(from) || from.nl_pid != 0)
		return 0;
	*stirs = *stirs || netlink_parse_stirs(buf, (size_t)len, &n->view.v6);
	return 1;
}

static void
netlink_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct netlink *n = arg;
	bool woke = false, stirs = false;
	int rc;

	(void)what;
	while ((rc = netlink_recv(n, fd, &stirs)) >= 0)
		woke = woke || rc == 1;
	if (!woke)
		return;
	if (!evtimer_pending(n->s.timer, NULL))
		clock_gettime(CLOCK_MONOTONIC, &n->burst);
	if (clock_ms_since(&n->burst) < NETLINK_MAX_MS - NETLINK_QUIET_MS)
		loop_after(n->s.timer, NETLINK_QUIET_MS);
	if (stirs && !n->stirred && n->on_stir != NULL) {
		n->stirred = true;
		clock_gettime(CLOCK_MONOTONIC, &n->stir_at);
		n->on_stir(n->arg);
	}
}

void
netlink_on_stir(struct netlink *n, void (*stirred)(void *arg))
{
	n->on_stir = stirred;
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
	netlink_read_view(n, &n->view);
	return n;
}

void
netlink_ignore(struct netlink *n, const char *ifname)
{
	snprintf(n->ignore, sizeof(n->ignore), "%s", ifname);
	netlink_read_view(n, &n->view);
}

void
netlink_free(struct netlink *n)
{
	if (n == NULL)
		return;
	loop_sock_close(&n->s);
	free(n);
}
