/* SPDX-License-Identifier: BSD-2-Clause */
/* The state file: what this host mapped, so that it can be renewed,
 * removed, or reclaimed after a crash. Versioned text, one record a line. */
#ifndef HOMEREACH_STATE_H
#define HOMEREACH_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/config/config.h"
#include "ddns/ddns.h"
#include "lib/addr.h"
#include "nat/maprec.h"
#include "nat/wayin.h"

#define STATE_VERSION		1
#define STATE_MAX_MAPPINGS	64
#define STATE_MAX_BYTES		65536
#define STATE_DEFAULT_DIR	"/var/lib/homereach"

#define STATE_MAX_DDNS	(2 * CONFIG_MAX_RECORDS)	/* A and AAAA */

struct state {
	struct map_record maps[STATE_MAX_MAPPINGS];
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
/* Records as text, in a buffer to free(); NULL if too large (or no
 * memory). */
char *state_text(const struct state *st, int *len);
/* Atomic (file_replace), mode 0600, owned by the state folder's owner. */
int state_save(const char *path, const struct state *st, char *why,
    size_t whylen);
/* The same for text made by state_text. */
int state_save_text(const char *path, const char *text, size_t len,
    char *why, size_t whylen);
/* Exclusive lock on path.lock for a read-modify-write (file_lock);
 * returns an fd, or -1 with why. */
int state_lock(const char *path, char *why, size_t whylen);
/* Under the lock: load path, change(st, arg), save. */
int state_update(const char *path, void (*change)(struct state *, void *),
    void *arg, char *why, size_t whylen);
struct map_record *state_find(struct state *st, int protocol,
    uint16_t internal_port, const struct netaddr *gateway);
const struct map_record *state_find_const(const struct state *st,
    int protocol, uint16_t internal_port, const struct netaddr *gateway);
void state_remove(struct state *st, struct map_record *m);
/* A granted IPv4 TCP mapping whose external side is public: the
 * outermost layer of a double NAT's pair; NULL if none. */
const struct map_record *state_public_tcp(const struct state *st);
/* Changes for state_update(); arg is a struct map_record. store_new:
 * unless its port has a record already; store: add or replace; drop;
 * disown: nobody keeps it any more, it lives by its lease. */
void state_store_new(struct state *st, void *arg);
void state_store(struct state *st, void *arg);
void state_drop(struct state *st, void *arg);
void state_disown(struct state *st, void *arg);
/* The change above that a way in (nat/wayin.h) asks for. */
typedef void state_change_fn(struct state *st, void *arg);
state_change_fn *state_way_change(enum wayin_change what);
/* The record's memory for one family, added empty if new (NULL if full). */
struct ddns_state *state_ddns(struct state *st, const char *name, int family);
/* The same without adding: a record not there yet is *empty, zeroed. */
const struct ddns_state *state_ddns_peek(const struct state *st,
    const char *name, int family, struct ddns_state *empty);
/* One "ddns ..." line of the file (or of the DNS helper's report). */
int state_parse_ddns(const char *line, struct ddns_state *d);
/* d as such a line, with its newline; snprintf's return. */
int state_format_ddns(const struct ddns_state *d, char *buf, size_t len);
/* Fold one of the DNS helper's records (a struct ddns_state) into st:
 * it replaces its own. */
void state_fold_ddns(struct state *st, void *arg);

#endif
