/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relaygrants.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/names.h"
#include "lib/reason.h"
#include "nat/pcp.h"

static const struct relay_home *
rg_home(const struct relay_home *homes, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(homes[i].key, key))
			return &homes[i];
	return NULL;
}

static int
rg_find_port(const struct relay_grant *g, int n, uint8_t protocol,
    uint16_t port)
{
	for (int i = 0; i < n; i++)
		if (g[i].protocol == protocol && g[i].public_port == port)
			return i;
	return -1;
}

/* One line: 1 a grant, 0 blank or a comment, -1 with why. */
static int
rg_line(const char *line, struct relay_grant *g, char *why, size_t whylen)
{
	char key[RELAY_KEY_LEN + 2], proto[8], end;
	unsigned in, pub;

	line += strspn(line, " \t");
	if (*line == '\0' || *line == '#')
		return 0;
	if (sscanf(line, "%45s %7s %u %u %c", key, proto, &in, &pub, &end) != 4 ||
	    strlen(key) != RELAY_KEY_LEN)
		return reason(why, whylen, "want \"KEY tcp|udp INTERNAL PUBLIC\"");
	if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return reason(why, whylen, "protocol \"%s\": tcp or udp", proto);
	if (in < 1 || in > 65535 || pub < 1 || pub > 65535)
		return reason(why, whylen, "port out of 1-65535");
	memset(g, 0, sizeof(*g));
	memcpy(g->key, key, RELAY_KEY_LEN + 1);
	g->protocol = proto[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
	g->internal_port = (uint16_t)in;
	g->public_port = (uint16_t)pub;
	return 1;
}

int
relaygrants_parse(const char *text, size_t len,
    const struct relay_home *homes, int nhomes, struct relay_grant *g, int max,
    time_t now, char *why, size_t whylen)
{
	char line[256], at[REASON_LEN];
	size_t i = 0;
	int n = 0, lineno = 0;

	while (i < len) {
		size_t k = 0;
		const struct relay_home *h;
		struct relay_grant one;

		while (i < len && text[i] != '\n')
			if (k + 1 < sizeof(line))
				line[k++] = text[i++];
			else
				i++;
		line[k] = '\0';
		i++, lineno++;
		int rc = rg_line(line, &one, at, sizeof(at));
		if (rc < 0) {
			reason(why, whylen, "line %d: %s", lineno, at);
			return -1;
		}
		if (rc == 0 || (h = rg_home(homes, nhomes, one.key)) == NULL ||
		    one.public_port < h->port_lo || one.public_port > h->port_hi ||
		    rg_find_port(g, n, one.protocol, one.public_port) >= 0)
			continue;	/* a home gone, or a port no longer its */
		if (n == max) {
			reason(why, whylen, "line %d: more than %d grants", lineno,
			    max);
			return -1;
		}
		one.asked = now;
		g[n++] = one;
	}
	return n;
}

int
relaygrants_format(const struct relay_grant *g, int n, char *buf, size_t len)
{
	size_t at = 0;

	if (len > 0)
		buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		int k = snprintf(buf + at, len - at, "%s %s %u %u\n", g[i].key,
		    proto_name(g[i].protocol), g[i].internal_port,
		    g[i].public_port);
		if (k < 0 || (size_t)k >= len - at)
			return -1;
		at += (size_t)k;
	}
	return (int)at;
}

/* A free port of h's for protocol, the suggested one first; 0 if none. */
static uint16_t
rg_free_port(const struct relay_grant *g, int n, const struct relay_home *h,
    uint8_t protocol, uint16_t suggested)
{
	if (suggested >= h->port_lo && suggested <= h->port_hi &&
	    rg_find_port(g, n, protocol, suggested) < 0)
		return suggested;
	for (unsigned p = h->port_lo; p <= h->port_hi; p++)
		if (rg_find_port(g, n, protocol, (uint16_t)p) < 0)
			return (uint16_t)p;
	return 0;
}

/* h's dormant grant for protocol asked for longest ago, and not in
 * RELAYGRANTS_KEEP_S; or -1. */
static int
rg_oldest_dormant(const struct relay_grant *g, int n, const char *key,
    uint8_t protocol, time_t now)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (g[i].until == 0 && g[i].protocol == protocol &&
		    g[i].asked + RELAYGRANTS_KEEP_S <= now &&
		    !strcmp(g[i].key, key) && (best < 0 ||
		    g[i].asked < g[best].asked))
			best = i;
	return best;
}

int
relaygrants_ask(struct relay_grant *g, int *n, int max,
    const struct relay_home *h, uint8_t protocol, uint16_t internal,
    uint16_t suggested, time_t until, time_t now)
{
	int i = 0;
	uint16_t port;

	while (i < *n && !(g[i].protocol == protocol &&
	    g[i].internal_port == internal && !strcmp(g[i].key, h->key)))
		i++;
	if (i == *n) {
		if (until == 0)
			return RELAYGRANTS_NONE;
		if ((port = rg_free_port(g, *n, h, protocol, suggested)) != 0 &&
		    *n < max)
			i = (*n)++;
		else if ((i = rg_oldest_dormant(g, *n, h->key, protocol, now)) < 0)
			return -PCP_USER_EX_QUOTA;
		else
			port = g[i].public_port;
		memset(&g[i], 0, sizeof(g[i]));
		memcpy(g[i].key, h->key, sizeof(g[i].key));
		g[i].protocol = protocol;
		g[i].internal_port = internal;
		g[i].public_port = port;
	}
	g[i].until = until;
	g[i].asked = now;
	return i;
}

int
relaygrants_expire(struct relay_grant *g, int n, time_t now)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (g[i].until != 0 && g[i].until <= now) {
			g[i].until = 0;
			k++;
		}
	return k;
}

int
relaygrants_keep_homes(struct relay_grant *g, int n,
    const struct relay_home *homes, int nhomes)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		const struct relay_home *h = rg_home(homes, nhomes, g[i].key);
		if (h != NULL && g[i].public_port >= h->port_lo &&
		    g[i].public_port <= h->port_hi)
			g[k++] = g[i];
	}
	return k;
}
