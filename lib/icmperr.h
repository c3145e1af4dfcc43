/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP errors that a UDP socket with IP_RECVERR has queued (Linux,
 * ip(7)): who answered, about which datagram. */
#ifndef HOMEREACH_ICMPERR_H
#define HOMEREACH_ICMPERR_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define ICMP_UNREACHABLE	3	/* RFC 792 */
#define ICMP_TIME_EXCEEDED	11

struct icmperr {
	uint8_t type, code;
	struct netaddr offender;	/* who sent the error */
	struct netaddr dest;		/* where the datagram was going */
	uint16_t dest_port;
	uint8_t payload[64];		/* its first bytes */
	size_t payload_len;
};

/* Ask the kernel to queue them for fd. */
void icmperr_enable(int fd);
/* The next ICMP error queued on fd: 1, or 0 when there is none. */
int icmperr_next(int fd, struct icmperr *e);

#endif
