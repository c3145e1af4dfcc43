/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hooks run as children, never on the loop: a [hook]'s exec is started
 * without a shell, the event in its environment (HOMEREACH_EVENT, _NAME,
 * _OLD, _NEW, _TEXT, _TIME, _HOOK), and killed at its time limit; its url
 * gets the event as JSON from the helper (`homereach hook post`, which
 * signs it and retries with back-off, then drops it), killed if it
 * outlives every attempt. At most HOOKS_RUNNING at once; the rest wait in
 * a bounded queue, the oldest dropped (and said) when it is full.
 */
#include "agent/daemon/hooks.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "agent/daemon/childrun.h"
#include "lib/log.h"
#include "lib/loop.h"

#define HOOK_ENV	8

struct hook_job {
	char hook[64];
	bool url;			/* the webhook, else the program */
	struct timeline_entry e;
};

struct hook_slot {
	struct hooks *h;
	struct childrun *run, *done;	/* done: freed at the next use */
	struct event *limit;
	struct hook_job job;
	bool busy;
};

struct hooks {
	struct event_base *base;
	const struct config *cfg;
	char helper[1024];
	struct hook_job queue[HOOKS_QUEUE];
	int head, n;
	struct hook_slot slots[HOOKS_RUNNING];
	struct hook_slot beat;		/* the heartbeat's own */
};

static const struct hook_config *
hooks_find(const struct hooks *h, const char *name)
{
	for (int i = 0; h->cfg != NULL && i < h->cfg->nhooks; i++)
		if (!strcmp(h->cfg->hooks[i].name, name))
			return &h->cfg->hooks[i];
	return NULL;
}

static void hooks_next(struct hooks *h);

static void
hooks_on_next(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	hooks_next(arg);
}

/* The slot is free; what waits starts from the loop, not from inside the
 * callback of the run that just ended (which is freed at the next use). */
static void
hooks_slot_end(struct hook_slot *s)
{
	struct timeval now = { 0, 0 };

	evtimer_del(s->limit);
	s->done = s->run;
	s->run = NULL;
	s->busy = false;
	if (s != &s->h->beat)
		event_base_once(s->h->base, -1, EV_TIMEOUT, hooks_on_next, s->h,
		    &now);
}

static void
hooks_on_exit(int status, void *arg)
{
	struct hook_slot *s = arg;
	bool beat = s == &s->h->beat;

	if (status != 0 && (beat || s->job.url))
		log_warnx("hook %s: %s did not take it: dropped", beat ?
		    "heartbeat" : s->job.hook, beat ? "heartbeat_url" : "the url");
	else if (status != 0)
		log_warnx("hook %s: the program exited with status %d", s->job.hook,
		    status);
	else
		log_debug("hook %s: done", beat ? "heartbeat" : s->job.hook);
	hooks_slot_end(s);
}

static void
hooks_on_limit(evutil_socket_t fd, short what, void *arg)
{
	struct hook_slot *s = arg;

	(void)fd, (void)what;
	log_warnx("hook %s: still running at its time limit: killed",
	    s == &s->h->beat ? "heartbeat" : s->job.hook);
	childrun_free(s->run);		/* SIGKILL, and reaped */
	s->run = NULL;
	hooks_slot_end(s);
}

/* The program, the event in its environment. */
static struct childrun *
hooks_exec(struct hook_slot *s, const struct hook_config *c)
{
	static char env[HOOK_ENV][320];
	char *envp[HOOK_ENV + 1], *argv[2] = { (char *)c->exec, NULL };
	const struct timeline_entry *e = &s->job.e;
	int n = 0;

	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_EVENT=%s",
	    happening_name(e->kind));
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_NAME=%s", e->name);
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_OLD=%s", e->old);
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_NEW=%s", e->new);
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_TEXT=%s", e->text);
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_TIME=%lld",
	    (long long)e->time);
	snprintf(env[n++], sizeof(env[0]), "HOMEREACH_HOOK=%s", c->name);
	snprintf(env[n++], sizeof(env[0]),
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	for (int i = 0; i < n; i++)
		envp[i] = env[i];
	envp[n] = NULL;
	return childrun_start(s->h->base, argv, envp, false, hooks_on_exit, s);
}

