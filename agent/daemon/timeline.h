/* SPDX-License-Identifier: BSD-2-Clause */
/* What happened to the house, the last TIMELINE_MAX events with their
 * times: the status page's timeline, and what hooks are told. */
#ifndef HOMEREACH_TIMELINE_H
#define HOMEREACH_TIMELINE_H

#include <stdint.h>

#include <jansson.h>

#include "agent/config/happening.h"

#define TIMELINE_MAX	48


struct timeline_entry {
	int64_t time;		/* unix seconds */
	enum happening kind;
	char name[64];		/* the service, record or family it is about */
	char old[64], new[64];
	char text[200];		/* one line for people */
};

struct timeline;
/* After each entry is added (hooks). */
typedef void timeline_cb(const struct timeline_entry *e, void *arg);

struct timeline *timeline_new(void);
void timeline_free(struct timeline *t);
void timeline_on_add(struct timeline *t, timeline_cb *cb, void *arg);
void timeline_add(struct timeline *t, enum happening kind, const char *name,
    const char *old, const char *new, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* How many of kind since the start (the ring forgets; this does not). */
unsigned long long timeline_count(const struct timeline *t,
    enum happening kind);
/* Newest first: [{time, event, name, old, new, text}]. */
json_t *timeline_json(const struct timeline *t);

#endif
