/* The state file: what this host mapped, so that it can be renewed,
 * removed, or reclaimed after a crash. Versioned text, one record a line. */
#ifndef HOMEREACH_STATE_H
#define HOMEREACH_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ddns/ddns.h"
#include "nat/pcp.h"
#include "nat/via.h"
#include "probes/addr.h"

#define STATE_VERSION		1
#define STATE_MAX_MAPPINGS	64
#define STATE_MAX_BYTES		65536
#define STATE_DEFAULT_DIR	"/var/lib/homereach"

/* A mapping is recorded before it is asked for: pending (via VIA_ANY,
 * the external port asked, the PCP nonce it uses), then granted. */
struct state_mapping {
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port, external_port;
	enum map_via via;		/* VIA_ANY: pending, not granted yet */
	struct netaddr gateway, external;
	int64_t granted_at;		/* unix time of the last grant */
	uint32_t lifetime;		/* granted; 0 permanent */
	uint32_t epoch;
	bool has_nonce;
	uint8_t nonce[PCP_NONCE_LEN];
	uint16_t chain;			/* upstream layer of a double NAT: the
					 * internal port of the host's mapping
					 * it extends; 0 for the host's own */
	int owner_pid;			/* a process that keeps it, or 0 */
	uint64_t owner_start;		/* its start time, against pid reuse */
};

#define STATE_MAX_DDNS	(2 * CONFIG_MAX_RECORDS)	/* A and AAAA */

struct state {
	struct state_mapping maps[STATE_MAX_MAPPINGS];
	int nmaps;
	struct ddns_state ddns[STATE_MAX_DDNS];
	int nddns;
};

/* Pure: text to records; -EBADMSG with "line N: ..." in why. */
int state_parse(const char *text, size_t len, struct state *st, char *why,
    size_t whylen);
/* Records to text; returns the length, or -ENOSPC. */
int state_format(const struct state *st, char *buf, size_t len);
/* A missing file is an empty state. */
int state_load(const char *path, struct state *st, char *why, size_t whylen);
/* Atomic: temporary file, fsync, rename; mode 0600. */
int state_save(const char *path, const struct state *st, char *why,
    size_t whylen);
/* Exclusive lock on path.lock for a read-modify-write; returns an fd. */
int state_lock(const char *path, char *why, size_t whylen);
/* Under the lock: load path, change(st, arg), save. */
int state_update(const char *path, void (*change)(struct state *, void *),
    void *arg, char *why, size_t whylen);
struct state_mapping *state_find(struct state *st, int protocol,
    uint16_t internal_port, const struct netaddr *gateway);
void state_remove(struct state *st, struct state_mapping *m);
/* A process's start time (clock ticks after boot), 0 if it is gone. */
uint64_t state_proc_start(int pid);
/* Is the mapping's keeper (if any) still the process that made it? */
bool state_owner_alive(const struct state_mapping *m);
/* The record's memory for one family, added empty if new (NULL if full). */
struct ddns_state *state_ddns(struct state *st, const char *name, int family);

#endif
