/*
 * The map subcommand on one event loop: reconcile the state file, then add,
 * delete or list; with --keep, renew and watch until a signal. The state
 * file is locked only while it is read and written, never while waiting.
 */
#include "agent/mapctl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "agent/log.h"
#include "agent/mapout.h"
#include "nat/gwprobe.h"
#include "nat/natpmp.h"

#define WATCH_MS	1000	/* how often --keep reads the gateway's epoch */
#define RETRY_MS	250	/* after a failed re-map: the router may be
				 * answering NAT-PMP before its HTTP side */

struct mapctl_ctx {
	struct mapctl c;
	struct event_base *base;
	struct state st;
	struct mapping_op *op, *retired;
	int reclaim;			/* next state index to reclaim */
	struct state_mapping kept;	/* --keep: the mapping we hold */
	struct event *renew, *retry, *watch, *sigint, *sigterm;
	struct gwprobe *probe;
	uint32_t epoch;			/* gateway epoch last seen, and when */
	struct timespec epoch_at;
	bool stopping, remapping;
	int status;
};

static int64_t
mapctl_now(void)
{
	return (int64_t)time(NULL);
}

/* A process's start time (field 22 of /proc/PID/stat), 0 if it is gone. */
static uint64_t
mapctl_proc_start(int pid)
{
	char path[64], stat[1024], *paren;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(stat, sizeof(stat), f) != NULL &&
	    (paren = strrchr(stat, ')')) != NULL)
		sscanf(paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &start);
	fclose(f);
	return start;
}

static bool
mapctl_owner_alive(const struct state_mapping *m)
{
	/* Not kept by anyone: it lives by its lease. */
	return m->owner_pid == 0 ||
	    mapctl_proc_start(m->owner_pid) == m->owner_start;
}

