/* SPDX-License-Identifier: BSD-2-Clause */
#include "nat/portsock.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "nat/natpmp.h"

int
portsock_open(const struct netaddr *gateway, const struct netaddr *from,
    struct netaddr *client)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(gateway, NATPMP_UDP_PORT, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -1;
	if (from != NULL && from->family == gateway->family) {
		struct sockaddr_storage fs;
		socklen_t fl = addr_to_sockaddr(from, 0, &fs);
		if (bind(fd, (struct sockaddr *)&fs, fl) < 0)
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		goto fail;
	addr_from_sockaddr((struct sockaddr *)&ss, client, NULL);
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;			/* the caller tells EADDRNOTAVAIL apart */
	return -1;
}

int
portsock_natpmp(natpmp_t *n, const struct netaddr *gateway)
{
	in_addr_t gw;

	if (gateway->family != AF_INET)
		return -1;
	memcpy(&gw, gateway->bytes, 4);
	return initnatpmp(n, 1, gw) < 0 ? -1 : 0;
}

int
portsock_multicast(uint16_t port, uint32_t group, const struct netaddr *local)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct ip_mreqn mreq = { .imr_multiaddr.s_addr = group };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int on = 1;

	if (fd < 0)
		return -1;
	if (local != NULL && local->family == AF_INET)
		memcpy(&mreq.imr_address, local->bytes, 4);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
	    sizeof(mreq)) < 0) {
		log_warn("cannot listen on UDP port %u", port);
		close(fd);
		return -1;
	}
	return fd;
}
