/* SPDX-License-Identifier: BSD-2-Clause */
/* One UDP request/reply exchange on a connected socket, retransmitted at
 * 250 ms doubling (RFC 6886 section 3.1, RFC 6887 section 8.1.1). */
#ifndef HOMEREACH_EXCHANGE_H
#define HOMEREACH_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct exchange;

struct exchange_ops {
	int (*send)(int fd, void *arg);		/* 0, or -errno */
	/* 1: a valid answer, the exchange is over; 0: keep waiting */
	int (*parse)(const uint8_t *buf, size_t len, void *arg);
	/* 0 answered, -ETIMEDOUT, -ECONNREFUSED (ICMP port unreachable) */
	void (*done)(int status, void *arg);
};

/* Sends at once; done runs once, later, from the loop. fd stays the
 * caller's. */
struct exchange *exchange_start(struct event_base *base, int fd,
    int timeout_ms, const struct exchange_ops *ops, void *arg);
void exchange_free(struct exchange *x);
/* Send again in ms (an answer that said "not yet"), then go on with the
 * retransmission schedule where it was. */
void exchange_again(struct exchange *x, int ms);

#endif
