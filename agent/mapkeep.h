/* Keeping mappings alive in the foreground (`map add --keep`). */
#ifndef HOMEREACH_MAPKEEP_H
#define HOMEREACH_MAPKEEP_H

#include <stdbool.h>

#include "agent/state.h"
#include "nat/mapping.h"

#define MAPKEEP_MAX_LAYERS 2

struct event_base;
struct mapkeep;
typedef void mapkeep_done_cb(int status, void *arg);
/* After each attempt to map a layer again (ok or not). */
typedef void mapkeep_grant_cb(int layer, bool ok, void *arg);

/* Keep n layers (the home router's mapping, then the upstream router's):
 * renew each at half its lease, read each gateway's epoch every second and
 * map again at once after a reboot; look UPnP mappings up every check_s
 * seconds and make them again if they are gone. done runs after
 * mapkeep_stop(). */
struct mapkeep *mapkeep_start(struct event_base *base, const char *state_path,
    int timeout_ms, int check_s, const struct state_mapping *recs,
    const struct mapping_spec *specs, int n, mapkeep_done_cb *done, void *arg);
void mapkeep_free(struct mapkeep *k);
void mapkeep_on_grant(struct mapkeep *k, mapkeep_grant_cb *cb);
/* Map every layer again now (a new address, a router that came back). */
void mapkeep_refresh(struct mapkeep *k, const char *why);
/* Remove every layer from its router and the state file, then done. */
void mapkeep_stop(struct mapkeep *k);
/* A layer's current record, or NULL. */
const struct state_mapping *mapkeep_layer(const struct mapkeep *k, int i);
bool mapkeep_busy(const struct mapkeep *k);
/* The state record of a grant; the owner fields are left to the caller. */
void mapkeep_record_of(const struct mapping_grant *g,
    const struct mapping_spec *s, uint16_t chain, struct state_mapping *m);
/* The record of a mapping about to be asked for: pending, owned by this
 * process until the grant replaces it. spec must have its nonce. */
void mapkeep_pending_of(const struct mapping_spec *s,
    const struct netaddr *gateway, uint16_t chain, struct state_mapping *m);
/* Store m unless its port has a record already (state_update change). */
void mapkeep_store_new(struct state *st, void *arg);
/* How to renew or remove a recorded mapping. */
void mapkeep_spec_of(const struct state_mapping *m, struct mapping_spec *s);
void mapkeep_store(struct state *st, void *arg);
void mapkeep_drop(struct state *st, void *arg);
/* Nobody keeps it any more: it lives by its lease (state_update change). */
void mapkeep_disown(struct state *st, void *arg);

#endif
