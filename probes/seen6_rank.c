/* SPDX-License-Identifier: BSD-2-Clause */
/* Which of this host's IPv6 addresses to ask about first: pure. */
#include "probes/seen6.h"

static void
seen6_rank_pass(const struct netif_addr6 *all, int n,
    const struct netaddr *current, bool deprecated, struct netif_addr6 *out,
    int *k, int max)
{
	for (int first = 1; first >= 0; first--)
		for (int i = 0; i < n && *k < max; i++)
			if (!all[i].temporary && all[i].deprecated == deprecated &&
			    addr_equal(&all[i].address, current) == first)
				out[(*k)++] = all[i];
}

int
seen6_rank(const struct netif_addr6 *all, int n, const struct netaddr *current,
    struct netif_addr6 *out, int max)
{
	static const struct netaddr none;
	int k = 0;

	if (current == NULL)
		current = &none;
	seen6_rank_pass(all, n, current, false, out, &k, max);
	seen6_rank_pass(all, n, current, true, out, &k, max);
	return k;
}

bool
seen6_stale(const struct netif_addr6 *all, int n, const struct netaddr *current)
{
	if (current == NULL || current->family == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (addr_equal(&all[i].address, current))
			return all[i].deprecated;
	return true;
}
