/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The test's mapping has a short lease and is removed as soon as the
 * tests have answered (asked as it was made: PCP removes only with the
 * nonce that made it).
 */
#include "agent/diagnosis/carriertest.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "nat/mapping.h"
#include "probes/stunprobe.h"

#define CARRIERTEST_MS		3000
#define CARRIERTEST_LEASE_S	120	/* the test's mapping, if we die */

struct carriertest {
	struct event_base *base;
	struct evdns_base *dns;
	struct netaddr gateway;
	char stun[128];
	struct mapping_spec spec;	/* port B's mapping, nonce and all */
	struct mapping_op *map, *unmap;
	struct stunprobe *probe;
	uint16_t ports[2];		/* local: A, and B mapped to itself */
	struct carrier_finding found;	/* told once the mapping is gone */
	carriertest_cb *cb;
	void *arg;
};

bool
carriertest_wanted(const struct evidence *ev)
{
	const struct gateway *home = evidence_role(ev, GW_HOME);
	const struct gateway *up = evidence_role(ev, GW_UPSTREAM);

	return home != NULL && evidence_gateway_names_public(home) &&
	    up != NULL && evidence_front_mapper(ev) == NULL &&
	    addr_classify(&up->address) == ADDR_SHARED;
}

/* The test's mapping is gone (or goes with its lease): the finding is
 * told. */
static void
carriertest_unmapped(const struct mapping_grant *g, void *arg)
{
	struct carriertest *t = arg;

	(void)g;
	t->cb(&t->found, t->arg);
}

/* The finding, kept until the mapping is removed (at once if there is
 * none). */
static void
carriertest_found(struct carriertest *t, enum carrier_behaviour kind,
    const struct netaddr *server, const char *words, bool mapped)
{
	struct mapping_spec s = t->spec;

	t->found = (struct carrier_finding){ .kind = kind };
	if (server != NULL)
		t->found.server = *server;
	snprintf(t->found.words, sizeof(t->found.words), "%s", words);
	s.remove = true;
	if (!mapped || (t->unmap = mapping_start(t->base, &t->gateway, &s,
	    2000, carriertest_unmapped, t)) == NULL)
		t->cb(&t->found, t->arg);
}

static void
carriertest_tested(const struct stun_result *r, void *arg)
{
	struct carriertest *t = arg;

	if (!r->ok)
		carriertest_found(t, CARRIER_UNTESTED, NULL, "not tested: the "
		    "STUN server did not answer", true);
	else if (r->mapping == BEH_ENDPOINT_INDEPENDENT &&
	    r->filtering == BEH_ENDPOINT_INDEPENDENT)
		carriertest_found(t, CARRIER_FULL_CONE, &r->server_addr,
		    "full cone: a port can be held", true);
	else if (r->mapping != BEH_ENDPOINT_INDEPENDENT)
		carriertest_found(t, CARRIER_PER_DESTINATION, NULL, "maps per "
		    "destination: no port can be held", true);
	else
		carriertest_found(t, CARRIER_FILTERS, NULL, "filters by "
		    "destination: a held port lets nobody else in", true);
}

static void
carriertest_mapped(const struct mapping_grant *g, void *arg)
{
	struct carriertest *t = arg;

	t->spec.via = g->via;
	if (!g->ok || g->external_port != t->ports[1]) {
		carriertest_found(t, CARRIER_UNTESTED, NULL, "not tested: the "
		    "home router did not map the test's port", g->ok);
		return;
	}
	t->probe = stunprobe_start_ports(t->base, t->dns, t->stun, NULL,
	    t->ports, CARRIERTEST_MS, STUNPROBE_BEHAVIOUR, carriertest_tested, t);
	if (t->probe == NULL)
		carriertest_found(t, CARRIER_UNTESTED, NULL, "not tested: no STUN "
		    "probe", true);
}

/* Two high ports side by side (the kernel's choice would be another at
 * bind). */
static void
carriertest_ports(uint16_t ports[2])
{
	uint16_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = 0;
	ports[0] = (uint16_t)(49152 + r % 16000);
	ports[1] = (uint16_t)(ports[0] + 1);
}

struct carriertest *
carriertest_start(struct event_base *base, struct evdns_base *dns,
    const struct netaddr *gateway, const char *stun, carriertest_cb *cb,
    void *arg)
{
	struct carriertest *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	*t = (struct carriertest){ .base = base, .dns = dns,
	    .gateway = *gateway, .cb = cb, .arg = arg };
	snprintf(t->stun, sizeof(t->stun), "%s", stun);
	carriertest_ports(t->ports);
	t->spec = (struct mapping_spec){ .protocol = IPPROTO_UDP,
	    .lifetime = CARRIERTEST_LEASE_S, .internal_port = t->ports[1],
	    .external_port = t->ports[1] };
	if (mapping_choose_nonce(&t->spec) < 0 ||
	    (t->map = mapping_start(base, gateway, &t->spec, 2000,
	    carriertest_mapped, t)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
carriertest_free(struct carriertest *t)
{
	if (t == NULL)
		return;
	mapping_free(t->map);
	mapping_free(t->unmap);
	stunprobe_free(t->probe);
	free(t);
}
