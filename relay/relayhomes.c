/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relayhomes.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/base64.h"

static int
rh_fail(char *why, size_t whylen, const char *text)
{
	snprintf(why, whylen, "%s", text);
	return -1;
}

static bool
rh_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

static bool
rh_key_ok(const char *s)
{
	uint8_t raw[48];

	return strlen(s) == RELAY_KEY_LEN && base64_decode(s, raw, sizeof(raw)) == 32;
}

int
relayhomes_line(const char *line, struct relay_home *h, char *why,
    size_t whylen)
{
	char name[80], key[80], addr[32], extra;
	unsigned a[4], lo, hi;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '\n' || *line == '#')
		return 0;
	memset(h, 0, sizeof(*h));
	if (sscanf(line, "%79s %79s %31s %u-%u %c", name, key, addr, &lo, &hi,
	    &extra) != 5)
		return rh_fail(why, whylen, "want NAME PUBLIC-KEY ADDRESS LOW-HIGH");
	if (strlen(name) >= sizeof(h->name) || !rh_name_ok(name))
		return rh_fail(why, whylen, "a name is letters, digits, - _ .");
	if (!rh_key_ok(key))
		return rh_fail(why, whylen, "not a WireGuard public key (44 "
		    "characters of base64)");
	if (sscanf(addr, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &extra) != 4 ||
	    a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255)
		return rh_fail(why, whylen, "not an IPv4 address");
	if (lo < 1 || hi > 65535 || lo > hi)
		return rh_fail(why, whylen, "ports: want LOW-HIGH within 1-65535");
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->key, sizeof(h->key), "%s", key);
	for (int i = 0; i < 4; i++)
		h->address[i] = (uint8_t)a[i];
	h->port_lo = (uint16_t)lo;
	h->port_hi = (uint16_t)hi;
	return 1;
}

/* Does h fit the relay, and take nothing another home has? */
static const char *
rh_conflict(const struct relay_home *h, const struct relay_home *homes, int n,
    const struct relay_config *c)
{
	if (memcmp(h->address, c->subnet, 3) != 0 || h->address[3] < 2 ||
	    h->address[3] == 255)
		return "its address is not a home's in the relay's subnet";
	if (h->port_lo < c->port_lo || h->port_hi > c->port_hi)
		return "its ports are not within the relay's";
	for (int i = 0; i < n; i++) {
		if (!strcmp(homes[i].name, h->name))
			return "another home has this name";
		if (!strcmp(homes[i].key, h->key))
			return "another home has this key";
		if (!memcmp(homes[i].address, h->address, 4))
			return "another home has this address";
		if (h->port_lo <= homes[i].port_hi && homes[i].port_lo <= h->port_hi)
			return "another home has one of these ports";
	}
	return NULL;
}

int
relayhomes_parse(const char *text, size_t len, const struct relay_config *c,
    struct relay_home *homes, int max, char *why, size_t whylen)
{
	char line[512], sub[160];
	struct relay_home spare;
	size_t at = 0;
	int n = 0, lineno = 0, rc;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t k = (nl ? (size_t)(nl - text) : len) - at;
		const char *bad;
		lineno++;
		if (k >= sizeof(line)) {
			snprintf(why, whylen, "line %d: longer than %zu bytes", lineno,
			    sizeof(line) - 1);
			return -1;
		}
		memcpy(line, text + at, k);
		line[k] = '\0';
		at += k + (nl != NULL);
		rc = relayhomes_line(line, n < max ? &homes[n] : &spare, sub,
		    sizeof(sub));
		if (rc == 0)
			continue;
		if (rc > 0 && n == max) {
			snprintf(why, whylen, "line %d: more than %d homes", lineno, max);
			return -1;
		}
		bad = rc < 0 ? sub : rh_conflict(&homes[n], homes, n, c);
		if (bad != NULL) {
			snprintf(why, whylen, "line %d: %s", lineno, bad);
			return -1;
		}
		n++;
	}
	return n;
}

int
relayhomes_next(const struct relay_home *homes, int n,
    const struct relay_config *c, int quota, struct relay_home *h,
    char *why, size_t whylen)
{
	bool found = false;

	memcpy(h->address, c->subnet, 3);
	for (int last = 2; last < 255 && !found; last++) {
		found = true;
		for (int i = 0; i < n && found; i++)
			found = homes[i].address[3] != last;
		h->address[3] = (uint8_t)last;
	}
	if (!found)
		return rh_fail(why, whylen, "the subnet has no address left");
	for (unsigned lo = c->port_lo; lo + (unsigned)quota - 1 <= c->port_hi;
	    lo++) {
		unsigned hi = lo + (unsigned)quota - 1;
		bool free_ = true;
		for (int i = 0; i < n && free_; i++)
			if (lo <= homes[i].port_hi && homes[i].port_lo <= hi) {
				free_ = false;
				lo = homes[i].port_hi;	/* past it */
			}
		if (free_) {
			h->port_lo = (uint16_t)lo;
			h->port_hi = (uint16_t)hi;
			return 0;
		}
	}
	return rh_fail(why, whylen, "the relay's ports are all given");
}

int
relayhomes_format(const struct relay_home *h, char *buf, size_t len)
{
	return snprintf(buf, len, "%s %s %u.%u.%u.%u %u-%u\n", h->name, h->key,
	    h->address[0], h->address[1], h->address[2], h->address[3],
	    h->port_lo, h->port_hi);
}