/* Read, change and write the state file under its lock. */
static int
mapctl_update(struct mapctl_ctx *x, void (*change)(struct mapctl_ctx *, void *),
    void *arg)
{
	char why[REASON_LEN];
	int fd = state_lock(x->c.state_path, why, sizeof(why)), rc;

	if (fd < 0 || state_load(x->c.state_path, &x->st, why, sizeof(why)) < 0) {
		log_warnx("%s", why);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	change(x, arg);
	rc = state_save(x->c.state_path, &x->st, why, sizeof(why));
	if (rc < 0)
		log_warnx("%s", why);
	close(fd);
	return rc;
}

static void
mapctl_spec_of(const struct state_mapping *m, struct mapping_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->protocol = m->protocol;
	s->internal_port = m->internal_port;
	s->external_port = m->external_port;
	s->lifetime = m->lifetime;
	s->via = m->via;
	s->has_nonce = m->has_nonce;
	memcpy(s->nonce, m->nonce, sizeof(s->nonce));
}

static void mapctl_command(struct mapctl_ctx *x);
static void mapctl_reclaim_next(struct mapctl_ctx *x);

static void
mapctl_drop(struct mapctl_ctx *x, void *arg)
{
	const struct state_mapping *gone = arg;
	struct state_mapping *m = state_find(&x->st, gone->protocol,
	    gone->internal_port, &gone->gateway);

	if (m != NULL)
		state_remove(&x->st, m);
}

static void
mapctl_disown(struct mapctl_ctx *x, void *arg)
{
	const struct state_mapping *m0 = arg;
	struct state_mapping *m = state_find(&x->st, m0->protocol,
	    m0->internal_port, &m0->gateway);

	if (m != NULL)
		m->owner_pid = 0, m->owner_start = 0;
}

static void
mapctl_reclaimed(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;
	struct state_mapping m = x->st.maps[x->reclaim];
	const char *proto = m.protocol == IPPROTO_TCP ? "tcp" : "udp";

	if (g->ok) {
		log_info("removed %u/%s, left by process %d", m.internal_port,
		    proto, m.owner_pid);
		mapctl_update(x, mapctl_drop, &m);
	} else {
		/* Keep the record; the router drops it when its lease ends. */
		log_warnx("cannot remove %u/%s, left by process %d: %s",
		    m.internal_port, proto, m.owner_pid, g->error);
		mapctl_update(x, mapctl_disown, &m);
		x->reclaim++;
	}
	mapctl_reclaim_next(x);
}

/* Mappings whose keeper died are removed from the router, one by one;
 * mappings whose lease ran out are forgotten. */
/* The operation whose callback is running cannot be freed there: it is
 * retired, and freed when the next one retires. */
static void
mapctl_retire(struct mapctl_ctx *x)
{
	mapping_free(x->retired);
	x->retired = x->op;
	x->op = NULL;
}

static void
mapctl_reclaim_next(struct mapctl_ctx *x)
{
	mapctl_retire(x);
	for (; x->reclaim < x->st.nmaps; x->reclaim++) {
		struct state_mapping *m = &x->st.maps[x->reclaim];
		struct mapping_spec s;
		if (m->lifetime != 0 && m->granted_at + m->lifetime < mapctl_now()) {
			mapctl_update(x, mapctl_drop, m);
			x->reclaim--;
			continue;
		}
		if (mapctl_owner_alive(m))
			continue;
		mapctl_spec_of(m, &s);
		s.remove = true;
		x->op = mapping_start(x->base, &m->gateway, &s, x->c.timeout_ms,
		    mapctl_reclaimed, x);
		return;
	}
	mapctl_command(x);
}

static void
mapctl_finish(struct mapctl_ctx *x, int status)
{
	x->status = status;
	event_base_loopbreak(x->base);
}

/* --- the mapping kept by --keep --- */

static void
mapctl_store(struct mapctl_ctx *x, void *arg)
{
	const struct state_mapping *m = arg;
	struct state_mapping *old = state_find(&x->st, m->protocol,
	    m->internal_port, &m->gateway);

	if (old == NULL && x->st.nmaps < STATE_MAX_MAPPINGS)
		old = &x->st.maps[x->st.nmaps++];
	if (old != NULL)
		*old = *m;
}

static void
mapctl_record(struct mapctl_ctx *x, const struct mapping_grant *g)
{
	struct state_mapping *m = &x->kept;

	memset(m, 0, sizeof(*m));
	m->protocol = x->c.spec.protocol;
	m->internal_port = x->c.spec.internal_port;
	m->external_port = g->external_port;
	m->via = g->via;
	m->gateway = g->gateway;
	m->external = g->external;
	m->granted_at = mapctl_now();
	m->lifetime = g->lifetime;
	m->epoch = g->epoch;
	m->has_nonce = g->via == VIA_PCP;
	memcpy(m->nonce, g->nonce, sizeof(m->nonce));
	if (x->c.keep) {
		m->owner_pid = getpid();
		m->owner_start = mapctl_proc_start(m->owner_pid);
	}
	mapctl_update(x, mapctl_store, m);
	/* A UPnP grant has no epoch: 0 is a lower bound of the router's
	 * uptime, so one that later reads less than the mapping's age has
	 * rebooted since (the NAT-PMP rule, applied to whichever epoch). */
	x->epoch = g->via == VIA_UPNP ? 0 : g->epoch;
	clock_gettime(CLOCK_MONOTONIC, &x->epoch_at);
}

static void
mapctl_schedule_renew(struct mapctl_ctx *x)
{
	struct timeval tv = { x->kept.lifetime / 2, 0 };

	if (x->kept.lifetime > 0)	/* permanent leases are only watched */
		evtimer_add(x->renew, &tv);
}

static void
mapctl_remapped(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	struct timeval retry = { 0, RETRY_MS * 1000 };

	mapctl_retire(x);
	x->remapping = false;
	if (!g->ok) {
		log_warnx("%u: cannot map again: %s", x->kept.internal_port, g->error);
		evtimer_add(x->retry, &retry);
		return;
	}
	mapctl_record(x, g);
	mapctl_schedule_renew(x);
	log_info("%u -> port %u again, via %s", x->kept.internal_port,
	    g->external_port, via_name(g->via));
}

static void
mapctl_remap(struct mapctl_ctx *x, const char *why)
{
	struct mapping_spec s;

	if (x->remapping || x->stopping)
		return;
	log_info("%u: %s: mapping again", x->kept.internal_port, why);
	mapctl_spec_of(&x->kept, &s);
	x->op = mapping_start(x->base, &x->kept.gateway, &s, x->c.timeout_ms,
	    mapctl_remapped, x);
	x->remapping = x->op != NULL;
}

static void
mapctl_on_renew(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	mapctl_remap(arg, "half the lease has passed");
}

static void
mapctl_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	mapctl_remap(arg, "the last attempt failed");
}

