/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's side of the carrier test (agent/diagnosis/carriertest.c):
 * run after each full check where a carrier's NAT that maps nothing sits
 * in front of a home router that maps, and again when a held port moves;
 * a full cone gets each service held, anything else none. Only what
 * strangers can reach is published. Behind a full cone, the binding
 * lifetime is measured too: held ports need keep-alives no more often.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/event.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "agent/diagnosis/carriertest.h"
#include "lib/log.h"
#include "lib/stun.h"
#include "nat/hold.h"

#define CARRIER_REMEASURE_S	(24 * 3600)

/* The binding lifetime, acted on: the keep-alives of held ports but the
 * sentinel's as seldom as it allows. */
static void
carrier_lifetime(const struct lifetime_result *r, void *arg)
{
	struct agent *a = arg;
	int every = lifetime_interval(r, HOLD_KEEPALIVE_S);

	a->carrier.measuring = false;
	a->carrier.life = *r;
	a->carrier.life_at = (int64_t)time(NULL);
	hold_set_interval(every);
	if (!r->ok)
		log_info("the carrier's binding lifetime: not measured (%s): "
		    "keep-alives every %d s", r->why, every);
	else if (r->died_s)
		log_info("the carrier's binding lifetime: a silent port stays "
		    "open %d s, not %d s: keep-alives every %d s", r->alive_s,
		    r->died_s, every);
	else
		log_info("the carrier's binding lifetime: a silent port stays "
		    "open %d s or more: keep-alives every %d s", r->alive_s, every);
}

/* A held port moved, or the carrier is no full cone any more: a
 * measurement under way measured something else; the next full cone
 * measures again. */
void
carrier_forget_lifetime(struct agent *a)
{
	if (!a->carrier.measuring)
		return;
	lifetime_free(a->carrier.lifetime);
	a->carrier.lifetime = NULL;
	a->carrier.measuring = false;
}

/* Once behind a full cone, and again a day later. */
static void
carrier_measure(struct agent *a, const struct netaddr *server)
{
	if (a->carrier.measuring || (a->carrier.life_at != 0 &&
	    (int64_t)time(NULL) - a->carrier.life_at < CARRIER_REMEASURE_S))
		return;
	lifetime_free(a->carrier.lifetime);	/* its callback has returned */
	a->carrier.lifetime = lifetime_start(a->base, server, STUN_DEFAULT_PORT,
	    carrier_lifetime, a);
	a->carrier.measuring = a->carrier.lifetime != NULL;
}

/* The finding, acted on: each service held, or none. */
static void
carrier_found(const struct carrier_finding *f, void *arg)
{
	struct agent *a = arg;
	struct netaddr none = { 0 };
	bool full = f->kind == CARRIER_FULL_CONE;
	const struct netaddr *hold = full ? &f->server : &none;

	a->carrier.busy = false;
	a->carrier.retest = false;
	if (strcmp(a->carrier.said, f->words) != 0)
		log_info("the NAT in front of the home router: %s%s", f->words,
		    full ? ", and each service is" : "");
	snprintf(a->carrier.said, sizeof(a->carrier.said), "%s", f->words);
	a->carrier.full_cone = full;
	services_trust_holds(a->svc, full);
	if (!addr_equal(&a->ways.hold, hold)) {
		a->ways.hold = *hold;
		services_apply(a->svc, a->cfg, &a->ways);
	}
	if (full)
		carrier_measure(a, &f->server);
	else
		carrier_forget_lifetime(a);
	relay_consider(a);	/* no port held: the relay, if there is one */
	agent_ddns(a);		/* held ports published, or withdrawn */
}

static void
carrier_test(struct agent *a)
{
	struct carrier_finding none = { .kind = CARRIER_UNTESTED };

	if (a->carrier.busy)
		return;
	carriertest_free(a->carrier.test);	/* its callback has returned */
	a->carrier.busy = true;
	a->carrier.test = carriertest_start(a->base, a->dns, &a->gateway,
	    a->cfg->stun[0], carrier_found, a);
	if (a->carrier.test == NULL) {
		snprintf(none.words, sizeof(none.words), "not tested: cannot ask "
		    "the home router");
		carrier_found(&none, a);
	}
}

/* Until the test says strangers get in, the home router's mappings open
 * nothing, whatever address it names. */
void
carrier_consider(struct agent *a, const struct evidence *ev)
{
	bool behind = carriertest_wanted(ev);

	if (behind != a->ways.behind) {
		a->ways.behind = behind;
		services_apply(a->svc, a->cfg, &a->ways);
	}
	if (behind && a->cfg->nstun > 0) {
		carrier_test(a);
		return;
	}
	a->carrier.retest = false;	/* nothing to test any more */
	if (a->ways.hold.family) {
		a->ways.hold = (struct netaddr){ 0 };
		services_apply(a->svc, a->cfg, &a->ways);
	}
}

void
carrier_free(struct agent *a)
{
	carriertest_free(a->carrier.test);
	lifetime_free(a->carrier.lifetime);
}
