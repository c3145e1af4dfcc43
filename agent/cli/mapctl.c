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
#include "nat/reclaim.h"
#include "nat/wayin.h"
#include "probes/hairpin.h"
#include "lib/names.h"

struct mapctl_ctx {
	struct mapctl c;
	struct event_base *base;
	struct evdns_base *dns;
	struct state st;		/* as read at start */
	struct mapping_op *op, *retired;
	struct reclaim *reclaim;
	struct wayin *way;
	struct diagnosis *diag;
	struct hairpin *hairpin;
	struct maplist *list;
	struct event *sigs[2];		/* INT, TERM */
	int next;			/* state index being removed */
	int nlayers;			/* del: layers removed */
	bool unrecorded;		/* an intent could not be written */
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

/* What the way in and the reclaim record, written at once: this process
 * is the only writer (no agent runs). */
static void
mapctl_way_save(void *owner, enum wayin_change what,
    const struct map_record *m, wayin_saved_cb *done, void *done_arg)
{
	struct mapctl_ctx *x = owner;
	int rc = mapctl_save(x, state_way_change(what), (void *)m);

	x->unrecorded |= rc < 0 && what == WAYIN_INTEND;
	if (done != NULL)
		done(rc, done_arg);
}

static void
mapctl_unchanged(struct state *st, void *arg)
{
	(void)st, (void)arg;
}

static void mapctl_command(void *arg);

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
	wayin_stop(x->way, true);
}

/* Printed, with the hairpin check's result if there is one: keep it, or
 * done. */
static void
mapctl_report(struct mapctl_ctx *x, const struct hairpin_result *hp)
{
	static const int sigs[2] = { SIGINT, SIGTERM };

	mapout_grant(&x->c, wayin_grant(x->way, 0), wayin_layers(x->way) > 1 ?
	    wayin_grant(x->way, 1) : NULL, hp);
	if (!x->c.keep) {
		mapctl_finish(x, 0);
		return;
	}
	if (wayin_keep(x->way) < 0 ||
	    loop_signals(x->base, sigs, 2, mapctl_on_signal, x, x->sigs) < 0)
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
	const struct map_record *out = wayin_outer(x->way);

	if (x->c.spec.protocol == IPPROTO_TCP && out->gateway.family == AF_INET &&
	    addr_is_public(&out->external))
		x->hairpin = hairpin_start(x->base, &out->external,
		    out->external_port, &x->c.gateway, 1000, mapctl_on_hairpin, x);
	if (x->hairpin == NULL)
		mapctl_report(x, NULL);
}

static void
mapctl_diagnosed(struct diagnosis *d, void *arg)
{
	struct mapctl_ctx *x = arg;
	const struct evidence *ev = diagnosis_evidence(d);
	const struct gateway *up = evidence_front_mapper(ev);
	const struct mapping_grant *home = wayin_grant(x->way, 0);

	if (up == NULL)		/* tried, for what it says */
		up = evidence_role(ev, GW_UPSTREAM);
	if (up != NULL) {
		x->c.upstream = up->address;
		wayin_extend(x->way, &up->address);
		return;
	}
	if (home->external.family == 0)
		log_warnx("the home router named no external address, and no "
		    "upstream router was found");
	else if (!addr_is_public(&home->external))
		log_warnx("the home router's external address is not public, and "
		    "no upstream router was found");
	mapctl_added_all(x);
}

/* The probes of diagnose, with --stun's observers, else [probes]; false
 * if they cannot start. */
static bool
mapctl_diagnose(struct mapctl_ctx *x, void (*cb)(struct diagnosis *, void *))
{
	struct diagnosis_config cfg = { .timeout_ms = 2000 };

	for (int i = 0; i < x->c.nstun; i++)
		cfg.stun[cfg.nstun++] = x->c.stun[i];
	diagnosis_observers(&cfg, x->c.cfg);
	x->dns = loop_dns_new(x->base);
	x->diag = x->dns == NULL ? NULL :
	    diagnosis_start(x->base, x->dns, &cfg, cb, x);
	return x->diag != NULL;
}

