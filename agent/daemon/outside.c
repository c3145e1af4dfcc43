/*
 * After a service gets a mapping: its DNS (a redirect record publishes
 * the external port), and the outside-in check when check_url is set;
 * the check also runs after each periodic check that changed nothing.
 * A mapping that the router lists but that does not answer from outside
 * is deleted and made again, once, and only when the home router is the
 * only NAT (behind another, its mapping is not the whole path in).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/reach.h"
#include "agent/daemon/service.h"
#include "lib/log.h"

static bool *
outside_remade(struct agent *a, const char *service)
{
	const struct service_config *c = config_service(a->cfg, service);

	return c ? &a->remade[c - a->cfg->services] : NULL;
}

static void
outside_on_reach(const struct reach_result *r, void *arg)
{
	struct agent *a = arg;
	bool *remade = outside_remade(a, r->service);

	if (!strcmp(r->result, "open")) {
		log_info("service %s: port %u answers from outside", r->service,
		    r->port);
		if (remade)
			*remade = false;
		return;
	}
	if (!strcmp(r->result, "error")) {
		log_warnx("service %s: outside check: %s", r->service, r->detail);
		return;
	}
	log_warnx("service %s: port %u does not answer from outside (%s)",
	    r->service, r->port, r->result);
	if (remade == NULL || *remade || a->stopping || !a->have_verdict ||
	    a->kind != V_SINGLE_NAT)
		return;
	*remade = true;
	services_remake(a->svc, r->service);
}

static void
agent_outside_one(struct agent *a, const char *name)
{
	const struct service_config *c = config_service(a->cfg, name);
	uint16_t port = services_port(a->svc, name);

	if (a->cfg->check_url[0] == '\0' || c == NULL || port == 0 || a->stopping)
		return;
	if (reach_check(a->reach, a->cfg->check_url, name, port, c->protocol,
	    outside_on_reach, a) < 0)
		log_warnx("service %s: cannot ask %s", name, a->cfg->check_url);
}

void
agent_on_service(const char *name, void *arg)
{
	struct agent *a = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	agent_ddns_for(a, "a service got its mapping", &now);
	agent_outside_one(a, name);
}

void
agent_outside_all(struct agent *a)
{
	for (int i = 0; i < a->cfg->nservices && a->cfg->check_url[0]; i++)
		if (services_port(a->svc, a->cfg->services[i].name) != 0)
			agent_outside_one(a, a->cfg->services[i].name);
}

void
agent_outside_json(struct agent *a, json_t *mappings)
{
	size_t i;
	json_t *o;

	json_array_foreach(mappings, i, o) {
		const char *name = json_string_value(json_object_get(o, "service"));
		const struct reach_result *r = name ? reach_last(a->reach, name) : NULL;
		if (r == NULL || json_is_true(json_object_get(o, "pinhole")))
			continue;	/* checked over IPv4 only, for now */
		json_object_set_new(o, "outside", json_pack("{s:s, s:i, s:I}",
		    "result", r->result, "port", r->port, "checked_at",
		    (json_int_t)r->at));
		if (r->detail[0])
			json_object_set_new(json_object_get(o, "outside"), "detail",
			    json_string(r->detail));
	}
}
