/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `map add` and `map del` while an agent runs: the agent owns the state,
 * so it is asked to keep (or to drop) the port over its control socket.
 * It answers add once each way in is granted or has failed, with the
 * layers of each; they are printed as a map add without an agent prints
 * its own grants (mapout.c), NAT loopback check included.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/cli/mapctl.h"
#include "agent/cli/mapout.h"
#include "agent/daemon/control.h"
#include "agent/daemon/ctlmsg.h"
#include "lib/loop.h"
#include "lib/names.h"
#include "lib/netif.h"

#define MAPAGENT_WAIT_MS	6000	/* the agent answers within 4.5 s */

/* A layer the agent keeps, as the grant mapout prints. */
static void
mapagent_grant(const struct map_record *m, struct mapping_grant *g)
{
	*g = (struct mapping_grant){ .ok = true, .via = m->via,
	    .gateway = m->gateway, .external = m->external,
	    .external_port = m->external_port, .lifetime = m->lifetime };
	if (m->gateway.family == AF_INET6)	/* a pinhole opens this host */
		g->internal = m->external;
	else
		netif_source_for(&m->gateway, &g->internal);
}

struct mapagent_print {
	const struct mapctl *c;
	struct mapping_grant g[WAYIN_MAX_LAYERS];
	int n;
};

static void
mapagent_print(const struct mapagent_print *p, const struct hairpin_result *hp)
{
	mapout_grant(p->c, &p->g[0], p->n > 1 ? &p->g[1] : NULL, hp);
}

static void
mapagent_on_hairpin(const struct hairpin_result *r, void *arg)
{
	mapagent_print(arg, r);
}

/* A TCP port on a public address: does it answer from this LAN too? */
static void
mapagent_hairpin(struct mapagent_print *p)
{
	const struct mapping_grant *out = &p->g[p->n - 1];
	struct event_base *base = NULL;
	struct hairpin *h = NULL;

	if (p->c->spec.protocol == IPPROTO_TCP && out->gateway.family ==
	    AF_INET && addr_is_public(&out->external) &&
	    (base = loop_base_new()) != NULL)
		h = hairpin_start(base, &out->external, out->external_port,
		    &p->g[0].gateway, 1000, mapagent_on_hairpin, p);
	if (h != NULL)
		event_base_dispatch(base);
	else
		mapagent_print(p, NULL);
	hairpin_free(h);
	if (base != NULL)
		event_base_free(base);
}

/* One way in of the reply; 1 if it failed. */
static int
mapagent_way(const struct mapctl *c, const json_t *way)
{
	struct mapagent_print p = { .c = c };
	struct map_record layers[WAYIN_MAX_LAYERS];
	struct mapping_grant failed = { 0 };
	const char *error;

	p.n = ctlmsg_way_parse(way, layers, WAYIN_MAX_LAYERS, &error);
	if (p.n <= 0) {
		snprintf(failed.error, sizeof(failed.error), "%s", error ? error :
		    "the agent's answer names no layer");
		mapout_error(c, &failed, NULL);
		return 1;
	}
	for (int i = 0; i < p.n; i++)
		mapagent_grant(&layers[i], &p.g[i]);
	mapagent_hairpin(&p);
	return 0;
}

static int
mapagent_added(const struct mapctl *c, const json_t *reply)
{
	const json_t *ways = json_object_get(reply, "ways"), *way;
	int rc = 0;
	size_t i;

	if (json_array_size(ways) == 0) {
		fprintf(stderr, "homereach map: the agent keeps %u/%s, but knows "
		    "no router to map it on\n", c->spec.internal_port,
		    proto_name(c->spec.protocol));
		return 1;
	}
	json_array_foreach(ways, i, way)
		rc |= mapagent_way(c, way);
	return rc;
}

bool
mapagent_running(const char *dir)
{
	return control_running(dir);
}

int
mapagent_run(const struct mapctl *c, const char *dir)
{
	struct ctl_request r = { .verb = c->cmd == MAPCTL_ADD ? CTL_MAP_ADD :
	    CTL_MAP_DEL, .protocol = c->spec.protocol,
	    .port = c->spec.internal_port, .external_port = c->spec.external_port };
	int error, rc = 1;
	json_t *reply = cli_ask_agent(dir, &r, MAPAGENT_WAIT_MS, &error);
	enum ctl_code code = ctlmsg_code(reply);

	if (reply == NULL)
		return error == -ENOENT || error == -ECONNREFUSED ? -1 : 1;
	if (code == CTL_OK && c->cmd == MAPCTL_ADD)
		rc = mapagent_added(c, reply);
	else if (code == CTL_OK) {
		printf("%u/%s: removed by the agent\n", c->spec.internal_port,
		    proto_name(c->spec.protocol));
		rc = 0;
	} else if (code == CTL_NO_SUCH_PORT && c->cmd == MAPCTL_DEL)
		rc = -1;	/* made before the agent ran: removed here */
	else {
		const char *why = json_string_value(json_object_get(reply,
		    "error"));
		fprintf(stderr, "homereach map: %s\n", why ? why :
		    "the agent's answer says nothing");
	}
	json_decref(reply);
	return rc;
}
