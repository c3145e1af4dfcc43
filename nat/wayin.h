/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A way in: what opens one port of this host to the internet, as a chain
 * of layers (the home router's mapping, then the upstream router's or the
 * carrier's toward it), and its whole life: the intent recorded before a
 * request leaves, each layer's grant, renewal, loss and repair (through
 * nat/mapkeep.c), removal. `map` and the agent both live it through here;
 * the owner of the state writes what it records.
 */
#ifndef HOMEREACH_WAYIN_H
#define HOMEREACH_WAYIN_H

#include <stdbool.h>

#include "nat/mapkeep.h"
#include "nat/maprec.h"

#define WAYIN_MAX_LAYERS	MAPKEEP_MAX_LAYERS

/* What a kind does with its layers: ask for one (or remove it, with
 * spec->remove; cb once, from the loop), and keep the granted ones
 * (renew, watch, repair; stop removes them all, then p->done). The
 * mapping and the pinhole ask through nat/mapping.c and keep through
 * nat/mapkeep.c. */
struct wayin_ops {
	void *(*ask)(struct event_base *base, const struct netaddr *gateway,
	    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb,
	    void *arg);
	void (*ask_free)(void *op);
	void *(*keep)(struct event_base *base, const struct mapkeep_params *p);
	void (*keep_free)(void *keeper);
	void (*stop)(void *keeper);
	void (*refresh)(void *keeper, const char *why);
	const struct map_record *(*layer)(const void *keeper, int i);
	bool (*busy)(const void *keeper);
};

/* A kind of way in: one entry of wayin_kinds (wayin.c). A new kind is
 * one entry there and one file with its operations. */
enum wayin_kind { WAYIN_MAPPING, WAYIN_PINHOLE, WAYIN_HOLD, WAYIN_RELAY };
struct wayin_kind_info {
	const char *name;		/* "mapping", "pinhole", "hold", "relay" */
	int family;			/* of its gateway */
	int max_layers;			/* a pinhole has one: no NAT on IPv6 */
	const struct wayin_ops *ops;
};
const struct wayin_kind_info *wayin_kind(enum wayin_kind kind);
/* The kind that a router of family opens (a mapping, a pinhole). */
enum wayin_kind wayin_kind_of(int family);

/* What a way writes to the state. INTEND: a pending record, new or the
 * same; done runs once the file holds it (rc < 0: it could not). */
enum wayin_change { WAYIN_INTEND, WAYIN_STORE, WAYIN_DROP, WAYIN_DISOWN };
typedef void wayin_saved_cb(int rc, void *arg);
typedef void wayin_save_fn(void *owner, enum wayin_change what,
    const struct map_record *m, wayin_saved_cb *done, void *done_arg);

struct wayin;
struct wayin_events {
	/* Every layer asked for so far is granted (first time only). */
	void (*granted)(struct wayin *w, void *arg);
	/* A first grant failed at layer; g says why. */
	void (*failed)(struct wayin *w, int layer,
	    const struct mapping_grant *g, void *arg);
	/* While kept (mapkeep's): lost, and each attempt to map again. */
	mapkeep_lost_cb *lost;
	mapkeep_grant_cb *regranted;
	/* After wayin_stop: status 0 removed, 1 nothing was kept. */
	mapkeep_done_cb *done;
};

struct wayin_params {
	enum wayin_kind kind;
	struct mapping_spec spec;	/* the host's own layer */
	struct netaddr gateway;		/* its router */
	struct netaddr upstream;	/* family 0: none known (yet); a hold:
					 * the STUN server its flow goes to */
	/* Records to take over (a dead keeper's, or this one's, recorded
	 * before), per layer; NULL where none. */
	const struct map_record *adopt[WAYIN_MAX_LAYERS];
	bool keep;			/* kept once granted (mapkeep) */
	bool owned;			/* records name this process */
	int timeout_ms, check_s;
	wayin_save_fn *save;
	void *owner;
	struct wayin_events ev;
	void *arg;
};

/* Ask for each layer in turn (the intent first); NULL if out of memory. */
struct wayin *wayin_start(struct event_base *base, const struct wayin_params *p);
/* After granted: one more layer, on upstream (granted or failed again). */
void wayin_extend(struct wayin *w, const struct netaddr *upstream);
/* Keep what is granted: renew, watch, repair. */
int wayin_keep(struct wayin *w);
/* Remove every layer from its router (or, !remove, leave each to its
 * lease and the next keeper), then ev.done. */
void wayin_stop(struct wayin *w, bool remove);
void wayin_refresh(struct wayin *w, const char *why);
void wayin_free(struct wayin *w);

/* Layer i's record (granted or pending), or NULL; the outer layer is the
 * one strangers reach. */
const struct map_record *wayin_layer(const struct wayin *w, int i);
const struct map_record *wayin_outer(const struct wayin *w);
const struct mapping_grant *wayin_grant(const struct wayin *w, int i);
int wayin_layers(const struct wayin *w);
bool wayin_busy(const struct wayin *w);
bool wayin_kept(const struct wayin *w);
const struct wayin_kind_info *wayin_kind_info(const struct wayin *w);

#endif
