/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A misbehaving STUN server for the lab: answers each Binding request in
 * one bad way, to show that homereach rejects it with a reason.
 *   fakestun MODE ADDR PORT [FROM_ADDR]
 * MODE: garbage | wrongtxid | private | big | spoof (reply from FROM_ADDR)
 * | liar (a well-formed answer naming 6.6.6.6, a public address not ours)
 * and, as a NAT-PMP gateway on port 5351: natpmp-short (11-byte reply),
 * natpmp-version (a version 1 reply), natpmp-spoof (a good reply, sent
 * from FROM_ADDR).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/stun.h"

static int
udp_bind(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), on = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    bind(fd, (void *)&sin, sizeof(sin)) < 0) {
		perror(addr);
		exit(1);
	}
	return fd;
}

/* A Binding success with XOR-MAPPED-ADDRESS ip:port for txid. */
static size_t
success(uint8_t *b, const uint8_t *txid, uint32_t ip, uint16_t port)
{
	uint32_t magic = htonl(STUN_MAGIC), xip = ip ^ magic;
	uint16_t xport = htons(port ^ (STUN_MAGIC >> 16));

	memcpy(b, "\x01\x01\x00\x0c", 4);
	memcpy(b + 4, &magic, 4);
	memcpy(b + 8, txid, 12);
	memcpy(b + 20, "\x00\x20\x00\x08\x00\x01", 6);
	memcpy(b + 26, &xport, 2);
	memcpy(b + 28, &xip, 4);
	return 32;
}

int
main(int argc, char *argv[])
{
	uint8_t in[1500], out[4000];
	struct sockaddr_in peer;
	socklen_t pl;
	int fd, from;

	if (argc < 4) {
		fprintf(stderr, "usage: fakestun MODE ADDR PORT [FROM_ADDR]\n");
		return 2;
	}
	fd = udp_bind(argv[2], atoi(argv[3]));
	from = argc > 4 ? udp_bind(argv[4], atoi(argv[3])) : fd;
	for (;;) {
		size_t n = 0;
		pl = sizeof(peer);
		ssize_t got = recvfrom(fd, in, sizeof(in), 0, (void *)&peer, &pl);
		if (strncmp(argv[1], "natpmp-", 7) == 0 && got >= 2) {
			/* external address reply, epoch 3600, 5.0.1.2 */
			memcpy(out, "\x00\x80\x00\x00\x00\x00\x0e\x10\x05\x00\x01\x02", 12);
			n = 12;
			if (strcmp(argv[1], "natpmp-short") == 0)
				n = 11;
			else if (strcmp(argv[1], "natpmp-version") == 0)
				out[0] = 1;
			sendto(from, out, n, 0, (void *)&peer, pl);
			continue;
		}
		if (got < 20)
			continue;
		if (strcmp(argv[1], "garbage") == 0) {
			memset(out, 0xa5, 48);
			n = 48;
		} else if (strcmp(argv[1], "wrongtxid") == 0) {
			in[8] ^= 0xff;
			n = success(out, in + 8, peer.sin_addr.s_addr, ntohs(peer.sin_port));
		} else if (strcmp(argv[1], "private") == 0) {
			n = success(out, in + 8, htonl(0x0a000001), 4242);
		} else if (strcmp(argv[1], "liar") == 0) {
			n = success(out, in + 8, htonl(0x06060606), ntohs(peer.sin_port));
		} else if (strcmp(argv[1], "big") == 0) {
			memset(out, 0, sizeof(out));
			n = sizeof(out);
		} else {	/* spoof: right answer, wrong source */
			n = success(out, in + 8, peer.sin_addr.s_addr, ntohs(peer.sin_port));
		}
		sendto(from, out, n, 0, (void *)&peer, pl);
	}
}
