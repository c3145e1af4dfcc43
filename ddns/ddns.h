/* SPDX-License-Identifier: BSD-2-Clause */
/* The DDNS update engine: when to send an update, and what an answer
 * means for the next one. Pure: no I/O, so every rule has a unit test. */
#ifndef HOMEREACH_DDNS_H
#define HOMEREACH_DDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ddns/ddnsconf.h"
#include "lib/addr.h"

/* What a provider's answer means (dyndns2-codes.md, RFC 2136 rcodes). */
enum ddns_outcome {
	DDNS_OK,		/* updated ("good") */
	DDNS_NOCHG,		/* already current ("nochg") */
	DDNS_STOP,		/* fatal: nothing more until the config changes */
	DDNS_RETRY,		/* transient: back off exponentially */
	DDNS_RETRY_LONG,	/* "911": not sooner than 30 minutes */
	DDNS_RETRY_FEW,		/* transient, but it stops when it comes twice
				 * running after three failures in a row (an
				 * unsigned refusal: one may be forged, three
				 * are the server's) */
};

/* One record's memory, kept in the state file across restarts. */
struct ddns_state {
	char name[64];
	int family;			/* AF_INET (A) or AF_INET6 (AAAA) */
	struct netaddr published;	/* last address the provider took */
	int64_t published_at;
	char last_result[48];		/* "good", "badauth", "SERVFAIL", ... */
	int64_t last_time;
	int64_t next_attempt;		/* no update before this (back-off) */
	uint32_t failures;		/* in a row, for the back-off */
	uint64_t stopped_hash;		/* config hash when stopped, else 0 */
	uint16_t published_port;	/* redirect: the port it took */
	uint32_t published_srv;		/* the SRV records it took (their
					 * ddns_srv_hash), 0: none */
};

enum ddns_action {
	DDNS_SEND,
	DDNS_UNCHANGED,		/* the provider has this address already */
	DDNS_STOPPED,		/* stopped by a fatal answer */
	DDNS_WAITING,		/* backing off */
	DDNS_REFUSED,		/* an address we must not publish */
	DDNS_WITHDRAW,		/* delete what was published: nothing
				 * answers there now */
};

struct ddns_decision {
	enum ddns_action action;
	char why[200];
};

/* Beside an A record, where each service is (RFC 2782):
 * _SERVICE._PROTO.HOSTNAME SRV 0 0 PORT HOSTNAME. */
#define DDNS_MAX_SRV	32
/* The agent's one line of options to its DNS helper, at most. */
#define DDNS_HELPER_LINE	4096
struct ddns_srv {
	char service[64];		/* a DNS label */
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;			/* where strangers reach it; 0: no
					 * way in now, its record deleted */
};

/* What a record publishes: an address, and for a redirect record the
 * external port of its service (0 for other records); for an A record of
 * a provider that writes them, the services' SRV records. */
struct ddns_target {
	struct netaddr addr;		/* family 0: none found */
	uint16_t port;
	struct ddns_srv srv[DDNS_MAX_SRV];
	int nsrv;
	uint16_t https_port;		/* a web site over TLS (port 443): an
					 * HTTPS record (RFC 9460) at the name
					 * with this port, 0: none */
	uint32_t srv_hash;		/* ddns_srv_hash of them, 0: none */
	bool https_gone;		/* a web site over TLS with no way in:
					 * the HTTPS record deleted */
	bool withdraw;			/* delete the address and the records
					 * beside it, publish nothing */
};
/* A hash of the SRV records with a port and the HTTPS record's port
 * (never 0 for some, 0 for none): a change sends the record again. */
uint32_t ddns_srv_hash(const struct ddns_srv *srv, int n, uint16_t https);

/* Decide for one record and family; cgnat: the verdict said
 * carrier-grade NAT. */
void ddns_decide(const struct ddns_config *r, const struct ddns_state *st,
    const struct ddns_target *t, bool cgnat, int64_t now, bool force,
    struct ddns_decision *d);
/* Fold an answer into the state; jitter in [0, 1) spreads retries. */
void ddns_apply(const struct ddns_config *r, struct ddns_state *st,
    const struct ddns_target *sent, enum ddns_outcome outcome,
    const char *result, int64_t now, double jitter);
const char *ddns_action_name(enum ddns_action a);
/* The address r publishes for family, from this host's public v4 and its
 * stable v6: for an AAAA with an interface identifier, the /64 of v6
 * joined to it (the printer, the camera behind the same prefix). */
void ddns_record_addr(const struct ddns_config *r, int family,
    const struct netaddr *v4, const struct netaddr *v6, struct netaddr *out);
/* An interface identifier from ipv6_suffix ("::1234": an IPv6 address
 * within ::/64, not ::) or ipv6_eui64 (a MAC, "00:11:22:33:44:55", made
 * EUI-64 as RFC 4291 appendix A says). 0, or -1. Pure. */
int ddns_iid_from_suffix(const char *text, uint8_t iid[8]);
int ddns_iid_from_mac(const char *text, uint8_t iid[8]);
/* What happens next to the record, in words, for status. */
void ddns_next_text(const struct ddns_config *r, const struct ddns_state *d,
    int64_t now, char *buf, size_t len);

#endif
