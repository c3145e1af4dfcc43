/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect server's two endpoints. /nic/update: dyndns2 as clients
 * speak it (basic auth, one reply line per host), over TLS only, with a
 * doubling delay for a source whose logins failed and one login at a time
 * per source; the work (crypt, DNS)
 * runs on a worker thread. /check: one connect back to the requester's
 * own address, one at a time and ten a minute per source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "ddns/redirect/redirparse.h"
#include "probes/portcheck.h"
#include "ddns/redirect/redirdns.h"
#include "ddns/redirect/redirreg.h"
#include "lib/sources.h"
#include "ddns/redirect/redirsrv_int.h"
#include "lib/httphead.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/worker.h"
#include "lib/names.h"

#define REDIRSRV_MAX_JOBS	256
#define REDIRSRV_CHECKS_PER_MIN	10
#define REDIRSRV_CHECK_MS	3000

struct redirsrv_job {
	struct redirsrv *s;
	redirsrv_answer_fn *fn;
	void *ctx;
	struct netaddr source;
	struct worker_job *worker;
	struct event *delay;
	struct portcheck *check;
	uint16_t port;
	int proto;
	bool login;			/* holds its source's one login */
	struct redirreg_job reg;
	struct redirsrv_job *prev, *next;
};

static struct redirsrv_job *
redirsrv_job_new(struct redirsrv *s, const struct netaddr *from)
{
	struct redirsrv_job *j;

	if (s->njobs >= REDIRSRV_MAX_JOBS || (j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->s = s;
	j->source = *from;		/* the address itself, not its /64 */
	j->next = s->jobs;
	if (s->jobs)
		s->jobs->prev = j;
	s->jobs = j;
	s->njobs++;
	return j;
}

static void
redirsrv_job_free(struct redirsrv_job *j)
{
	struct redirsrv *s = j->s;
	struct source *src;

	if (j->prev)
		j->prev->next = j->next;
	else
		s->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	s->njobs--;
	if (j->login && (src = sources_get(s->sources, &j->source)) != NULL)
		src->login = false;
	loop_event_free(&j->delay);
	portcheck_free(j->check);
	explicit_bzero(&j->reg, sizeof(j->reg));
	free(j);
}

static void
redirsrv_release(void *arg)
{
	free(arg);
}

void
redirsrv_jobs_free(struct redirsrv *s)
{
	while (s->jobs != NULL) {
		struct redirsrv_job *j = s->jobs;
		s->jobs = j->next;
		loop_event_free(&j->delay);
		redirdns_ask_cancel(s->dns, &j->reg);
		portcheck_free(j->check);
		if (j->worker != NULL)
			worker_cancel(j->worker, redirsrv_release);
		else
			free(j);
	}
}

/* --- /nic/update --- */

static void
redirsrv_update_done(void *arg)
{
	struct redirsrv_job *j = arg;
	struct source *src = sources_get(j->s->sources, &j->source);
	char ip[ADDR_STRLEN], *save = NULL;
	struct redirsrv_answer a = { 200, NULL, NULL, j->reg.reply, NULL, NULL };

	addr_ntop(&j->source, ip, sizeof(ip));
	for (char *l = strtok_r(j->reg.log, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save))
		(j->reg.auth_failed ? log_warnx : log_info)("update from %s: %s", ip, l);
	if (src != NULL)
		source_login_done(src, !j->reg.auth_failed);
	for (int i = 0; i < j->reg.u.nhosts; i++)
		redirdns_forget(j->s->dns, j->reg.u.hosts[i]);
	j->fn(j->ctx, &a);
	j->worker = NULL;
	redirsrv_job_free(j);
}

static const struct redirsrv_answer redirsrv_busy = { 503, NULL, NULL,
    "Busy; try again soon.\n", "5", NULL };

/* Run step on a worker thread, then done on the loop; busy if no thread. */
static void
redirsrv_step(struct redirsrv_job *j, worker_fn *step, worker_fn *done)
{
	if ((j->worker = worker_run(j->s->base, step, done, j)) == NULL) {
		j->fn(j->ctx, &redirsrv_busy);
		redirsrv_job_free(j);
	}
}

static void
redirsrv_update_finish(void *arg)
{
	struct redirsrv_job *j = arg;

	redirreg_finish(&j->reg);
}

/* What DNS holds is known: write where it differs (blocking, so on a
 * worker), else answer from here. */
static void
redirsrv_update_looked(void *arg)
{
	struct redirsrv_job *j = arg;

	if (redirreg_writes(&j->reg)) {
		redirsrv_step(j, redirsrv_update_finish, redirsrv_update_done);
		return;
	}
	redirreg_finish(&j->reg);
	redirsrv_update_done(j);
}

static void
redirsrv_update_auth(void *arg)
{
	struct redirsrv_job *j = arg;

	redirreg_auth(&j->reg);
}

static void
redirsrv_update_authed(void *arg)
{
	struct redirsrv_job *j = arg;

	j->worker = NULL;
	if (j->reg.auth_failed) {
		redirreg_finish(&j->reg);
		redirsrv_update_done(j);
		return;
	}
	redirreg_look(&j->reg, j->s->dns, redirsrv_update_looked, j);
}

static void
redirsrv_update_start(struct redirsrv_job *j)
{
	redirsrv_step(j, redirsrv_update_auth, redirsrv_update_authed);
}

static void
redirsrv_on_delay(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	redirsrv_update_start(arg);
}

/* Parse and check what can be checked here; false: answered already. */
static bool
redirsrv_update_parse(struct redirsrv_job *j, struct source *src,
    const char *query, const char *auth)
{
	static const struct redirsrv_answer notfqdn = { 200, NULL, NULL,
	    "notfqdn\n", NULL, NULL };
	static const struct redirsrv_answer badauth = { 401, NULL, NULL,
	    "badauth\n", NULL, "Basic realm=\"homereach\", charset=\"UTF-8\"" };
	char why[120];

	if (redirparse_update_query(query, &j->reg.u, why, sizeof(why)) < 0) {
		log_info("update: %s", why);
		j->fn(j->ctx, &notfqdn);
		return false;
	}
	if (auth == NULL) {		/* the first try of a challenged client */
		j->fn(j->ctx, &badauth);
		return false;
	}
	if (httphead_basic_auth(auth, j->reg.user, sizeof(j->reg.user),
	    j->reg.pass, sizeof(j->reg.pass)) < 0) {
		src->fails++;
		src->fail_at = time(NULL);
		j->fn(j->ctx, &badauth);
		return false;
	}
	return true;
}

void
redirsrv_update(struct redirsrv *s, struct source *src,
    const struct netaddr *from, const char *query, const char *auth,
    redirsrv_answer_fn *fn, void *ctx)
{
	static const struct redirsrv_answer none = { 404, NULL, NULL,
	    "This server takes no registrations.\n", NULL, NULL };
	static const struct redirsrv_answer one = { 429, NULL, NULL,
	    "One login at a time from your address.\n", "30", NULL };
	struct redirsrv_job *j;
	int delay;

	if (!s->cfg->users_file[0]) {
		fn(ctx, &none);
		return;
	}
	/* Guesses wait their turn: one login under way per address, so a
	 * delay cannot be shared by a burst of them. */
	if (src->login) {
		fn(ctx, &one);
		return;
	}
	if ((j = redirsrv_job_new(s, from)) == NULL) {
		fn(ctx, &redirsrv_busy);
		return;
	}
	j->fn = fn;
	j->ctx = ctx;
	j->reg.cfg = s->cfg;
	j->reg.source = *from;
	if (!redirsrv_update_parse(j, src, query, auth)) {
		redirsrv_job_free(j);
		return;
	}
	j->login = src->login = true;
	if ((delay = source_login_delay(src, time(NULL))) == 0) {
		redirsrv_update_start(j);
		return;
	}
	if ((j->delay = evtimer_new(s->base, redirsrv_on_delay, j)) == NULL) {
		fn(ctx, &redirsrv_busy);
		redirsrv_job_free(j);
		return;
	}
	loop_after(j->delay, delay * 1000);
}

/* --- /check --- */

static void
redirsrv_on_checked(const char *result, int ms, void *arg)
{
	struct redirsrv_job *j = arg;
	struct source *src = sources_get(j->s->sources, &j->source);
	char ip[ADDR_STRLEN], body[200];
	struct redirsrv_answer a = { 200, NULL, "application/json", body, NULL, NULL };

	if (src != NULL)
		src->checking = false;
	addr_ntop(&j->source, ip, sizeof(ip));
	log_debug("check %s port %u/%s: %s (%d ms)", ip, j->port,
	    proto_name(j->proto), result, ms);
	snprintf(body, sizeof(body), "{\"address\": \"%s\", \"port\": %u, "
	    "\"proto\": \"%s\", \"result\": \"%s\", \"ms\": %d}\n", ip,
	    j->port, proto_name(j->proto), result, ms);
	j->fn(j->ctx, &a);
	redirsrv_job_free(j);
}

/* Ten a minute, one at a time; the answer when not. */
static const struct redirsrv_answer *
redirsrv_check_refused(struct source *src)
{
	static const struct redirsrv_answer busy = { 429, NULL, NULL,
	    "One check at a time from your address.\n", "3", NULL };
	static const struct redirsrv_answer many = { 429, NULL, NULL,
	    "Too many checks from your address.\n", "60", NULL };
	time_t now = time(NULL);

	if (now - src->check_window >= 60) {
		src->check_window = now;
		src->checks = 0;
	}
	return src->checking ? &busy : src->checks >= REDIRSRV_CHECKS_PER_MIN ?
	    &many : NULL;
}

void
redirsrv_check(struct redirsrv *s, struct source *src,
    const struct netaddr *from, const char *query, redirsrv_answer_fn *fn,
    void *ctx)
{
	const struct redirsrv_answer *refused;
	struct redirsrv_answer bad = { 400, NULL, NULL, NULL, NULL, NULL };
	struct redirsrv_job *j;
	char why[160];
	uint16_t port;
	int proto;

	if (redirparse_check(query, &port, &proto, why, sizeof(why) - 1) < 0) {
		strcat(why, "\n");
		bad.body = why;
		fn(ctx, &bad);
		return;
	}
	if ((refused = redirsrv_check_refused(src)) != NULL) {
		fn(ctx, refused);
		return;
	}
	if ((j = redirsrv_job_new(s, from)) == NULL) {
		fn(ctx, &redirsrv_busy);
		return;
	}
	j->fn = fn;
	j->ctx = ctx;
	j->port = port;
	j->proto = proto;
	src->checks++;
	src->checking = true;
	j->check = portcheck_start(s->base, from, port, proto,
	    REDIRSRV_CHECK_MS, redirsrv_on_checked, j);
	if (j->check == NULL)
		redirsrv_on_checked("unreachable", 0, j);
}
