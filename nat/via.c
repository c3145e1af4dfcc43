#include "nat/via.h"

#include <errno.h>
#include <strings.h>

static const char *via_names[] = { "any", "pcp", "natpmp", "upnp" };

const char *
via_name(enum map_via via)
{
	return via_names[via];
}

int
via_parse(const char *name, enum map_via *via)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(name, via_names[i]) == 0) {
			*via = (enum map_via)i;
			return 0;
		}
	return -EINVAL;
}
