/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One write at a time: a change made while a write runs marks the copy
 * dirty, and the next write (of a fresh snapshot) starts when this one
 * is done. Each write takes the file's lock and renames a synced
 * temporary file over it (state_save), on the worker thread.
 */
#include "agent/daemon/store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/reason.h"
#include "lib/worker.h"

struct store_waiter {
	store_saved_cb *cb;
	void *arg;
	struct store_waiter *next;
};

struct store {
	struct event_base *base;
	char path[1100];
	struct state mem;
	char *snap;			/* what the worker writes: text */
	int snaplen;
	bool writing, dirty;
	bool failing;			/* said once until a write succeeds */
	int rc;				/* of the last write */
	char why[320];
	struct store_waiter *next;	/* wait for the next write */
	struct store_waiter *now;	/* wait for the one running */
};

static void store_write_next(struct store *s);

static void
store_write(void *arg)
{
	struct store *s = arg;
	int fd;

	if (s->snap == NULL) {		/* beyond the limits, or no memory */
		s->rc = -1;
		snprintf(s->why, sizeof(s->why), "%s: state too large", s->path);
		return;
	}
	fd = state_lock(s->path, s->why, sizeof(s->why));
	s->rc = fd < 0 ? -1 : state_save_text(s->path, s->snap,
	    (size_t)s->snaplen, s->why, sizeof(s->why));
	if (fd >= 0)
		close(fd);
}

static void
store_written(void *arg)
{
	struct store *s = arg;
	struct store_waiter *w = s->now, *next;

	s->writing = false;
	s->now = NULL;
	free(s->snap);
	s->snap = NULL;
	if (s->rc < 0 && !s->failing)
		log_warnx("cannot write the state, so nothing new is mapped until "
		    "it can: %s", s->why);
	else if (s->rc == 0 && s->failing)
		log_info("the state is written again");
	s->failing = s->rc < 0;
	for (; w != NULL; w = next) {
		next = w->next;
		w->cb(s->rc, w->arg);
		free(w);
	}
	if (s->dirty && !s->writing)	/* a callback may have started one */
		store_write_next(s);
}

static void
store_write_next(struct store *s)
{
	s->snap = state_text(&s->mem, &s->snaplen);
	s->dirty = false;
	s->now = s->next;
	s->next = NULL;
	s->writing = true;
	if (s->snap == NULL ||
	    worker_run(s->base, store_write, store_written, s) == NULL) {
		store_write(s);		/* no thread: write here, once */
		store_written(s);
	}
}

struct store *
store_open(struct event_base *base, const char *path, char *why, size_t len)
{
	struct store *s = calloc(1, sizeof(*s));
	char aside[1200];

	if (s == NULL) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	s->base = base;
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (state_load(path, &s->mem, why, len) == 0)
		return s;
	memset(&s->mem, 0, sizeof(s->mem));
	snprintf(aside, sizeof(aside), "%s.bad-%lld", path, (long long)time(NULL));
	if (rename(path, aside) == 0) {
		log_warnx("%s; set aside as %s, starting afresh", why, aside);
		return s;
	}
	snprintf(why + strlen(why), len - strlen(why), "; cannot set it aside");
	free(s);
	return NULL;
}

const struct state *
store_state(const struct store *s)
{
	return &s->mem;
}

void
store_change(struct store *s, store_change_fn *change, void *arg,
    store_saved_cb *saved, void *saved_arg)
{
	struct store_waiter *w;

	change(&s->mem, arg);
	s->dirty = true;
	if (saved != NULL) {
		if ((w = malloc(sizeof(*w))) == NULL) {
			saved(-1, saved_arg);
			return;
		}
		*w = (struct store_waiter){ saved, saved_arg, s->next };
		s->next = w;
	}
	if (!s->writing)
		store_write_next(s);
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	while (s->writing)
		event_base_loop(s->base, EVLOOP_ONCE);
	if (s->dirty) {
		store_write_next(s);
		while (s->writing)
			event_base_loop(s->base, EVLOOP_ONCE);
	}
	free(s);
}
