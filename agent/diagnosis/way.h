/* SPDX-License-Identifier: BSD-2-Clause */
/* The way out as a row of nodes: this host, each router on the path up to
 * the first public hop, the internet. One model for the text report, the
 * SVG picture and the JSON the status page draws. Pure. */
#ifndef HOMEREACH_WAY_H
#define HOMEREACH_WAY_H

#include <stdio.h>

#include "agent/diagnosis/verdict.h"

#define WAY_MAX		(EV_MAX_HOPS + 2)

enum way_state { WAY_OK, WAY_WARN, WAY_BAD, WAY_PLAIN };

struct way_node {
	const char *role;	/* "this host", "home router", "ISP router",
				 * "carrier NAT", "router", "internet" */
	struct netaddr address;
	char detail[160];	/* model, what it maps by, WAN; or the state */
	enum way_state state;
};

/* The nodes into out (at most max); their number. */
int way_nodes(const struct evidence *ev, const struct verdict *v,
    struct way_node *out, int max);
const char *way_state_name(enum way_state s);
/* "Way in: this host 192.168.1.10\n  -> home router ..." */
void way_text(FILE *out, const struct way_node *n, int count);
/* A picture that stands alone (its style inside), to share. */
void way_svg(FILE *out, const struct way_node *n, int count);

#endif
