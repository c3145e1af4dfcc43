/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's status, one object for `homereach status`, the page and
 * metrics: what it keeps, what it published and why not, its last check's
 * house. Built from what the agent kept at each check and each DNS step;
 * nothing is decided again for a poll.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "agent/config/state.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/service.h"
#include "agent/daemon/store.h"
#include "agent/daemon/timeline.h"
#include "ddns/provider.h"
#include "lib/log.h"
#include "nat/hold.h"

/* Beside an A: the SRV records it carries, or which provider cannot
 * write them (said, not skipped in silence). */
static void
agent_record_srv_json(const struct agent *a, const struct ddns_config *r,
    int fam, const struct ddns_state *d, json_t *o)
{
	const struct provider *p = provider_of(r->provider);
	char why[160];

	if (fam != AF_INET || a->cfg->nservices == 0 ||
	    r->provider == PROV_REDIRECT)
		return;
	if (p != NULL && p->srv) {
		json_object_set_new(o, "srv", json_boolean(d->published_srv != 0));
		return;
	}
	snprintf(why, sizeof(why), "%s writes no SRV records: visitors are not "
	    "told a service's port", p ? p->name : "this provider");
	json_object_set_new(o, "srv_missing", json_string(why));
}

static json_t *
agent_record_json(const struct agent *a, const struct ddns_config *r,
    const struct ddns_state *d, int fam, int64_t now)
{
	char pub[ADDR_STRLEN] = "", next[200];
	int k = 2 * (int)(r - a->cfg->ddns) + (fam == AF_INET6);
	const struct ddns_decision *dec = k < a->ndecided ? &a->decided[k] :
	    NULL;

	if (d->published.family)
		addr_ntop(&d->published, pub, sizeof(pub));
	ddns_next_text(r, d, now, next, sizeof(next));
	/* An address that must not be published says why, not "update"
	 * (as the last DNS step decided). */
	if (a->have_verdict && dec != NULL && (dec->action == DDNS_REFUSED ||
	    dec->action == DDNS_WITHDRAW))
		snprintf(next, sizeof(next), "%s", dec->why);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "name",
	    r->name, "hostname", r->hostname, "record", fam == AF_INET6 ?
	    "AAAA" : "A", "published", pub, "last_result", d->last_result,
	    "last_time", (json_int_t)d->last_time, "next", next);
	if (r->provider == PROV_REDIRECT)
		json_object_set_new(o, "published_port",
		    json_integer(d->published_port));
	agent_record_srv_json(a, r, fam, d, o);
	return o;
}

static json_t *
agent_records_json(struct agent *a, int64_t now)
{
	json_t *list = json_array();
	const struct state *st = store_state(a->store);

	for (int i = 0; i < a->cfg->nddns; i++) {
		const struct ddns_config *r = &a->cfg->ddns[i];
		for (int fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
			struct ddns_state empty;
			if (r->record & (fam == AF_INET ? REC_A : REC_AAAA))
				json_array_append_new(list, agent_record_json(a,
				    r, state_ddns_peek(st, r->name, fam, &empty),
				    fam, now));
		}
	}
	return list;
}

static json_t *
agent_errors_json(void)
{
	struct log_recent recent[LOG_RECENT];
	int n = log_recent(recent);
	json_t *list = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s}", "time",
		    (json_int_t)recent[i].at, "message", recent[i].line));
	return list;
}

/* What the DNS helpers cost, for bench/ip-change and the curious. */
static json_t *
agent_helpers_json(const struct agent *a)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return json_pack("{s:i, s:I, s:I}", "runs", a->helper_runs,
	    "max_rss_kb", (json_int_t)ru.ru_maxrss, "cpu_ms",
	    (json_int_t)(ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
	    ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000));
}

/* The carrier test's finding, and the binding lifetime measured behind a
 * full cone with the keep-alive intervals it gives (the sentinel's, and
 * every other held port's). */
static json_t *
status_carrier(const struct agent *a)
{
	const struct lifetime_result *l = &a->carrier.life;
	json_t *o = json_pack("{s:s, s:b}", "finding", a->carrier.said,
	    "full_cone", a->carrier.full_cone);

	if (!a->carrier.full_cone)
		return o;
	json_object_set_new(o, "keepalive_s", json_integer(hold_interval(true)));
	json_object_set_new(o, "keepalive_others_s",
	    json_integer(hold_interval(false)));
	if (a->carrier.life_at != 0 && l->ok)
		json_object_set_new(o, "binding_lifetime", json_pack("{s:i, s:i}",
		    "open_s", l->alive_s, "closed_s", l->died_s));
	else if (a->carrier.life_at != 0)
		json_object_set_new(o, "binding_lifetime", json_pack("{s:s}",
		    "error", l->why));
	else
		json_object_set_new(o, "binding_lifetime", json_pack("{s:b}",
		    "measuring", a->carrier.measuring));
	return o;
}

static const char *
agent_addr(const struct netaddr *a, char *buf)
{
	return a->family ? addr_ntop(a, buf, ADDR_STRLEN) : "";
}

/* The last check's house (check.c keeps it), or null before the first. */
static json_t *
agent_house_json(const struct agent *a)
{
	json_t *j = a->house_json ? json_loads(a->house_json, 0, NULL) : NULL;

	return j ? j : json_null();
}

/* The tree is built for one answer and dropped: its pages go back to
 * the kernel (an open page asks every 2 s; without the trim the heap kept
 * the high-water of every answer). */
char *
agent_status_text(struct agent *a, size_t flags)
{
	json_t *o = agent_status_object(a);
	char *text = o ? json_dumps(o, flags) : NULL;

	json_decref(o);
	malloc_trim(0);
	return text;
}

json_t *
agent_status_object(struct agent *a)
{
	int64_t now = (int64_t)time(NULL);
	char b[4][ADDR_STRLEN];
	struct timeval left = { 0, 0 };
	json_t *o;

	if (evtimer_pending(a->interval, &left)) {
		struct timeval tnow;
		event_base_gettimeofday_cached(a->base, &tnow);
		timersub(&left, &tnow, &left);
	}
	o = json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s}, "
	    "s:I}", "pid", (int)getpid(), "started", (json_int_t)a->started,
	    "config", a->config_path, "verdict", a->have_verdict ?
	    verdict_name(a->kind) : "not checked yet", "gateway",
	    agent_addr(&a->gateway, b[0]), "gateway_wan",
	    agent_addr(&a->gateway_wan, b[1]), "public_ipv4",
	    agent_addr(&a->public_v4, b[2]), "public_ipv6",
	    agent_addr(&a->public_v6, b[3]), "last_check", "time",
	    (json_int_t)a->checked_at, "reason", a->checked_why,
	    "next_check_in", (json_int_t)left.tv_sec);
	json_object_set_new(o, "helpers", agent_helpers_json(a));
	if (a->carrier.said[0])		/* the carrier test's finding */
		json_object_set_new(o, "carrier_nat", status_carrier(a));
	if (a->cfg->nrelays > 0)
		json_object_set_new(o, "relay", relay_json(a));
	json_object_set_new(o, "mappings", services_json(a->svc, now));
	agent_outside_json(a, json_object_get(o, "mappings"));
	json_object_set_new(o, "records", agent_records_json(a, now));
	json_object_set_new(o, "errors", agent_errors_json());
	json_object_set_new(o, "events", timeline_json(a->timeline));
	json_object_set_new(o, "diagnosis", agent_house_json(a));
	return o;
}

