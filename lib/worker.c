/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One detached thread per job. The loop and the thread share the job; the
 * mutex decides who frees it: the loop if the work finished, the thread if
 * the loop cancelled first. event_active() from another thread is safe once
 * libevent's pthread locking is on.
 */
#include "lib/worker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include <event2/event.h>

#include "lib/log.h"

struct worker_job {
	pthread_mutex_t lock;
	struct event *done_ev;
	worker_fn *work, *done, *release;
	void *arg;
	bool finished, cancelled;
};

static void
worker_job_free(struct worker_job *job)
{
	pthread_mutex_destroy(&job->lock);
	free(job);
}

static void *
worker_thread(void *p)
{
	struct worker_job *job = p;

	job->work(job->arg);
	pthread_mutex_lock(&job->lock);
	if (job->cancelled) {
		pthread_mutex_unlock(&job->lock);
		if (job->release)
			job->release(job->arg);
		worker_job_free(job);
		return NULL;
	}
	job->finished = true;
	event_active(job->done_ev, EV_READ, 0);
	pthread_mutex_unlock(&job->lock);
	return NULL;
}

static void
worker_done(evutil_socket_t fd, short what, void *p)
{
	struct worker_job *job = p;

	(void)fd, (void)what;
	/* The thread activates us while it holds the lock: wait until it has
	 * let go, or the free below races its unlock. */
	pthread_mutex_lock(&job->lock);
	pthread_mutex_unlock(&job->lock);
	event_free(job->done_ev);
	job->done(job->arg);
	worker_job_free(job);
}

struct worker_job *
worker_run(struct event_base *base, worker_fn *work, worker_fn *done,
    void *arg)
{
	struct worker_job *job = calloc(1, sizeof(*job));
	pthread_attr_t attr;
	pthread_t tid;

	if (job == NULL)
		return NULL;
	pthread_mutex_init(&job->lock, NULL);
	job->work = work;
	job->done = done;
	job->arg = arg;
	job->done_ev = event_new(base, -1, 0, worker_done, job);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (job->done_ev == NULL ||
	    pthread_create(&tid, &attr, worker_thread, job) != 0) {
		log_warnx("cannot start a worker thread");
		if (job->done_ev)
			event_free(job->done_ev);
		worker_job_free(job);
		job = NULL;
	}
	pthread_attr_destroy(&attr);
	return job;
}

void
worker_cancel(struct worker_job *job, worker_fn *release)
{
	pthread_mutex_lock(&job->lock);
	event_free(job->done_ev);
	if (job->finished) {
		pthread_mutex_unlock(&job->lock);
		if (release)
			release(job->arg);
		worker_job_free(job);
		return;
	}
	job->cancelled = true;
	job->release = release;
	pthread_mutex_unlock(&job->lock);
}