/* Observers named by --stun or [probes]: the run asks them whether the
 * home router's address is really the public one (a router may be told
 * an address that a NAT in front of it holds). */
static bool
mapctl_observers_named(const struct mapctl *c)
{
	return c->nstun > 0 || (c->cfg != NULL && c->cfg->nstun + c->cfg->necho > 0);
}

/* Every layer asked for is granted: is there a NAT in front of the home
 * router (one the command line did not name)? */
static void
mapctl_granted(struct wayin *w, void *arg)
{
	struct mapctl_ctx *x = arg;

	if (wayin_layers(w) > 1 || x->c.upstream.family) {
		mapctl_added_all(x);
		return;
	}
	if (!mapctl_observers_named(&x->c) &&
	    addr_is_public(&wayin_grant(w, 0)->external)) {
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
	mapout_error(&x->c, wayin_grant(x->way, 0), v.nadvice > 0 ?
	    v.advice[0].detail : NULL);
	mapctl_finish(x, 1);
}

static void
mapctl_failed(struct wayin *w, int layer, const struct mapping_grant *g,
    void *arg)
{
	struct mapctl_ctx *x = arg;
	char up[ADDR_STRLEN];

	(void)w;
	if (x->unrecorded) {
		fprintf(stderr, "homereach map: cannot record %u/%s in %s before "
		    "asking for it; nothing was asked\n", x->c.spec.internal_port,
		    proto_name(x->c.spec.protocol), x->c.state_path);
	} else if (layer > 0) {
		fprintf(stderr, "homereach map: the home router mapped %u/%s, but "
		    "the upstream router at %s refused (%s); `homereach diagnose` "
		    "says what to do\n", x->c.spec.internal_port,
		    proto_name(x->c.spec.protocol),
		    addr_ntop(&g->gateway, up, sizeof(up)), g->error);
	} else if (!g->no_public_address || !mapctl_diagnose(x,
	    mapctl_refused_diagnosed)) {
		mapout_error(&x->c, g, NULL);
	} else
		return;		/* the probes say what to do */
	mapctl_finish(x, 1);
}

static void
mapctl_add(struct mapctl_ctx *x)
{
	struct map_record *old = state_find(&x->st, x->c.spec.protocol,
	    x->c.spec.internal_port, &x->c.gateway);
	struct wayin_params p = { .kind = wayin_kind_of(x->c.gateway.family),
	    .spec = x->c.spec, .gateway = x->c.gateway,
	    .upstream = x->c.upstream, .owned = x->c.keep,
	    .timeout_ms = x->c.timeout_ms, .check_s = x->c.check_s,
	    .save = mapctl_way_save, .owner = x,
	    .ev = { .granted = mapctl_granted, .failed = mapctl_failed,
	    .done = mapctl_kept }, .arg = x };

	if (old != NULL && old->owner_pid != 0 && maprec_owner_alive(old)) {
		fprintf(stderr, "homereach map: %u/%s is kept by process %d\n",
		    old->internal_port, proto_name(old->protocol), old->owner_pid);
		mapctl_finish(x, 1);
		return;
	}
	if (old != NULL && old->chain == 0) {	/* taken over: nonce, renewal */
		p.adopt[0] = old;
		if (x->c.spec.external_port)
			old->external_port = x->c.spec.external_port;
	}
	if ((x->way = wayin_start(x->base, &p)) == NULL)
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
		if (m->via == VIA_HOLD) {	/* a held flow: nothing to ask */
			mapctl_save(x, state_drop, m);
			continue;
		}
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
mapctl_command(void *arg)
{
	struct mapctl_ctx *x = arg;
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
	wayin_free(x->way);
	reclaim_free(x->reclaim);
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
	/* What a keeper that died left, first. */
	if ((x.reclaim = reclaim_start(x.base, x.st.maps, x.st.nmaps,
	    &(struct reclaim_params){ .save = mapctl_way_save, .owner = &x,
	    .timeout_ms = c->timeout_ms, .done = mapctl_command,
	    .arg = &x })) == NULL) {
		event_base_free(x.base);
		return 1;
	}
	if (!event_base_got_break(x.base))
		event_base_dispatch(x.base);
	mapctl_free(&x);
	return x.status;
}
