/* SPDX-License-Identifier: BSD-2-Clause */
/* The agent's state, owned here: one copy in memory that every part of
 * the agent reads and changes, written to the file by a worker thread,
 * so that the loop never waits on a lock or an fsync. While the agent
 * runs it is the file's only writer: `map` and `ddns update` ask the
 * agent, and the DNS helper reports its results instead of writing. */
#ifndef HOMEREACH_STORE_H
#define HOMEREACH_STORE_H

#include <stddef.h>

#include "agent/config/state.h"

struct event_base;
struct store;
typedef void store_change_fn(struct state *st, void *arg);
/* rc: 0 once the file holds the change, -1 if it could not be written. */
typedef void store_saved_cb(int rc, void *arg);

/* Read path (a corrupt file is set aside and the agent starts afresh);
 * NULL with why. */
struct store *store_open(struct event_base *base, const char *path,
    char *why, size_t len);
const struct state *store_state(const struct store *s);
/* change(memory, arg) now; the file follows. saved, if not NULL, runs on
 * the loop once the file has this change (intent before acting). */
void store_change(struct store *s, store_change_fn *change, void *arg,
    store_saved_cb *saved, void *saved_arg);
/* At exit: the last change written (this may wait), then freed. */
void store_free(struct store *s);

#endif
