/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The map subcommand on one event loop. First the state file is
 * reconciled: a mapping whose keeping process died (kill -9) is removed
 * from its router, one whose lease ran out is forgotten. Then add, del or
 * list. Through a double NAT, add maps on the home router, then on the
 * upstream router toward the home router's external port.
 */
#include "agent/cli/mapctl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "agent/cli/maplist.h"
#include "agent/cli/mapout.h"
#include "agent/diagnosis/diagnosis.h"
#include "agent/diagnosis/verdict.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/proc.h"
#include "nat/mapkeep.h"
#include "probes/hairpin.h"
#include "lib/names.h"

struct mapctl_ctx {
	struct mapctl c;
	struct event_base *base;
	struct evdns_base *dns;
	struct state st;		/* as read at start */
	struct mapping_op *op, *retired;
	struct diagnosis *diag;
	struct hairpin *hairpin;
	struct mapkeep *keep;
	struct maplist *list;
	struct event *sigs[2];		/* INT, TERM */
	int next;			/* state index being reclaimed or removed */
	struct map_record recs[MAPKEEP_MAX_LAYERS];
	struct mapping_spec specs[MAPKEEP_MAX_LAYERS];
	struct mapping_grant grants[MAPKEEP_MAX_LAYERS];
	int nlayers;
	int status;
};

static void
mapctl_finish(struct mapctl_ctx *x, int status)
{
	x->status = status;
	event_base_loopbreak(x->base);
}

/* The operation whose callback runs cannot be freed there: it is retired,
 * and freed at the next retirement. */
static void
mapctl_retire(struct mapctl_ctx *x)
{
	mapping_free(x->retired);
	x->retired = x->op;
	x->op = NULL;
}

static int
mapctl_save(struct mapctl_ctx *x, void (*change)(struct state *, void *),
    void *arg)
{
	char why[REASON_LEN];
	int rc = state_update(x->c.state_path, change, arg, why, sizeof(why));

	if (rc < 0)
		log_warnx("%s", why);
	return rc;
}

/* The keeper's changes, written at once: this process is the only one
 * that keeps these mappings (no agent runs). */
static void
mapctl_on_save(enum mapkeep_change what, const struct map_record *m, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapctl_save(x, what == MAPKEEP_STORE ? state_store : state_drop,
	    (void *)m);
}

/* The intent first: a pending record before the request leaves, so that
 * the next command finds the mapping whatever happens meanwhile. */
static int
mapctl_intend(struct mapctl_ctx *x, struct mapping_spec *s,
    const struct netaddr *gateway, uint16_t chain)
{
	struct map_record rec;

	if (mapping_choose_nonce(s) < 0)
		return -1;
	maprec_pending(s, gateway, chain, &rec);
	return mapctl_save(x, state_store_new, &rec);
}

static void
mapctl_unchanged(struct state *st, void *arg)
{
	(void)st, (void)arg;
}

/* --- reconcile --- */

static void mapctl_command(struct mapctl_ctx *x);
static void mapctl_reclaim_next(struct mapctl_ctx *x);

static void
mapctl_reclaimed(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;
	struct map_record m = x->st.maps[x->next++];

	mapctl_retire(x);
	if (g->ok) {
		log_info("removed %u/%s, left by process %d", m.internal_port,
		    proto_name(m.protocol), m.owner_pid);
		mapctl_save(x, state_drop, &m);
	} else {
		/* Kept on record: the router drops it when its lease ends. */
		log_warnx("cannot remove %u/%s, left by process %d: %s",
		    m.internal_port, proto_name(m.protocol), m.owner_pid,
		    g->error);
		mapctl_save(x, state_disown, &m);
	}
	mapctl_reclaim_next(x);
}

static void
mapctl_reclaim_next(struct mapctl_ctx *x)
{
	for (; x->next < x->st.nmaps; x->next++) {
		struct map_record *m = &x->st.maps[x->next];
		struct mapping_spec s;
		if (m->lifetime != 0 && m->granted_at + m->lifetime < time(NULL)) {
			mapctl_save(x, state_drop, m);
			continue;
		}
		if (maprec_owner_alive(m))
			continue;
		maprec_spec(m, &s);
		s.remove = true;
		x->op = mapping_start(x->base, &m->gateway, &s, x->c.timeout_ms,
		    mapctl_reclaimed, x);
		if (x->op != NULL)
			return;
	}
	mapctl_command(x);
}

/* --- add --- */

static void
mapctl_kept(int status, void *arg)
{
	mapctl_finish(arg, status);
}

