/* Keeping mappings alive in the foreground (`map add --keep`). */
#ifndef HOMEREACH_MAPKEEP_H
#define HOMEREACH_MAPKEEP_H

#include "agent/state.h"
#include "nat/mapping.h"

#define MAPKEEP_MAX_LAYERS 2

struct event_base;
struct mapkeep;
typedef void mapkeep_done_cb(int status, void *arg);

/* Keep n layers (the home router's mapping, then the upstream router's):
 * renew each at half its lease, read each gateway's epoch every second and
 * map again at once after a reboot; look UPnP mappings up every check_s
 * seconds and make them again if they are gone; on SIGINT or SIGTERM remove them all,
 * drop them from the state file, then call done. */
struct mapkeep *mapkeep_start(struct event_base *base, const char *state_path,
    int timeout_ms, int check_s, const struct state_mapping *recs,
    const struct mapping_spec *specs, int n, mapkeep_done_cb *done, void *arg);
void mapkeep_free(struct mapkeep *k);
/* The state record of a grant; the owner fields are left to the caller. */
void mapkeep_record_of(const struct mapping_grant *g,
    const struct mapping_spec *s, uint16_t chain, struct state_mapping *m);
void mapkeep_store(struct state *st, void *arg);
void mapkeep_drop(struct state *st, void *arg);

#endif
