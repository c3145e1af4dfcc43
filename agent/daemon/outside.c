/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * After a service gets a mapping: its DNS (a redirect record publishes
 * the external port), and the outside-in check when check_url is set (a
 * held port is published only once that check reached it);
 * the check also runs after each periodic check that changed nothing.
 * A pinhole is checked over IPv6 from this host's stable address, which it
 * opens. A mapping or pinhole that the router lists but that does not
 * answer from outside is deleted and made again, once. Where the mapping
 * is the whole way in (one NAT), a TCP service's public address and port
 * are also tried from this host: does the router loop them back?
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "lib/log.h"
#include "lib/netif.h"
#include "probes/reach.h"

/* Whether the service's way of family was deleted and made again since
 * it last answered from outside. */
static bool *
outside_remade(struct agent *a, const char *service, int family)
{
	const struct service_config *c = config_service(a->cfg, service);

	return c ? &a->remade[c - a->cfg->services][family == AF_INET6] : NULL;
}

static const char *
outside_way(int family)
{
	return family == AF_INET6 ? "pinhole" : "port";
}

/* Made again only where our layers are the whole way in: a pinhole
 * always (no NAT on IPv6), a mapping when the home router is the only
 * NAT or the router in front maps too (behind another that does not, the
 * home router's mapping is not the whole path). */
static bool
outside_may_remake(const struct agent *a, int family)
{
	return !a->stopping && (family == AF_INET6 || (a->have_verdict &&
	    (a->kind == V_SINGLE_NAT || a->ways.upstream.family)));
}

/* A held port is published once the outside check reached it (and
 * withdrawn once one does not): the DNS step waited for this answer. */
static void
outside_held(struct agent *a, const struct reach_result *r)
{
	bool due = services_outside_due(a->svc);
	struct timespec now;

	if (!services_outside_said(a->svc, r->service, r->family, r->port,
	    !strcmp(r->result, "open")) && !due)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	agent_ddns_for(a, "a held port's outside check answered", &now);
}

static void
outside_on_reach(const struct reach_result *r, void *arg)
{
	struct agent *a = arg;
	bool *remade = outside_remade(a, r->service, r->family);

	outside_held(a, r);
	if (!strcmp(r->result, "open"))
		a->count.outside_open++;
	else
		a->count.outside_failed++;
	if (!strcmp(r->result, "open")) {
		log_info("service %s: %s %u answers from outside over IPv%d",
		    r->service, outside_way(r->family), r->port,
		    r->family == AF_INET6 ? 6 : 4);
		if (remade)
			*remade = false;
		return;
	}
	if (!strcmp(r->result, "error")) {
		log_warnx("service %s: outside check: %s", r->service, r->detail);
		return;
	}
	log_warnx("service %s: %s %u does not answer from outside over IPv%d "
	    "(%s)", r->service, outside_way(r->family), r->port,
	    r->family == AF_INET6 ? 6 : 4, r->result);
	timeline_add(a->timeline, HAP_CHECK_FAILED, r->service, NULL, r->result,
	    "service %s: %s %u does not answer from outside over IPv%d (%s)",
	    r->service, outside_way(r->family), r->port,
	    r->family == AF_INET6 ? 6 : 4, r->result);
	if (remade == NULL || *remade || !outside_may_remake(a, r->family))
		return;
	*remade = true;
	services_remake(a->svc, r->service, r->family);
}

/* A relayed port tried from this host over the internet: out through
 * the carrier's NAT, in at the relay's public address and port, through
 * the tunnel to the service, as a stranger comes (from an address that is
 * not the relay's, so check_url, which connects back to the asker, cannot
 * try it). */