static void
mapctl_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct mapctl_ctx *x = arg;

	(void)what;
	log_info("signal %d: removing the mappings", (int)sig);
	mapkeep_stop(x->keep);
}

/* Printed, with the hairpin check's result if there is one: keep it, or
 * done. */
static void
mapctl_report(struct mapctl_ctx *x, const struct hairpin_result *hp)
{
	static const int sigs[2] = { SIGINT, SIGTERM };

	mapout_grant(&x->c, &x->grants[0], x->nlayers > 1 ? &x->grants[1] : NULL,
	    hp);
	if (!x->c.keep) {
		mapctl_finish(x, 0);
		return;
	}
	x->keep = mapkeep_start(x->base, mapctl_on_save, x->c.timeout_ms,
	    x->c.check_s, x->recs, x->specs, x->nlayers, mapctl_kept, x);
	if (x->keep == NULL) {
		mapctl_finish(x, 1);
		return;
	}
	if (loop_signals(x->base, sigs, 2, mapctl_on_signal, x, x->sigs) < 0)
		mapctl_finish(x, 1);
}

static void
mapctl_on_hairpin(const struct hairpin_result *r, void *arg)
{
	mapctl_report(arg, r);
}

/* A TCP port open on a public address: does it answer from this LAN too
 * (NAT loopback)? */
static void
mapctl_added_all(struct mapctl_ctx *x)
{
	const struct mapping_grant *out = &x->grants[x->nlayers - 1];

	if (x->c.spec.protocol == IPPROTO_TCP && out->gateway.family == AF_INET &&
	    addr_is_public(&out->external))
		x->hairpin = hairpin_start(x->base, &out->external,
		    out->external_port, &x->c.gateway, 1000, mapctl_on_hairpin, x);
	if (x->hairpin == NULL)
		mapctl_report(x, NULL);
}

static int
mapctl_keep_record(struct mapctl_ctx *x, const struct mapping_grant *g,
    uint16_t chain)
{
	struct map_record *m = &x->recs[x->nlayers];

	x->grants[x->nlayers] = *g;
	maprec_of_grant(g, &x->specs[x->nlayers], chain, m);
	if (x->c.keep) {
		m->owner_pid = getpid();
		m->owner_start = proc_start_time(m->owner_pid);
	}
	x->nlayers++;
	return mapctl_save(x, state_store, m);
}

static void
mapctl_undone(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapctl_retire(x);
	fprintf(stderr, "homereach map: the state file cannot be written, so "
	    "the mapping %s\n", g->ok ? "was removed again" :
	    "could not be recorded, nor removed again");
	mapctl_finish(x, 1);
}

