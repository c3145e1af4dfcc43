/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The socket error queue, read in one place: the hop probe learns the
 * routers on the way from it, the UPnP probe that nothing listens for
 * SSDP, and STUN that a request was not delivered.
 */
#include "lib/icmperr.h"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

void
icmperr_enable(int fd)
{
	int on = 1;

	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
}

int
icmperr_next(int fd, struct icmperr *e)
{
	uint8_t control[512];
	struct sockaddr_storage dest;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;

	for (;;) {
		memset(e, 0, sizeof(*e));
		iov = (struct iovec){ e->payload, sizeof(e->payload) };
		msg = (struct msghdr){ .msg_name = &dest, .msg_namelen = sizeof(dest),
		    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
		    .msg_controllen = sizeof(control) };
		if ((n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT)) < 0)
			return 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
		    c = CMSG_NXTHDR(&msg, c)) {
			struct sock_extended_err *ee = (void *)CMSG_DATA(c);
			if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_RECVERR ||
			    ee->ee_origin != SO_EE_ORIGIN_ICMP)
				continue;
			e->type = ee->ee_type;
			e->code = ee->ee_code;
			addr_from_sockaddr(SO_EE_OFFENDER(ee), &e->offender, NULL);
			addr_from_sockaddr((struct sockaddr *)&dest, &e->dest,
			    &e->dest_port);
			e->payload_len = (size_t)n;
			return 1;
		}
	}
}
