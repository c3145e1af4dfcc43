/* SPDX-License-Identifier: BSD-2-Clause */
/* STUN binding probe of one server, with RFC 5780 behaviour discovery. */
#ifndef HOMEREACH_STUNPROBE_H
#define HOMEREACH_STUNPROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/reason.h"
#include "lib/stun.h"

/* RFC 4787 behaviour, as the RFC 5780 tests find it. */
enum nat_behaviour { BEH_UNKNOWN, BEH_ENDPOINT_INDEPENDENT,
	BEH_ADDRESS_DEPENDENT, BEH_ADDRESS_PORT_DEPENDENT };


struct event_base;
struct evdns_base;
struct stunprobe;

struct stun_result {
	const char *server;		/* as configured */
	bool ok;
	bool no_address;		/* a name without an IPv6 address */
	struct netaddr server_addr;
	uint16_t server_port;
	struct netaddr reflexive;
	uint16_t reflexive_port;
	bool has_other;			/* the server offered OTHER-ADDRESS */
	enum nat_behaviour mapping, filtering;
	int rtt_ms;
	char error[REASON_LEN];
};

typedef void stun_result_cb(const struct stun_result *r, void *arg);

/* STUNPROBE_BEHAVIOUR: also run the RFC 5780 mapping and filtering tests,
 * when the server offers OTHER-ADDRESS (they wait for answers that may not
 * come). STUNPROBE_URGENT: a first retransmission after 25 ms, not 100 (a
 * check after an announcement, while the router's WAN side may still be
 * coming up and drop the first request without a word). */
enum { STUNPROBE_BEHAVIOUR = 1, STUNPROBE_URGENT = 2 };
/* source: NULL asks over IPv4 from the kernel's choice of address; an
 * address asks from it, in its family (a name is looked up in that family;
 * an address literal of the other family fails at once). */
struct stunprobe *stunprobe_start(struct event_base *base,
    struct evdns_base *dns, const char *server, const struct netaddr *source,
    int timeout_ms, int flags, stun_result_cb *cb, void *arg);
/* The same from two given local ports: socket A's (the binding and the
 * mapping tests) and socket B's (the filtering tests), as a router's
 * mapping of B lets the filtering tests see past it to the NAT in front. */
struct stunprobe *stunprobe_start_ports(struct event_base *base,
    struct evdns_base *dns, const char *server, const struct netaddr *source,
    const uint16_t *ports, int timeout_ms, int flags, stun_result_cb *cb,
    void *arg);
void stunprobe_free(struct stunprobe *p);

#endif
