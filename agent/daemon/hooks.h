/* SPDX-License-Identifier: BSD-2-Clause */
/* Hooks: each event, to the [hook] sections that want it; the heartbeat. */
#ifndef HOMEREACH_HOOKS_H
#define HOMEREACH_HOOKS_H

#include "agent/config/config.h"
#include "agent/daemon/timeline.h"

#define HOOKS_RUNNING	4	/* children at once */
#define HOOKS_QUEUE	32	/* events waiting; the oldest goes first */

struct event_base;
struct hooks;

/* helper: the homereach binary with `hook post|ping`. */
struct hooks *hooks_new(struct event_base *base, const char *helper);
/* The configuration in force (again after a reload); hooks it no longer
 * names are not run for what waits. */
void hooks_config(struct hooks *h, const struct config *cfg);
/* A timeline_cb: queue e for every hook that wants its kind. */
void hooks_on_event(const struct timeline_entry *e, void *arg);
/* After a healthy check: fetch heartbeat_url, unless one still runs (h
 * may be NULL: no hooks configured). */
void hooks_heartbeat(struct hooks *h);
/* Kills what still runs. */
void hooks_free(struct hooks *h);

#endif
