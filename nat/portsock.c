#include "nat/portsock.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nat/natpmp.h"

int
portsock_open(const struct netaddr *gateway, struct netaddr *client)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(gateway, NATPMP_UDP_PORT, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		goto fail;
	addr_from_sockaddr((struct sockaddr *)&ss, client, NULL);
	return fd;
fail:
	close(fd);
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
