/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `map add` and `map del` while an agent runs: the agent owns the state,
 * so it is asked to keep (or to drop) the port, over its control socket,
 * and add waits until the agent's status shows the mapping made or
 * failed. Without an agent the map command does the work itself.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/cli/mapctl.h"
#include "lib/clock.h"
#include "lib/names.h"

#define MAPAGENT_POLL_US	20000

/* The agent's status entries for service (its IPv4 mapping, and its
 * pinhole where the host has IPv6), once each is mapped or failed. */
static json_t *
mapagent_entries(const char *dir, const char *service)
{
	int error;
	json_t *st = cli_ask_agent(dir, "status", &error), *m;
	json_t *found = json_array();
	bool settled = true;
	size_t i;

	json_array_foreach(json_object_get(st, "mappings"), i, m) {
		const char *name = json_string_value(json_object_get(m, "service"));
		const char *state = json_string_value(json_object_get(m, "state"));
		if (name == NULL || strcmp(name, service) != 0)
			continue;
		if (state && (!strcmp(state, "mapped") || json_object_get(m, "error")))
			json_array_append(found, m);
		else
			settled = false;
	}
	json_decref(st);
	if (!settled || json_array_size(found) == 0) {
		json_decref(found);
		return NULL;
	}
	return found;
}

static int
mapagent_print(const struct mapctl *c, json_t *m)
{
	const char *err = json_string_value(json_object_get(m, "error"));
	bool pin = json_is_true(json_object_get(m, "pinhole"));

	if (c->json) {
		json_dumpf(m, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else if (err != NULL)
		printf("%u/%s: %s: %s\n", c->spec.internal_port,
		    proto_name(c->spec.protocol), pin ? "no IPv6 pinhole" :
		    "not mapped", err);
	else
		printf(pin ? "%u/%s -> [%s]:%lld via %s (a pinhole), kept by the "
		    "agent\n" : "%u/%s -> %s:%lld via %s, kept by the agent\n",
		    c->spec.internal_port, proto_name(c->spec.protocol),
		    json_string_value(json_object_get(m, "external_address")),
		    json_integer_value(json_object_get(m, "external_port")),
		    json_string_value(json_object_get(m, "via")));
	return err != NULL;
}

static int
mapagent_add(const struct mapctl *c, const char *dir, const char *service)
{
	struct timespec start;
	json_t *m;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((m = mapagent_entries(dir, service)) == NULL) {
		if (clock_ms_since(&start) > c->timeout_ms) {
			fprintf(stderr, "homereach map: the agent keeps %u/%s, but "
			    "no router granted it yet; `homereach status` will "
			    "show it\n", c->spec.internal_port,
			    proto_name(c->spec.protocol));
			return 1;
		}
		usleep(MAPAGENT_POLL_US);
	}
	int rc = 0;
	size_t i;
	json_t *e;

	json_array_foreach(m, i, e)
		rc |= mapagent_print(c, e);
	json_decref(m);
	return rc;
}

bool
mapagent_running(const char *dir)
{
	int error;
	json_t *reply = cli_ask_agent(dir, "status", &error);

	json_decref(reply);
	return reply != NULL;
}

int
mapagent_run(const struct mapctl *c, const char *dir)
{
	char req[64];
	int error, rc;
	json_t *reply;
	const char *what;

	snprintf(req, sizeof(req), c->cmd == MAPCTL_ADD ? "map add %s %u %u" :
	    "map del %s %u", proto_name(c->spec.protocol),
	    c->spec.internal_port, c->spec.external_port);
	if ((reply = cli_ask_agent(dir, req, &error)) == NULL)
		return error == -ENOENT || error == -ECONNREFUSED ? -1 : 1;
	what = json_string_value(json_object_get(reply, "service"));
	if (!json_is_true(json_object_get(reply, "ok"))) {
		rc = c->cmd == MAPCTL_DEL && !strcmp(json_string_value(
		    json_object_get(reply, "error")), "the agent keeps no such port")
		    ? -1 : 1;	/* made before the agent ran: removed here */
		if (rc > 0)
			fprintf(stderr, "homereach map: %s\n", json_string_value(
			    json_object_get(reply, "error")));
	} else if (c->cmd == MAPCTL_ADD)
		rc = mapagent_add(c, dir, what);
	else {
		printf("%u/%s: removed by the agent\n", c->spec.internal_port,
		    proto_name(c->spec.protocol));
		rc = 0;
	}
	json_decref(reply);
	return rc;
}
