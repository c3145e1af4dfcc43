/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the command line asks of a running agent, since the agent owns
 * the state: `map add` and `map del` (a port kept for as long as the
 * agent runs, beside the configured [service] sections: it survives a
 * reload, and goes at exit as they do), and `ddns update`.
 *
 * The words are ctlmsg.h's. `map add` is answered once every way in of
 * the port has been granted or has failed (or at the wait's end).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "agent/daemon/agent.h"
#include "agent/daemon/control.h"
#include "agent/daemon/ctlmsg.h"
#include "agent/daemon/service.h"
#include "lib/loop.h"
#include "lib/log.h"
#include "lib/names.h"

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

/* --- map add's answer, when its ways are settled --- */

#define ONDEMAND_WAIT_MS	4500	/* within the client's 6 s */

struct ondemand_wait {
	struct agent *a;
	struct control_conn *cc;
	char service[64];
	struct event *deadline;
};

static void
ondemand_wait_free(struct ondemand_wait *w)
{
	struct agent *a = w->a;

	for (int i = 0; i < a->nwaits; i++)
		if (a->waits[i] == w)
			a->waits[i] = a->waits[--a->nwaits];
	loop_event_free(&w->deadline);
	free(w);
}

/* The reply to map add: each way in of the service, or "pending". */
static void
ondemand_send(struct control_conn *cc, const char *service, json_t *ways)
{
	json_t *o = ctlmsg_reply(ways ? CTL_OK : CTL_PENDING, "the agent keeps "
	    "the port, but no router answered yet; `homereach status` will "
	    "show it");

	json_object_set_new(o, "service", json_string(service));
	if (ways != NULL)
		json_object_set_new(o, "ways", ways);
	control_reply(cc, json_dumps(o, JSON_COMPACT));
	json_decref(o);
}

static void
ondemand_answer(struct ondemand_wait *w, json_t *ways)
{
	ondemand_send(w->cc, w->service, ways);
	ondemand_wait_free(w);
}

static void
ondemand_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	ondemand_answer(arg, NULL);
}

static void
ondemand_gone(void *arg)
{
	ondemand_wait_free(arg);
}

/* A service's ways settled (services_on_settle): its waiters hear. */
void
agent_ondemand_settled(const char *service, void *arg)
{
	struct agent *a = arg;
	json_t *ways;

	for (int i = a->nwaits - 1; i >= 0; i--) {
		struct ondemand_wait *w = a->waits[i];
		if (strcmp(w->service, service) == 0 &&
		    (ways = services_ways_json(a->svc, service)) != NULL)
			ondemand_answer(w, ways);
	}
}

static void
ondemand_wait(struct agent *a, struct control_conn *cc, const char *service)
{
	struct ondemand_wait *w;
	json_t *ways = services_ways_json(a->svc, service);

	if (ways != NULL) {		/* settled already */
		ondemand_send(cc, service, ways);
		return;
	}
	if (a->nwaits == ONDEMAND_MAX_WAITS ||
	    (w = calloc(1, sizeof(*w))) == NULL) {
		ondemand_send(cc, service, NULL);
		return;
	}
	if ((w->deadline = evtimer_new(a->base, ondemand_on_deadline, w)) ==
	    NULL) {
		free(w);
		ondemand_send(cc, service, NULL);
		return;
	}
	w->a = a;
	w->cc = cc;
	snprintf(w->service, sizeof(w->service), "%s", service);
	a->waits[a->nwaits++] = w;
	control_later(cc, ondemand_gone, w);
	loop_after(w->deadline, ONDEMAND_WAIT_MS);
}

/* At exit: each waiter hears "pending" (its reply is sent or dropped
 * with the control socket). */
void
agent_ondemand_free(struct agent *a)
{
	while (a->nwaits > 0)
		ondemand_answer(a->waits[0], NULL);
}

/* --- the requests --- */

static void
ondemand_add(struct agent *a, struct control_conn *cc,
    const struct ctl_request *r)
{
	const struct service_config *have = ondemand_find(a->cfg, r->protocol,
	    r->port);
	struct service_config *e;

	if (have != NULL) {
		ondemand_wait(a, cc, have->name);
		return;
	}
	if (a->nextra == CONFIG_MAX_SERVICES ||
	    a->cfg->nservices == CONFIG_MAX_SERVICES) {
		control_reply(cc, ctlmsg_reply_text(CTL_FULL, "the agent keeps "
		    "as many services as it can"));
		return;
	}
	e = &a->extra[a->nextra++];
	*e = (struct service_config){ .protocol = r->protocol,
	    .port = r->port, .external_port = r->external_port };
	snprintf(e->name, sizeof(e->name), "map-%u-%s", r->port,
	    proto_name(r->protocol));
	a->cfg->services[a->cfg->nservices++] = *e;
	log_info("map add: keeping %u/%s for the command line", r->port,
	    proto_name(r->protocol));
	ondemand_apply(a);
	ondemand_wait(a, cc, e->name);
}

static void
ondemand_forget(struct service_config *list, int *n, int i)
{
	memmove(&list[i], &list[i + 1], sizeof(*list) * (size_t)(*n - i - 1));
	(*n)--;
}

static char *
ondemand_del(struct agent *a, const struct ctl_request *r)
{
	const struct service_config *have = ondemand_find(a->cfg, r->protocol,
	    r->port);

	if (have == NULL)
		return ctlmsg_reply_text(CTL_NO_SUCH_PORT, "the agent keeps no "
		    "such port");
	for (int i = 0; i < a->nextra; i++)
		if (!strcmp(a->extra[i].name, have->name))
			ondemand_forget(a->extra, &a->nextra, i);
	if (have->line != 0)
		return ctlmsg_reply_text(CTL_CONFIGURED, "a [service] section of "
		    "the configuration keeps it: remove it there and reload");
	ondemand_forget(a->cfg->services, &a->cfg->nservices,
	    (int)(have - a->cfg->services));
	log_info("map del: %u/%s removed for the command line", r->port,
	    proto_name(r->protocol));
	ondemand_apply(a);
	return ctlmsg_reply_text(CTL_OK, NULL);
}

void
agent_ondemand(struct agent *a, struct control_conn *cc,
    const struct ctl_request *r)
{
	struct timespec now;

	switch (r->verb) {
	case CTL_DDNS_UPDATE:
		clock_gettime(CLOCK_MONOTONIC, &now);
		agent_ddns_for(a, "asked by ddns update", &now);
		control_reply(cc, ctlmsg_reply_text(CTL_OK, NULL));
		return;
	case CTL_MAP_ADD:
		ondemand_add(a, cc, r);
		return;
	case CTL_MAP_DEL:
		control_reply(cc, ondemand_del(a, r));
		return;
	default:
		control_reply(cc, NULL);
	}
}
