/* SPDX-License-Identifier: BSD-2-Clause */
/* Run a blocking call (miniupnpc's HTTP and SOAP) off the event loop. */
#ifndef HOMEREACH_WORKER_H
#define HOMEREACH_WORKER_H

struct event_base;
struct worker_job;

typedef void worker_fn(void *arg);

/* work(arg) runs on its own thread; done(arg) then runs on the loop.
 * Needs evthread_use_pthreads() before the base was made. */
struct worker_job *worker_run(struct event_base *base, worker_fn *work,
    worker_fn *done, void *arg);
/* Drop interest: done never runs; release(arg) runs once work is over. */
void worker_cancel(struct worker_job *job, worker_fn *release);

#endif