/* A grant that cannot be recorded is not kept: nobody would know it. */
static void
mapctl_undo(struct mapctl_ctx *x)
{
	struct mapping_spec s;

	maprec_spec(&x->recs[x->nlayers - 1], &s);
	s.remove = true;
	x->op = mapping_start(x->base, &x->recs[x->nlayers - 1].gateway, &s,
	    x->c.timeout_ms, mapctl_undone, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

static void
mapctl_added_upstream(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;
	char up[ADDR_STRLEN];

	mapctl_retire(x);
	if (!g->ok) {
		fprintf(stderr, "homereach map: the home router mapped %u/%s, but "
		    "the upstream router at %s refused (%s); `homereach diagnose` "
		    "says what to do\n", x->c.spec.internal_port,
		    proto_name(x->c.spec.protocol),
		    addr_ntop(&x->c.upstream, up, sizeof(up)), g->error);
		mapctl_finish(x, 1);
		return;
	}
	if (mapctl_keep_record(x, g, x->c.spec.internal_port) < 0) {
		mapctl_undo(x);
		return;
	}
	mapctl_added_all(x);
}

/* Map on the upstream router, toward the home router's external port. */
static void
mapctl_map_upstream(struct mapctl_ctx *x)
{
	const struct mapping_grant *home = &x->grants[0];
	struct mapping_spec *s = &x->specs[1];

	*s = x->c.spec;
	s->internal_port = home->external_port;
	s->external_port = x->c.spec.external_port ? x->c.spec.external_port :
	    home->external_port;
	s->upstream = true;
	s->has_nonce = false;
	if (s->via == VIA_ANY && !addr_is_public(&home->external))
		s->client = home->external;	/* its real WAN address */
	s->via = VIA_ANY;
	if (mapctl_intend(x, s, &x->c.upstream, x->c.spec.internal_port) < 0) {
		fprintf(stderr, "homereach map: cannot record the upstream "
		    "mapping; it was not asked for\n");
		mapctl_finish(x, 1);
		return;
	}
	x->op = mapping_start(x->base, &x->c.upstream, s, x->c.timeout_ms,
	    mapctl_added_upstream, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

static void
mapctl_diagnosed(struct diagnosis *d, void *arg)
{
	struct mapctl_ctx *x = arg;
	const struct gateway *up = evidence_role(diagnosis_evidence(d), GW_UPSTREAM);

	(void)d;
	if (up != NULL) {
		x->c.upstream = up->address;
		mapctl_map_upstream(x);
		return;
	}
	if (x->grants[0].external.family == 0)
		log_warnx("the home router named no external address, and no "
		    "upstream router was found");
	else if (!addr_is_public(&x->grants[0].external))
		log_warnx("the home router's external address is not public, and "
		    "no upstream router was found");
	mapctl_added_all(x);
}

/* The probes of diagnose, with --stun's observers; false if they cannot
 * start. */
static bool
mapctl_diagnose(struct mapctl_ctx *x, void (*cb)(struct diagnosis *, void *))
{
	struct diagnosis_config cfg = { .timeout_ms = 2000 };

	for (int i = 0; i < x->c.nstun; i++)
		cfg.stun[cfg.nstun++] = x->c.stun[i];
	diagnosis_use_defaults(&cfg);
	x->dns = loop_dns_new(x->base);
	x->diag = x->dns == NULL ? NULL :
	    diagnosis_start(x->base, x->dns, &cfg, cb, x);
	return x->diag != NULL;
}

/* After the home router's grant: is there a NAT in front of it? */
static void
mapctl_find_upstream(struct mapctl_ctx *x)
{
	if (x->c.upstream.family) {
		mapctl_map_upstream(x);
		return;
	}
	if (x->c.nstun == 0 && addr_is_public(&x->grants[0].external)) {
		mapctl_added_all(x);	/* one NAT, as far as we were told */
		return;
	}
	if (!mapctl_diagnose(x, mapctl_diagnosed))
		mapctl_added_all(x);
}

/* The home router refused for want of a public address: what the probes
 * say to do (behind a carrier that maps, what to set on the home router). */
static void
mapctl_refused_diagnosed(struct diagnosis *d, void *arg)
{
	struct mapctl_ctx *x = arg;
	struct verdict v;

	verdict_decide(diagnosis_evidence(d), &v);
	mapout_error(&x->c, &x->grants[0], v.nadvice > 0 ?
	    v.advice[0].detail : NULL);
	mapctl_finish(x, 1);
}

static void
mapctl_refused(struct mapctl_ctx *x, const struct mapping_grant *g)
{
	x->grants[0] = *g;
	if (!g->no_public_address || !mapctl_diagnose(x,
	    mapctl_refused_diagnosed)) {
		mapout_error(&x->c, g, NULL);
		mapctl_finish(x, 1);
	}
}

static void
mapctl_added(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapctl_retire(x);
	if (!g->ok) {
		mapctl_refused(x, g);
		return;
	}
	if (mapctl_keep_record(x, g, 0) < 0) {
		mapctl_undo(x);
		return;
	}
	mapctl_find_upstream(x);
}

static void
mapctl_add(struct mapctl_ctx *x)
{
	struct mapping_spec *s = &x->specs[0];
	struct map_record *old = state_find(&x->st, x->c.spec.protocol,
	    x->c.spec.internal_port, &x->c.gateway);

	*s = x->c.spec;
	if (old != NULL && old->owner_pid != 0 && maprec_owner_alive(old)) {
		fprintf(stderr, "homereach map: %u/%s is kept by process %d\n",
		    s->internal_port, proto_name(s->protocol), old->owner_pid);
		mapctl_finish(x, 1);
		return;
	}
	if (old != NULL && old->has_nonce) {	/* PCP: renew, not re-create */
		s->has_nonce = true;
		memcpy(s->nonce, old->nonce, sizeof(s->nonce));
	}
	if (old != NULL && old->via != VIA_ANY) {	/* granted: a renewal */
		s->renew = true;
		s->pinhole_id = old->pinhole_id;	/* IGDv2: UpdatePinhole */
	}
	if (mapctl_intend(x, s, &x->c.gateway, 0) < 0) {
		fprintf(stderr, "homereach map: cannot record %u/%s in %s before "
		    "asking for it; nothing was asked\n", s->internal_port,
		    proto_name(s->protocol), x->c.state_path);
		mapctl_finish(x, 1);
		return;
	}
	x->op = mapping_start(x->base, &x->c.gateway, s, x->c.timeout_ms,
	    mapctl_added, x);
	if (x->op == NULL)
		mapctl_finish(x, 1);
}

/* --- del: the host's own mapping and its upstream layer --- */

static bool
mapctl_is_ours(const struct mapctl *c, const struct map_record *m)
{
	return m->protocol == c->spec.protocol &&
	    ((m->chain == 0 && m->internal_port == c->spec.internal_port) ||
	    m->chain == c->spec.internal_port);
}

static void mapctl_del_next(struct mapctl_ctx *x);

static void
mapctl_deleted(const struct mapping_grant *g, void *arg)
{
	struct mapctl_ctx *x = arg;
	struct map_record m = x->st.maps[x->next++];

	mapctl_retire(x);
	if (!g->ok) {
		mapout_error(&x->c, g, NULL);
		x->status = 1;
	} else if (mapctl_save(x, state_drop, &m) < 0) {
		fprintf(stderr, "homereach map: %u/%s was removed from its router, "
		    "but the state file still lists it\n", m.internal_port,
		    proto_name(m.protocol));
		x->status = 1;
	} else {
		mapout_removed(&x->c, &m);
		x->nlayers++;
	}
	mapctl_del_next(x);
}

static void
mapctl_del_next(struct mapctl_ctx *x)
{
	struct mapping_spec s;

	for (; x->next < x->st.nmaps; x->next++) {
		struct map_record *m = &x->st.maps[x->next];
		if (!mapctl_is_ours(&x->c, m))
			continue;
		maprec_spec(m, &s);
		s.remove = true;
		x->op = mapping_start(x->base, &m->gateway, &s, x->c.timeout_ms,
		    mapctl_deleted, x);
		if (x->op != NULL)
			return;
	}
	if (x->nlayers == 0 && x->status == 0) {
		/* Never touch what this host did not make. */
		fprintf(stderr, "homereach map: no mapping of %u/%s made by this "
		    "host\n", x->c.spec.internal_port,
		    proto_name(x->c.spec.protocol));
		x->status = 1;
	}
	mapctl_finish(x, x->status);
}

static void
mapctl_listed(const struct maplist_router *router, void *arg)
{
	struct mapctl_ctx *x = arg;

	mapout_list(&x->c, &x->st, router, (int64_t)time(NULL));
	mapctl_finish(x, 0);
}

static void
mapctl_command(struct mapctl_ctx *x)
{
	char why[REASON_LEN];

	/* Reread: reclaiming may have changed it. */
	if (state_load(x->c.state_path, &x->st, why, sizeof(why)) < 0) {
		log_warnx("%s", why);
		mapctl_finish(x, 1);
		return;
	}
	x->next = 0;
	switch (x->c.cmd) {
	case MAPCTL_ADD: mapctl_add(x); break;
	case MAPCTL_DEL:
		/* Nothing is removed that the state file could not forget. */
		if (mapctl_save(x, mapctl_unchanged, NULL) < 0) {
			fprintf(stderr, "homereach map: cannot write %s; nothing "
			    "was removed\n", x->c.state_path);
			mapctl_finish(x, 1);
			break;
		}
		x->status = 0;
		mapctl_del_next(x);
		break;
	case MAPCTL_LIST:
		if ((x->list = maplist_start(x->base, &x->st, x->c.timeout_ms,
		    mapctl_listed, x)) == NULL)
			mapctl_finish(x, 1);
		break;
	}
}

static void
mapctl_free(struct mapctl_ctx *x)
{
	mapkeep_free(x->keep);
	maplist_free(x->list);
	loop_signals_free(x->sigs, 2);
	mapping_free(x->op);
	mapping_free(x->retired);
	diagnosis_free(x->diag);
	hairpin_free(x->hairpin);
	loop_dns_free(x->base, x->dns);
	event_base_free(x->base);
}

int
mapctl_run(const struct mapctl *c)
{
	struct mapctl_ctx x = { .c = *c, .status = 1 };
	char why[REASON_LEN];

	if (mkdir(c->state_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "homereach map: %s: %s\n", c->state_dir,
		    strerror(errno));
		return 1;
	}
	/* A bad state file stops us here; a missing one is empty. */
	if (state_load(c->state_path, &x.st, why, sizeof(why)) < 0) {
		fprintf(stderr, "homereach map: %s\n", why);
		return 1;
	}
	if ((x.base = loop_base_new()) == NULL)
		return 1;
	mapctl_reclaim_next(&x);
	if (!event_base_got_break(x.base))
		event_base_dispatch(x.base);
	mapctl_free(&x);
	return x.status;
}
