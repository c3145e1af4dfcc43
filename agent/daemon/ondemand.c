/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the command line asks of a running agent, since the agent owns
 * the state: `map add` and `map del` (a port kept for as long as the
 * agent runs, beside the configured [service] sections: it survives a
 * reload, and goes at exit as they do), and `ddns update`.
 *
 * Requests, one line each: "map add tcp|udp PORT EXTERNAL",
 * "map del tcp|udp PORT", "ddns update".
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "lib/log.h"
#include "lib/names.h"

static char *
ondemand_reply(bool ok, const char *what)
{
	char *text = NULL;
	json_t *o = json_pack("{s:b, s:s}", "ok", ok, ok ? "service" : "error",
	    what);

	if (o != NULL) {
		text = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	return text;
}

/* The configured service for the port, or the agent's own for it. */
static const struct service_config *
ondemand_find(const struct config *cfg, int protocol, unsigned port)
{
	for (int i = 0; i < cfg->nservices; i++)
		if (cfg->services[i].protocol == protocol &&
		    cfg->services[i].port == port)
			return &cfg->services[i];
	return NULL;
}

/* The agent's own services go into each configuration it runs. */
void
agent_ondemand_merge(struct agent *a, struct config *cfg)
{
	for (int i = 0; i < a->nextra; i++) {
		const struct service_config *e = &a->extra[i];
		if (ondemand_find(cfg, e->protocol, e->port) == NULL &&
		    cfg->nservices < CONFIG_MAX_SERVICES)
			cfg->services[cfg->nservices++] = *e;
	}
}

static void
ondemand_apply(struct agent *a)
{
	services_apply(a->svc, a->cfg, &a->ways);
}

static char *
ondemand_add(struct agent *a, int protocol, unsigned port, unsigned ext)
{
	const struct service_config *have = ondemand_find(a->cfg, protocol, port);
	struct service_config *e;

	if (have != NULL)
		return ondemand_reply(true, have->name);
	if (a->nextra == CONFIG_MAX_SERVICES ||
	    a->cfg->nservices == CONFIG_MAX_SERVICES)
		return ondemand_reply(false, "the agent keeps as many services "
		    "as it can");
	e = &a->extra[a->nextra++];
	*e = (struct service_config){ .protocol = protocol,
	    .port = (uint16_t)port, .external_port = (uint16_t)ext };
	snprintf(e->name, sizeof(e->name), "map-%u-%s", port,
	    proto_name(protocol));
	a->cfg->services[a->cfg->nservices++] = *e;
	log_info("map add: keeping %u/%s for the command line", port,
	    proto_name(protocol));
	ondemand_apply(a);
	return ondemand_reply(true, e->name);
}

static void
ondemand_forget(struct service_config *list, int *n, int i)
{
	memmove(&list[i], &list[i + 1], sizeof(*list) * (size_t)(*n - i - 1));
	(*n)--;
}

static char *
ondemand_del(struct agent *a, int protocol, unsigned port)
{
	const struct service_config *have = ondemand_find(a->cfg, protocol, port);
	char name[64];

	if (have == NULL)
		return ondemand_reply(false, "the agent keeps no such port");
	for (int i = 0; i < a->nextra; i++)
		if (!strcmp(a->extra[i].name, have->name))
			ondemand_forget(a->extra, &a->nextra, i);
	if (have->line != 0)
		return ondemand_reply(false, "a [service] section of the "
		    "configuration keeps it: remove it there and reload");
	snprintf(name, sizeof(name), "%s", have->name);
	ondemand_forget(a->cfg->services, &a->cfg->nservices,
	    (int)(have - a->cfg->services));
	log_info("map del: %u/%s removed for the command line", port,
	    proto_name(protocol));
	ondemand_apply(a);
	return ondemand_reply(true, name);
}

static int
ondemand_port(const char *proto, const char *port, int *protocol,
    unsigned *out)
{
	char *end;
	unsigned long v = strtoul(port, &end, 10);

	*protocol = !strcmp(proto, "tcp") ? IPPROTO_TCP :
	    !strcmp(proto, "udp") ? IPPROTO_UDP : 0;
	*out = (unsigned)v;
	return *protocol && *port && !*end && v <= 65535 ? 0 : -1;
}

char *
agent_ondemand(struct agent *a, const char *request)
{
	char verb[8], proto[8], port[8], ext[8] = "0";
	int protocol, n;
	unsigned p, e;
	struct timespec now;

	if (!strcmp(request, "ddns update")) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		agent_ddns_for(a, "asked by ddns update", &now);
		return ondemand_reply(true, "ddns");
	}
	n = sscanf(request, "map %7s %7s %7s %7s", verb, proto, port, ext);
	if (n < 3 || ondemand_port(proto, port, &protocol, &p) < 0 || p == 0 ||
	    ondemand_port(proto, ext, &protocol, &e) < 0)
		return NULL;
	if (!strcmp(verb, "add") && n == 4)
		return ondemand_add(a, protocol, p, e);
	if (!strcmp(verb, "del") && n == 3)
		return ondemand_del(a, protocol, p);
	return NULL;
}