/* A gateway epoch that went back means it lost its mappings. */
static void
mapctl_watched(const struct proto_finding *natpmp,
    const struct proto_finding *pcp, void *arg)
{
	struct mapctl_ctx *x = arg;
	bool use_pcp = x->kept.via == VIA_PCP ||
	    (x->kept.via == VIA_UPNP && !natpmp->answered);
	const struct proto_finding *f = use_pcp ? pcp : natpmp;
	struct timespec now;
	uint64_t elapsed;
	bool lost;

	if (!f->answered)
		return;		/* the gateway is away: wait for it */
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (uint64_t)(now.tv_sec - x->epoch_at.tv_sec) * 1000 +
	    (uint64_t)(now.tv_nsec / 1000000) - (uint64_t)(x->epoch_at.tv_nsec / 1000000);
	lost = x->kept.via == VIA_PCP ?
	    pcp_epoch_lost(x->epoch, f->epoch, elapsed) :
	    natpmp_epoch_lost(x->epoch, f->epoch, elapsed);
	x->epoch = f->epoch;
	x->epoch_at = now;
	if (lost)
		mapctl_remap(x, "the router lost its mappings (its epoch went back)");
}

static void
mapctl_on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct mapctl_ctx *x = arg;

	(void)fd, (void)what;
	gwprobe_free(x->probe);		/* its callback has long returned */
	x->probe = gwprobe_start(x->base, &x->kept.gateway, WATCH_MS * 4 / 5,
	    mapctl_watched, x);
}

static void
mapctl_removed_on_exit(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	if (!g->ok)
		log_warnx("cannot remove %u: %s", x->kept.internal_port, g->error);
	mapctl_update(x, mapctl_drop, &x->kept);
	mapctl_finish(x, 0);
}

