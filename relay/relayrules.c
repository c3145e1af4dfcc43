/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relayrules.h"

#include <stdio.h>
#include <string.h>

#include "lib/names.h"

int
relayrules_text(const struct relay_config *c, const char *public_ip,
    const struct relay_home *homes, int n, const struct relay_grant *g,
    int ng, char *buf, size_t len)
{
	const char *i = c->interface;
	size_t at = 0;

#define ADD(...) do { int k = snprintf(buf + at, at < len ? len - at : 0, \
	__VA_ARGS__); at += k > 0 ? (size_t)k : 0; } while (0)
	/* The table is made (if absent), then deleted and made anew: one
	 * transaction, nothing between. */
	ADD("table ip %s {}\ndelete table ip %s\ntable ip %s {\n", RELAY_TABLE,
	    RELAY_TABLE, RELAY_TABLE);
	ADD(" chain visitors { type nat hook prerouting priority dstnat; "
	    "policy accept;\n");
	for (int j = 0; j < ng; j++) {
		const uint8_t *a = NULL;
		for (int h = 0; h < n && a == NULL; h++)
			if (!strcmp(homes[h].key, g[j].key))
				a = homes[h].address;
		if (a != NULL && g[j].until != 0)
			ADD("  ip daddr %s %s dport %u dnat to %u.%u.%u.%u:%u\n",
			    public_ip, proto_name(g[j].protocol),
			    g[j].public_port, a[0], a[1], a[2], a[3],
			    g[j].internal_port);
	}
	ADD(" }\n chain through { type filter hook forward priority filter; "
	    "policy accept;\n");
	ADD("  oifname \"%s\" ct state new ct status dnat accept\n", i);
	ADD("  iifname \"%s\" ct state established,related accept\n", i);
	ADD("  oifname \"%s\" ct state established,related accept\n", i);
	ADD("  iifname \"%s\" drop\n  oifname \"%s\" drop\n }\n", i, i);
	ADD(" chain mine { type filter hook input priority filter; "
	    "policy accept;\n");
	ADD("  iifname \"%s\" udp dport 5351 accept\n", i);
	ADD("  iifname \"%s\" ct state established,related accept\n", i);
	ADD("  iifname \"%s\" drop\n }\n}\n", i);
#undef ADD
	return at < len ? (int)at : -1;
}
