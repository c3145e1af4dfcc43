/* SPDX-License-Identifier: BSD-2-Clause */
#include "nat/via.h"

#include <errno.h>

#include "lib/names.h"

static const char *const via_names[] = { "any", "pcp", "natpmp", "upnp",
	"hold", "relay" };

const char *
via_name(enum map_via via)
{
	return NAME_OF(via_names, via, "unknown");
}

int
via_parse(const char *name, enum map_via *via)
{
	int i = names_find(via_names, NAMES_COUNT(via_names), name);

	if (i < 0)
		return -EINVAL;
	*via = (enum map_via)i;
	return 0;
}
