/* SPDX-License-Identifier: BSD-2-Clause */
/* The events' names: one table for the timeline, JSON and the config. */
#include "agent/config/happening.h"

#include <stdio.h>
#include <string.h>

#include "lib/names.h"

static const char *const names[HAP_KINDS] = { "address-changed",
    "topology-changed", "mapping-lost", "mapping-restored", "record-updated",
    "record-failed", "check-failed", "record-withdrawn", "relay-changed" };

const char *
happening_name(enum happening kind)
{
	return NAME_OF(names, kind, "unknown");
}

static int
happening_word(const char *w, size_t n, unsigned *mask)
{
	if (n == 3 && !strncmp(w, "all", 3)) {
		*mask |= HAP_ALL;
		return 0;
	}
	for (int k = 0; k < HAP_KINDS; k++)
		if (strlen(names[k]) == n && !strncmp(w, names[k], n)) {
			*mask |= 1u << k;
			return 0;
		}
	return -1;
}

int
happening_parse(const char *list, unsigned *mask, char *why, size_t len)
{
	const char *sep = ", \t";

	*mask = 0;
	for (const char *p = list + strspn(list, sep); *p;
	    p += strspn(p, sep)) {
		size_t n = strcspn(p, sep);
		if (happening_word(p, n, mask) < 0) {
			snprintf(why, len, "\"%.*s\" is no event (all, %s, %s, %s, "
			    "%s, %s, %s, %s)", (int)(n > 40 ? 40 : n), p, names[0],
			    names[1], names[2], names[3], names[4], names[5],
			    names[6]);
			return -1;
		}
		p += n;
	}
	if (*mask == 0) {
		snprintf(why, len, "no event named");
		return -1;
	}
	return 0;
}
