/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The timeline: a ring of the last events. Every part of the agent that
 * sees one adds it here, and only here: the page, the log and the hooks
 * all read the same entry.
 */
#include "agent/daemon/timeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

struct timeline {
	struct timeline_entry ring[TIMELINE_MAX];
	int next, n;
	unsigned long long counts[HAP_KINDS];
	timeline_cb *cb;
	void *arg;
};

/* The ring is written as events come, never cleared ahead: a quiet
 * agent's memory holds no page of it it has not used (calloc would). */
struct timeline *
timeline_new(void)
{
	struct timeline *t = malloc(sizeof(*t));

	if (t != NULL) {
		memset(t->counts, 0, sizeof(t->counts));
		t->next = t->n = 0;
		t->cb = NULL;
		t->arg = NULL;
	}
	return t;
}

void
timeline_free(struct timeline *t)
{
	free(t);
}

void
timeline_on_add(struct timeline *t, timeline_cb *cb, void *arg)
{
	t->cb = cb;
	t->arg = arg;
}

void
timeline_add(struct timeline *t, enum happening kind, const char *name,
    const char *old, const char *new, const char *fmt, ...)
{
	struct timeline_entry *e = &t->ring[t->next];
	va_list ap;

	*e = (struct timeline_entry){ .time = (int64_t)time(NULL),
	    .kind = kind };
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
	snprintf(e->old, sizeof(e->old), "%s", old ? old : "");
	snprintf(e->new, sizeof(e->new), "%s", new ? new : "");
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	t->counts[kind]++;
	t->next = (t->next + 1) % TIMELINE_MAX;
	if (t->n < TIMELINE_MAX)
		t->n++;
	log_debug("event %s: %s", happening_name(kind), e->text);
	if (t->cb != NULL)
		t->cb(e, t->arg);
}

unsigned long long
timeline_count(const struct timeline *t, enum happening kind)
{
	return kind < HAP_KINDS ? t->counts[kind] : 0;
}

json_t *
timeline_json(const struct timeline *t)
{
	json_t *list = json_array();

	for (int i = 1; i <= t->n; i++) {
		const struct timeline_entry *e =
		    &t->ring[(t->next - i + TIMELINE_MAX) % TIMELINE_MAX];
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, "
		    "s:s}", "time", (json_int_t)e->time, "event",
		    happening_name(e->kind), "name", e->name, "old", e->old,
		    "new", e->new, "text", e->text));
	}
	return list;
}