static void
outside_on_relayed(const struct hairpin_result *r, void *arg)
{
	struct agent_hairpin *h = arg;
	struct agent *a = h->a;
	struct reach_result rr = { .family = AF_INET, .port = r->port };

	snprintf(rr.service, sizeof(rr.service), "%s",
	    a->cfg->services[h - a->hairpin].name);
	snprintf(rr.result, sizeof(rr.result), "%s", r->kind == HAIRPIN_YES ?
	    "open" : r->kind == HAIRPIN_NO ? "no-answer" : "error");
	if (r->kind == HAIRPIN_UNKNOWN)
		snprintf(rr.detail, sizeof(rr.detail), "the home router itself "
		    "answers on port %u: the relay's answer proves nothing",
		    r->port);
	rr.at = (int64_t)time(NULL);
	h->relayed = rr;
	h->busy = false;
	outside_on_reach(&rr, a);
}

/* 1 if name's IPv4 way is the relay (tried, if TCP), 0 if it is not. */
static int
outside_relayed(struct agent *a, const char *name, int family)
{
	const struct service_config *c = config_service(a->cfg, name);
	uint16_t port = services_port(a->svc, name, family);
	struct agent_hairpin *h;

	if (family != AF_INET || !a->ways.relay.family || c == NULL)
		return 0;
	h = &a->hairpin[c - a->cfg->services];
	if (c->protocol != IPPROTO_TCP || port == 0 || a->stopping || h->busy)
		return 1;	/* a UDP service need not answer a stranger */
	hairpin_free(h->op);
	h->a = a;
	h->op = hairpin_start(a->base, &a->ways.relay, port, &a->gateway, 3000,
	    outside_on_relayed, h);
	h->busy = h->op != NULL;
	return 1;
}

static void
agent_outside_one(struct agent *a, const char *name, int family)
{
	const struct service_config *c = config_service(a->cfg, name);
	uint16_t port = services_port_kept(a->svc, name, family);
	const struct netaddr *source = family == AF_INET6 ? &a->ways.host6 :
	    NULL;
	int rc;

	if (outside_relayed(a, name, family) ||
	    a->cfg->check_url[0] == '\0' || c == NULL || port == 0 ||
	    a->stopping || (source != NULL && source->family != AF_INET6))
		return;
	rc = reach_check(a->reach, a->cfg->check_url, name, source, port,
	    c->protocol, outside_on_reach, a);
	if (rc == REACH_OTHER_FAMILY)	/* said once in the README: a name */
		log_debug("service %s: %s is no IPv%d server: not checked",
		    name, a->cfg->check_url, family == AF_INET6 ? 6 : 4);
	else if (rc < 0)
		log_warnx("service %s: cannot ask %s", name, a->cfg->check_url);
	if (rc < 0) {	/* a held port waits for no answer: none comes */
		struct reach_result r = { .family = family, .port = port };
		snprintf(r.service, sizeof(r.service), "%s", name);
		snprintf(r.result, sizeof(r.result), "%s",
		    rc == REACH_OTHER_FAMILY ? "open" : "error");
		outside_held(a, &r);
	}
}

static void
outside_on_hairpin(const struct hairpin_result *r, void *arg)
{
	struct agent_hairpin *h = arg;
	struct agent *a = h->a;
	size_t i = (size_t)(h - a->hairpin);
	char p[ADDR_STRLEN];

	addr_ntop(&r->public, p, sizeof(p));
	if (r->kind == HAIRPIN_NO && (!h->known || h->last.kind != HAIRPIN_NO))
		log_warnx("service %s: %s:%u does not answer from this LAN (%s): "
		    "the router has no NAT loopback; `homereach status` says "
		    "what to set in the local DNS", a->cfg->services[i].name, p,
		    r->port, r->detail);
	else if (r->kind != HAIRPIN_NO)
		log_info("service %s: NAT loopback of %s:%u: %s",
		    a->cfg->services[i].name, p, r->port, hairpin_name(r->kind));
	h->busy = false;
	h->known = true;
	h->last = *r;
}

/* The public side of a TCP service's mapping, tried from this host (again
 * only if it moved, with !always). */
