/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether the NAT in front of the home router (a carrier's, most often)
 * lets strangers in to a port held open from inside: RFC 4787's
 * endpoint-independent mapping and filtering, found by the RFC 5780 tests
 * from two local ports. The second is mapped on the home router to
 * itself, so that the filtering test, whose answers come from another
 * address, sees past the home router to the NAT in front. Run after each
 * full check where such a NAT is, and again when a held port moves: only
 * what strangers can reach is published.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "agent/daemon/timeline.h"
#include "agent/diagnosis/evidence.h"
#include "lib/log.h"
#include "nat/mapping.h"
#include "probes/stunprobe.h"

#define CARRIER_TEST_MS		3000
#define CARRIER_LEASE_S		120	/* the probe's mapping, if we die */

/* The finding, acted on: each service held, or none. */
static void
carrier_found(struct agent *a, bool full, const struct netaddr *server,
    const char *why)
{
	struct netaddr none = { 0 };
	const struct netaddr *hold = full ? server : &none;

	a->carrier.busy = false;
	if (strcmp(a->carrier.said, why) != 0) {
		log_info("the NAT in front of the home router: %s", why);
		snprintf(a->carrier.said, sizeof(a->carrier.said), "%s", why);
	}
	a->carrier.full_cone = full;
	services_trust_holds(a->svc, full);
	if (!addr_equal(&a->ways.hold, hold)) {
		a->ways.hold = *hold;
		services_apply(a->svc, a->cfg, &a->ways);
	}
	agent_ddns(a);		/* held ports published, or withdrawn */
}

static void
carrier_unmapped(const struct mapping_grant *g, void *arg)
{
	(void)g, (void)arg;	/* gone, or gone with its lease */
}

/* The probe's mapping of port B goes again (asked as it was made: PCP
 * removes only with the nonce that made it). */
static void
carrier_unmap(struct agent *a, const struct mapping_grant *g)
{
	struct mapping_spec s = a->carrier.spec;

	s.remove = true;
	s.via = g->via;
	mapping_free(a->carrier.unmap);
	a->carrier.unmap = mapping_start(a->base, &a->gateway, &s, 2000,
	    carrier_unmapped, a);
	a->carrier.granted.ok = false;
}

static void
carrier_tested(const struct stun_result *r, void *arg)
{
	struct agent *a = arg;
	bool full = r->ok && r->mapping == BEH_ENDPOINT_INDEPENDENT &&
	    r->filtering == BEH_ENDPOINT_INDEPENDENT;

	carrier_unmap(a, &a->carrier.granted);
	if (!r->ok)
		carrier_found(a, false, NULL, "not tested: the STUN server did not "
		    "answer");
	else if (full)
		carrier_found(a, true, &r->server_addr, "full cone: a port can be "
		    "held, and each service is");
	else if (r->mapping != BEH_ENDPOINT_INDEPENDENT)
		carrier_found(a, false, NULL, "maps per destination: no port can "
		    "be held");
	else
		carrier_found(a, false, NULL, "filters by destination: a held "
		    "port lets nobody else in");
}

static void
carrier_mapped(const struct mapping_grant *g, void *arg)
{
	struct agent *a = arg;
	const char *stun = a->cfg->nstun > 0 ? a->cfg->stun[0] : NULL;

	a->carrier.granted = *g;
	if (!g->ok || g->external_port != a->carrier.ports[1] || stun == NULL) {
		if (g->ok)
			carrier_unmap(a, g);
		carrier_found(a, false, NULL, "not tested: the home router did "
		    "not map the test's port");
		return;
	}
	stunprobe_free(a->carrier.probe);
	a->carrier.probe = stunprobe_start_ports(a->base, a->dns, stun, NULL,
	    a->carrier.ports, CARRIER_TEST_MS, STUNPROBE_BEHAVIOUR,
	    carrier_tested, a);
	if (a->carrier.probe == NULL) {
		carrier_unmap(a, g);
		carrier_found(a, false, NULL, "not tested: no STUN probe");
	}
}

/* Two free high ports (the kernel's choice would be another at bind). */
static void
carrier_ports(uint16_t ports[2])
{
	uint16_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = 0;
	ports[0] = (uint16_t)(49152 + r % 16000);
	ports[1] = (uint16_t)(ports[0] + 1);
}

static void
carrier_test(struct agent *a)
{
	struct mapping_spec *s = &a->carrier.spec;

	if (a->carrier.busy)
		return;
	a->carrier.busy = true;
	carrier_ports(a->carrier.ports);
	*s = (struct mapping_spec){ .protocol = IPPROTO_UDP,
	    .lifetime = CARRIER_LEASE_S, .internal_port = a->carrier.ports[1],
	    .external_port = a->carrier.ports[1] };
	if (mapping_choose_nonce(s) < 0) {
		carrier_found(a, false, NULL, "not tested: no random numbers");
		return;
	}
	mapping_free(a->carrier.map);
	a->carrier.map = mapping_start(a->base, &a->gateway, s, 2000,
	    carrier_mapped, a);
	if (a->carrier.map == NULL)
		carrier_found(a, false, NULL, "not tested: cannot ask the home "
		    "router");
}

/* A carrier's NAT in front of the home router (its next hop in shared
 * address space, RFC 6598) that does not map, a home router that does
 * (told, or finding by STUN, the public address), and a STUN server to
 * ask: the test runs. Until it says strangers get in, the home router's
 * mappings open nothing, whatever address it names. */
void
carrier_consider(struct agent *a, const struct evidence *ev)
{
	const struct gateway *home = evidence_role(ev, GW_HOME);
	const struct gateway *up = evidence_role(ev, GW_UPSTREAM);
	bool behind = home != NULL && evidence_gateway_names_public(home) &&
	    up != NULL && !evidence_gateway_can_map(up) &&
	    addr_classify(&up->address) == ADDR_SHARED;

	if (behind != a->ways.behind) {
		a->ways.behind = behind;
		services_apply(a->svc, a->cfg, &a->ways);
	}
	if (behind && a->cfg->nstun > 0) {
		carrier_test(a);
		return;
	}
	if (a->ways.hold.family) {
		a->ways.hold = (struct netaddr){ 0 };
		services_apply(a->svc, a->cfg, &a->ways);
	}
}

void
carrier_free(struct agent *a)
{
	mapping_free(a->carrier.map);
	mapping_free(a->carrier.unmap);
	stunprobe_free(a->carrier.probe);
}
