/* SPDX-License-Identifier: BSD-2-Clause */
#include "ddns/round.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/log.h"
#include "lib/worker.h"

/* One request: a record, or dyndns2 records sharing server, credentials
 * and address, named together. */
struct round_job {
	struct round *round;
	int family, n;
	struct ddns_target target;
	const struct ddns_config *recs[DYNDNS2_MAX_HOSTS];
	struct netaddr was[DYNDNS2_MAX_HOSTS];		/* published before */
	struct ddns_answer answers[DYNDNS2_MAX_HOSTS];	/* by the worker */
};

struct round {
	struct event_base *base;
	const struct round_ops *ops;
	void *arg;
	struct round_job *jobs;
	int njobs, started, running;
	bool finished;
};

static void
round_work(void *arg)
{
	struct round_job *j = arg;

	if (j->n > 1)
		dyndns2_update_hosts(j->recs, j->n, &j->target.addr, j->answers);
	else
		provider_update(j->recs[0], &j->target, &j->answers[0]);
}

static void round_next(struct round *r);

static void
round_answered(void *arg)
{
	struct round_job *j = arg;
	struct round *r = j->round;
	double jitter = (double)(random() % 1000) / 1000.0;

	for (int i = 0; i < j->n; i++) {
		struct ddns_state *st = r->ops->state(r->arg, j->recs[i],
		    j->family);
		if (st == NULL)
			continue;
		ddns_apply(j->recs[i], st, &j->target, j->answers[i].outcome,
		    j->answers[i].result, (int64_t)time(NULL), jitter);
		r->ops->answered(r->arg, j->recs[i], j->family, &j->target.addr,
		    &j->was[i], &j->answers[i], st);
	}
	r->running--;
	round_next(r);
}

/* Start what may run; done once nothing runs and nothing waits. */
static void
round_next(struct round *r)
{
	while (r->running < ROUND_PARALLEL && r->started < r->njobs) {
		struct round_job *j = &r->jobs[r->started++];
		if (worker_run(r->base, round_work, round_answered, j) == NULL) {
			log_warnx("cannot start a worker thread");
			ddns_answer_set(&j->answers[0], FAULT_NETWORK, "no-thread",
			    "cannot start a worker thread");
			for (int i = 1; i < j->n; i++)
				j->answers[i] = j->answers[0];
			r->running++;
			round_answered(j);	/* counted as a failed request */
			return;
		}
		r->running++;
	}
	if (r->running == 0 && r->started == r->njobs && !r->finished) {
		r->finished = true;
		r->ops->done(r->arg);
	}
}

/* Join a request naming records like this one, or make one. */
static void
round_enqueue(struct round *r, const struct ddns_config *rec, int family,
    const struct ddns_target *t, const struct netaddr *was)
{
	struct round_job *j;

	for (int i = 0; i < r->njobs; i++) {
		j = &r->jobs[i];
		if (j->family == family && addr_equal(&j->target.addr, &t->addr) &&
		    !j->target.withdraw && !t->withdraw &&
		    j->n < DYNDNS2_MAX_HOSTS && dyndns2_batchable(j->recs[0], rec)) {
			j->was[j->n] = *was;
			j->recs[j->n++] = rec;
			return;
		}
	}
	j = &r->jobs[r->njobs++];
	*j = (struct round_job){ .round = r, .family = family, .target = *t,
	    .n = 1 };
	j->recs[0] = rec;
	j->was[0] = *was;
}

static void
round_decide(struct round *r, const struct ddns_config *rec, int family,
    const struct round_input *in)
{
	struct ddns_state *st = r->ops->state(r->arg, rec, family);
	struct ddns_target t = { .port = r->ops->port(r->arg, rec) };
	struct ddns_decision d;

	ddns_record_addr(rec, family, &in->v4, &in->v6, &t.addr);
	r->ops->srv(r->arg, rec, family, &t);
	if (st == NULL)
		return;
	ddns_decide(rec, st, &t, family == AF_INET && in->cgnat,
	    (int64_t)time(NULL), in->force, &d);
	t.withdraw = d.action == DDNS_WITHDRAW;
	if ((d.action == DDNS_SEND || t.withdraw) && !in->dry_run)
		round_enqueue(r, rec, family, &t, &st->published);
	else
		r->ops->decided(r->arg, rec, family, &d, &t.addr);
}

struct round *
round_start(struct event_base *base, const struct ddns_config *recs, int n,
    const struct round_input *in, const struct round_ops *ops, void *arg)
{
	struct round *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->jobs = calloc((size_t)(2 * n + 1),
	    sizeof(*r->jobs))) == NULL) {
		free(r);
		return NULL;
	}
	r->base = base;
	r->ops = ops;
	r->arg = arg;
	for (int i = 0; i < n; i++) {
		if (in->only != NULL && strcmp(in->only, recs[i].name) != 0)
			continue;
		if (recs[i].record & REC_A)
			round_decide(r, &recs[i], AF_INET, in);
		if (recs[i].record & REC_AAAA)
			round_decide(r, &recs[i], AF_INET6, in);
	}
	round_next(r);
	return r;
}

void
round_free(struct round *r)
{
	if (r == NULL)
		return;
	free(r->jobs);
	free(r);
}