static void
outside_hairpin(struct agent *a, const char *name, bool always)
{
	const struct service_config *c = config_service(a->cfg, name);
	uint16_t port = services_port(a->svc, name, AF_INET);
	struct agent_hairpin *h;

	if (c == NULL || c->protocol != IPPROTO_TCP || port == 0 ||
	    a->stopping || !a->have_verdict || a->kind != V_SINGLE_NAT ||
	    !addr_is_public(&a->public_v4) || a->ways.relay.family)
		return;
	h = &a->hairpin[c - a->cfg->services];
	if (!always && (h->busy || (h->known && h->last.port == port &&
	    addr_equal(&h->last.public, &a->public_v4))))
		return;
	hairpin_free(h->op);
	h->a = a;
	h->op = hairpin_start(a->base, &a->public_v4, port, &a->gateway, 1000,
	    outside_on_hairpin, h);
	h->busy = h->op != NULL;
}

void
agent_on_service(const char *name, int family, void *arg)
{
	struct agent *a = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (family == AF_INET)	/* a redirect record publishes its port */
		agent_ddns_for(a, "a service got its mapping", &now);
	agent_outside_one(a, name, family);
	if (family == AF_INET)
		outside_hairpin(a, name, true);
}

void
agent_hairpin_all(struct agent *a)
{
	for (int i = 0; i < a->cfg->nservices; i++)
		outside_hairpin(a, a->cfg->services[i].name, false);
}

void
agent_outside_free(struct agent *a)
{
	for (size_t i = 0; i < CONFIG_MAX_SERVICES; i++)
		hairpin_free(a->hairpin[i].op);
}

void
agent_outside_all(struct agent *a)
{
	static const int families[] = { AF_INET, AF_INET6 };

	for (int i = 0; i < a->cfg->nservices && a->cfg->check_url[0]; i++)
		for (size_t f = 0; f < 2; f++)
			agent_outside_one(a, a->cfg->services[i].name,
			    families[f]);
}

/* "hairpin": whether the mapping answers from this LAN, and the fix (a
 * local DNS record) when it does not. */
static void
outside_hairpin_json(const struct agent *a, const char *name, json_t *o)
{
	const struct service_config *c = config_service(a->cfg, name);
	const struct agent_hairpin *h = c ? &a->hairpin[c - a->cfg->services] :
	    NULL;
	char p[ADDR_STRLEN], fix[600];
	struct netaddr lan;
	json_t *j;

	if (h == NULL || !h->known)
		return;
	j = json_pack("{s:s, s:s, s:i, s:s}", "result", hairpin_name(
	    h->last.kind), "address", addr_ntop(&h->last.public, p, sizeof(p)),
	    "port", h->last.port, "detail", h->last.detail);
	if (h->last.kind == HAIRPIN_NO &&
	    netif_source_for(&a->gateway, &lan) == 0) {
		advice_local_dns(fix, sizeof(fix), config_ipv4_name(a->cfg), &lan);
		json_object_set_new(j, "fix", json_string(fix));
	}
	json_object_set_new(o, "hairpin", j);
}

void
agent_outside_json(struct agent *a, json_t *mappings)
{
	size_t i;
	json_t *o, *j;

	json_array_foreach(mappings, i, o) {
		const char *name = json_string_value(json_object_get(o, "service"));
		int family = json_is_true(json_object_get(o, "pinhole")) ?
		    AF_INET6 : AF_INET;
		const struct service_config *c = name ? config_service(a->cfg,
		    name) : NULL;
		const struct reach_result *r = name ? reach_last(a->reach, name,
		    family) : NULL;
		if (c != NULL && family == AF_INET && a->ways.relay.family)
			r = a->hairpin[c - a->cfg->services].relayed.at ?
			    &a->hairpin[c - a->cfg->services].relayed : NULL;
		if (family == AF_INET && name != NULL)
			outside_hairpin_json(a, name, o);
		if (r == NULL)
			continue;
		j = json_pack("{s:s, s:i, s:I}", "result", r->result, "port",
		    r->port, "checked_at", (json_int_t)r->at);
		if (r->detail[0])
			json_object_set_new(j, "detail", json_string(r->detail));
		json_object_set_new(o, "outside", j);
	}
}