static void
mapctl_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct mapctl_ctx *x = arg;
	struct mapping_spec s;

	(void)what;
	if (x->stopping)
		return;
	log_info("signal %d: removing the mapping", (int)sig);
	x->stopping = true;
	event_del(x->renew);
	event_del(x->retry);
	event_del(x->watch);
	mapping_free(x->op);	/* a renewal in flight, if any */
	x->op = NULL;
	mapctl_spec_of(&x->kept, &s);
	s.remove = true;
	x->op = mapping_start(x->base, &x->kept.gateway, &s, x->c.timeout_ms,
	    mapctl_removed_on_exit, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

static void
mapctl_keep(struct mapctl_ctx *x)
{
	struct timeval tick = { 0, WATCH_MS * 1000 };

	x->renew = evtimer_new(x->base, mapctl_on_renew, x);
	x->retry = evtimer_new(x->base, mapctl_on_retry, x);
	x->watch = event_new(x->base, -1, EV_PERSIST, mapctl_on_watch, x);
	x->sigint = evsignal_new(x->base, SIGINT, mapctl_on_signal, x);
	x->sigterm = evsignal_new(x->base, SIGTERM, mapctl_on_signal, x);
	event_add(x->watch, &tick);
	event_add(x->sigint, NULL);
	event_add(x->sigterm, NULL);
	mapctl_schedule_renew(x);
}

/* --- the commands --- */

static void
mapctl_added(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapctl_retire(x);
	if (!g->ok) {
		mapout_error(&x->c, g);
		mapctl_finish(x, 1);
		return;
	}
	mapctl_record(x, g);
	mapout_grant(&x->c, g);
	if (x->c.keep)
		mapctl_keep(x);
	else
		mapctl_finish(x, 0);
}

static void
mapctl_add(struct mapctl_ctx *x)
{
	struct mapping_spec s = x->c.spec;
	struct state_mapping *old = state_find(&x->st, s.protocol,
	    s.internal_port, &x->c.gateway);

	if (old != NULL && old->owner_pid != 0 && mapctl_owner_alive(old)) {
		fprintf(stderr, "homereach map: %u/%s is kept by process %d\n",
		    s.internal_port, s.protocol == IPPROTO_TCP ? "tcp" : "udp",
		    old->owner_pid);
		mapctl_finish(x, 1);
		return;
	}
	if (old != NULL && old->has_nonce) {	/* PCP: renew, not re-create */
		s.has_nonce = true;
		memcpy(s.nonce, old->nonce, sizeof(s.nonce));
	}
	x->op = mapping_start(x->base, &x->c.gateway, &s, x->c.timeout_ms,
	    mapctl_added, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

static void
mapctl_deleted(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapctl_retire(x);
	if (!g->ok) {
		mapout_error(&x->c, g);
		mapctl_finish(x, 1);
		return;
	}
	mapctl_update(x, mapctl_drop, &x->kept);
	mapout_removed(&x->c, &x->kept);
	mapctl_finish(x, 0);
}

static void
mapctl_del(struct mapctl_ctx *x)
{
	struct state_mapping *m = state_find(&x->st, x->c.spec.protocol,
	    x->c.spec.internal_port, NULL);
	struct mapping_spec s;

	if (m == NULL) {	/* never touch what this host did not make */
		fprintf(stderr, "homereach map: no mapping of %u/%s made by this "
		    "host\n", x->c.spec.internal_port,
		    x->c.spec.protocol == IPPROTO_TCP ? "tcp" : "udp");
		mapctl_finish(x, 1);
		return;
	}
	x->kept = *m;
	mapctl_spec_of(m, &s);
	s.remove = true;
	x->op = mapping_start(x->base, &m->gateway, &s, x->c.timeout_ms,
	    mapctl_deleted, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

static void
mapctl_command(struct mapctl_ctx *x)
{
	switch (x->c.cmd) {
	case MAPCTL_ADD: mapctl_add(x); break;
	case MAPCTL_DEL: mapctl_del(x); break;
	case MAPCTL_LIST:
		mapout_list(&x->c, &x->st, mapctl_now());
		mapctl_finish(x, 0);
		break;
	}
}

static void
mapctl_noop(struct mapctl_ctx *x, void *arg)
{
	(void)x, (void)arg;
}

static void
mapctl_free(struct mapctl_ctx *x)
{
	mapping_free(x->op);
	mapping_free(x->retired);
	gwprobe_free(x->probe);
	if (x->renew)
		event_free(x->renew);
	if (x->retry)
		event_free(x->retry);
	if (x->watch)
		event_free(x->watch);
	if (x->sigint)
		event_free(x->sigint);
	if (x->sigterm)
		event_free(x->sigterm);
	event_base_free(x->base);
}

int
mapctl_run(const struct mapctl *c)
{
	struct mapctl_ctx x = { .c = *c, .status = 1 };

	if (mkdir(c->state_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "homereach map: %s: %s\n", c->state_dir,
		    strerror(errno));
		return 1;
	}
	evthread_use_pthreads();
	x.base = event_base_new();
	/* Read (and create) the state file; a bad one stops us here. */
	if (mapctl_update(&x, mapctl_noop, NULL) < 0) {
		event_base_free(x.base);
		return 1;
	}
	mapctl_reclaim_next(&x);
	if (!event_base_got_break(x.base))
		event_base_dispatch(x.base);
	mapctl_free(&x);
	return x.status;
}
