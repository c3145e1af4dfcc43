/* SPDX-License-Identifier: BSD-2-Clause */
/* Keeping mappings alive in the foreground (`map add --keep`). */
#ifndef HOMEREACH_MAPKEEP_H
#define HOMEREACH_MAPKEEP_H

#include <stdbool.h>

#include "nat/mapping.h"
#include "nat/maprec.h"

#define MAPKEEP_MAX_LAYERS 2

struct event_base;
struct mapkeep;
typedef void mapkeep_done_cb(int status, void *arg);
/* A layer's record changed (STORE) or is gone (DROP): the owner of the
 * state writes it down. */
enum mapkeep_change { MAPKEEP_STORE, MAPKEEP_DROP };
typedef void mapkeep_save_cb(enum mapkeep_change what,
    const struct map_record *m, void *arg);
/* After each attempt to map a layer again (ok or not). */
typedef void mapkeep_grant_cb(int layer, bool ok, void *arg);
/* The router lost a layer (a reboot seen in its epoch, or a rule gone from
 * its list): it is being made again. */
typedef void mapkeep_lost_cb(int layer, const char *why, void *arg);

/* What a keeper is given: n layers (the home router's mapping, then the
 * upstream router's), their records and how each was asked for, and
 * whom to tell. */
struct mapkeep_params {
	const struct map_record *recs;
	const struct mapping_spec *specs;
	int n;
	int timeout_ms, check_s;
	mapkeep_save_cb *save;
	mapkeep_grant_cb *granted;	/* may be NULL */
	mapkeep_lost_cb *lost;		/* may be NULL */
	mapkeep_done_cb *done;
	void *arg;
};

/* Keep the layers: renew each at half its lease, read each gateway's
 * epoch every second and map again at once after a reboot; look UPnP
 * mappings up every check_s seconds and make them again if they are
 * gone. done runs after mapkeep_stop(). */
struct mapkeep *mapkeep_start(struct event_base *base,
    const struct mapkeep_params *p);
void mapkeep_free(struct mapkeep *k);
/* Map every layer again now (a new address, a router that came back). */
void mapkeep_refresh(struct mapkeep *k, const char *why);
/* Remove every layer from its router and the state file, then done. */
void mapkeep_stop(struct mapkeep *k);
/* A layer's current record, or NULL. */
const struct map_record *mapkeep_layer(const struct mapkeep *k, int i);
bool mapkeep_busy(const struct mapkeep *k);

#endif