/* The helper, given the event and the secret on its standard input. */
static struct childrun *
hooks_post(struct hook_slot *s, const struct hook_config *c)
{
	char timeout[16];
	char *argv[] = { s->h->helper, "hook", "post", "--url", (char *)c->url,
		"--timeout", timeout, c->plain_http ? "--plain-http" : NULL, NULL };
	const struct timeline_entry *e = &s->job.e;
	struct childrun *run;
	json_t *in;
	char *line;

	snprintf(timeout, sizeof(timeout), "%d", c->timeout_s);
	in = json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s, s:I, s:s}}", "secret",
	    c->secret.set ? json_string(c->secret.value) : json_null(), "event",
	    "event", happening_name(e->kind), "name", e->name, "old", e->old,
	    "new", e->new, "text", e->text, "time", (json_int_t)e->time, "hook",
	    c->name);
	line = in ? json_dumps(in, JSON_COMPACT) : NULL;
	json_decref(in);
	run = line ? childrun_start(s->h->base, argv, NULL, true, hooks_on_exit,
	    s) : NULL;
	if (run != NULL)
		childrun_go(run, line);
	if (line != NULL) {
		explicit_bzero(line, strlen(line));
		free(line);
	}
	return run;
}

/* Every attempt's time, the back-off between them, and a second more. */
static int
hooks_limit_s(const struct hook_config *c, bool url)
{
	return url ? 3 * c->timeout_s + 1 + 2 + 1 : c->timeout_s;
}

static void
hooks_run(struct hook_slot *s, const struct hook_job *job)
{
	const struct hook_config *c = hooks_find(s->h, job->hook);

	childrun_free(s->done);
	s->done = NULL;
	if (c == NULL)
		return;		/* gone with a reload */
	s->job = *job;
	s->run = job->url ? hooks_post(s, c) : hooks_exec(s, c);
	if (s->run == NULL) {
		log_warnx("hook %s: cannot start it", c->name);
		return;
	}
	s->busy = true;
	loop_after(s->limit, (int64_t)hooks_limit_s(c, job->url) * 1000);
}

static void
hooks_next(struct hooks *h)
{
	for (int i = 0; i < HOOKS_RUNNING && h->n > 0; i++) {
		if (h->slots[i].busy)
			continue;
		struct hook_job job = h->queue[h->head];
		h->head = (h->head + 1) % HOOKS_QUEUE;
		h->n--;
		hooks_run(&h->slots[i], &job);
	}
}

static void
hooks_queue(struct hooks *h, const char *hook, bool url,
    const struct timeline_entry *e)
{
	struct hook_job *j;

	if (h->n == HOOKS_QUEUE) {
		log_warnx("hook %s: too many events waiting: the oldest (%s) is "
		    "dropped", h->queue[h->head].hook,
		    happening_name(h->queue[h->head].e.kind));
		h->head = (h->head + 1) % HOOKS_QUEUE;
		h->n--;
	}
	j = &h->queue[(h->head + h->n++) % HOOKS_QUEUE];
	snprintf(j->hook, sizeof(j->hook), "%s", hook);
	j->url = url;
	j->e = *e;
}

void
hooks_on_event(const struct timeline_entry *e, void *arg)
{
	struct hooks *h = arg;

	for (int i = 0; h->cfg != NULL && i < h->cfg->nhooks; i++) {
		const struct hook_config *c = &h->cfg->hooks[i];
		if (!(c->events & (1u << e->kind)))
			continue;
		if (c->exec[0])
			hooks_queue(h, c->name, false, e);
		if (c->url[0])
			hooks_queue(h, c->name, true, e);
	}
	hooks_next(h);
}

void
hooks_heartbeat(struct hooks *h)
{
	struct hook_slot *s;
	char *argv[] = { NULL, "hook", "ping", "--url", NULL, "--timeout", "10",
		NULL };

	if (h == NULL || h->cfg == NULL || h->cfg->heartbeat_url[0] == '\0' ||
	    h->beat.busy)
		return;
	s = &h->beat;
	argv[0] = h->helper;
	childrun_free(s->done);
	s->done = NULL;
	argv[4] = (char *)h->cfg->heartbeat_url;
	if ((s->run = childrun_start(h->base, argv, NULL, false, hooks_on_exit,
	    s)) == NULL)
		return;
	s->busy = true;
	loop_after(s->limit, 15 * 1000);
}

void
hooks_config(struct hooks *h, const struct config *cfg)
{
	h->cfg = cfg;
}

struct hooks *
hooks_new(struct event_base *base, const char *helper)
{
	struct hooks *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->base = base;
	snprintf(h->helper, sizeof(h->helper), "%s", helper);
	for (int i = 0; i <= HOOKS_RUNNING; i++) {
		struct hook_slot *s = i < HOOKS_RUNNING ? &h->slots[i] : &h->beat;
		s->h = h;
		if ((s->limit = evtimer_new(base, hooks_on_limit, s)) == NULL) {
			hooks_free(h);
			return NULL;
		}
	}
	return h;
}

void
hooks_free(struct hooks *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i <= HOOKS_RUNNING; i++) {
		struct hook_slot *s = i < HOOKS_RUNNING ? &h->slots[i] : &h->beat;
		childrun_free(s->run);
		childrun_free(s->done);
		loop_event_free(&s->limit);
	}
	free(h);
}
