/* SPDX-License-Identifier: BSD-2-Clause */
/* inadyn.c's reading, as inadyn_map.c turns it into homereach's. */
#ifndef HOMEREACH_IMPORT_INADYN_H
#define HOMEREACH_IMPORT_INADYN_H

#include "agent/import/imported.h"

#define IN_MAX_OPTS		32
#define IN_MAX_HOSTS		32
#define IN_MAX_SECTIONS		16
#define IN_MAX_SECTIONS_TEXT	"16"

struct in_opt {
	char key[40];
	char value[512];	/* a list's values joined by ", " */
	int line;
};

/* provider NAME { } or custom NAME { } */
struct in_section {
	char kind[16];
	char title[128];
	int line;
	struct in_opt opts[IN_MAX_OPTS];
	int nopts;
	char hosts[IN_MAX_HOSTS][254];
	int nhosts;
};

/* The top-level options that reach into the sections. */
struct in_globals {
	bool ipv6;			/* allow-ipv6 */
	char ca_file[1024];		/* ca-trust-file */
	int refresh_days;		/* forced-update */
};

void in_section_host(struct imported *im, struct in_section *s,
    const char *host);
void in_map_global(struct imported *im, struct in_globals *g,
    const struct in_opt *o);
void in_map_section(struct imported *im, const struct in_globals *g,
    const struct in_section *s);
/* After the last section: the ca file for each record, A and AAAA of
 * one name made one record. */
void in_map_done(struct imported *im, const struct in_globals *g);

#endif
