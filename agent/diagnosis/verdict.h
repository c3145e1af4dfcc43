/* SPDX-License-Identifier: BSD-2-Clause */
/* From evidence to a named topology, its NAT layers and what to do. Pure. */
#ifndef HOMEREACH_VERDICT_H
#define HOMEREACH_VERDICT_H

#include <stdbool.h>

#include "agent/diagnosis/evidence.h"

#define VERDICT_MAX_LINES	8
#define VERDICT_MAX_ADVICE	8

enum verdict_kind { V_PUBLIC, V_SINGLE_NAT, V_DOUBLE_NAT, V_CGNAT,
	V_NO_INTERNET, V_UNKNOWN, V_DSLITE };

struct advice {
	const char *id;
	const char *title;
	char detail[640];
};

#define VERDICT6_MAX_LINES	4
#define VERDICT_LINE		EV_LINE

/* The IPv6 way in (verdict6.c). */
enum v6_kind { V6_NOT_ASKED, V6_NO_ADDRESS, V6_NO_INTERNET, V6_OPEN,
	V6_BLOCKED, V6_UNCHECKED };

struct verdict6 {
	enum v6_kind kind;
	struct netaddr host;		/* this host's stable address */
	struct netaddr public_v6;	/* what outside observers agree on */
	bool translated;		/* ... and this host does not hold it */
	int observers;			/* that answered over IPv6 */
	const char *pinhole_via;	/* "pcp", "upnp" or NULL */
	char pinhole_why[2 * REASON_LEN + 32];	/* when NULL: each answer */
	char why[VERDICT6_MAX_LINES][VERDICT_LINE];
	int nwhy;
};

struct verdict {
	enum verdict_kind kind;
	int nat_layers;			/* -1 when not known */
	struct netaddr public_v4;	/* what outside observers agree on */
	bool inbound_possible;
	const struct gateway *home, *upstream;
	const struct gateway *carrier;	/* the carrier's NAT, when probed
					 * (the upstream router, or further
					 * out behind an ISP box) */
	char why[VERDICT_MAX_LINES][VERDICT_LINE];	/* the evidence that
							 * led here */
	int nwhy;
	struct advice advice[VERDICT_MAX_ADVICE];
	int nadvice;
	struct verdict6 v6;
};

void verdict_decide(const struct evidence *ev, struct verdict *v);
const char *verdict_name(enum verdict_kind kind);
/* The public IPv4 address is the carrier's, shared with other customers
 * (carrier NAT, DS-Lite): never published as this house's. */
bool verdict_ipv4_shared(enum verdict_kind kind);
/* 0 inbound can work, 1 topology blocks it, 3 nothing outside answered. */
int verdict_exit_code(const struct verdict *v);
#define verdict_add_why(v, ...) \
	evidence_line((v)->why, &(v)->nwhy, VERDICT_MAX_LINES, __VA_ARGS__)

void verdict6_decide(const struct evidence *ev, struct verdict6 *v);
const char *verdict6_name(enum v6_kind kind);

/* advice.c: fill v->advice for v->kind. */
void advice_decide(const struct evidence *ev, struct verdict *v);
/* The fix for a router without NAT loopback: a local DNS record for name
 * ("NAME" if NULL) at host, in the words of the common local resolvers. */
void advice_local_dns(char *buf, size_t len, const char *name,
    const struct netaddr *host);

#endif
