/* SPDX-License-Identifier: BSD-2-Clause */
/* Printing map results: text, or JSON with --json. */
#ifndef HOMEREACH_MAPOUT_H
#define HOMEREACH_MAPOUT_H

#include <stdint.h>

#include "agent/cli/mapctl.h"
#include "probes/hairpin.h"

/* outer: the upstream router's grant through a double NAT, or NULL; hp:
 * the hairpin check of the public side (TCP), or NULL. */
void mapout_grant(const struct mapctl *c, const struct mapping_grant *g,
    const struct mapping_grant *outer, const struct hairpin_result *hp);
/* hint: what to do, or NULL for the default one. */
void mapout_error(const struct mapctl *c, const struct mapping_grant *g,
    const char *hint);
void mapout_removed(const struct mapctl *c, const struct map_record *m);
/* router: what each record's router said (maplist.c). */
struct maplist_router;
void mapout_list(const struct mapctl *c, const struct state *st,
    const struct maplist_router *router, int64_t now);

#endif
