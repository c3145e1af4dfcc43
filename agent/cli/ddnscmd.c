/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach ddns update|status. update: the diagnose probes give the true
 * public address, and a round of updates (ddns/round.c) does the rest;
 * each answer is written into the state file as it comes, or, for the
 * agent's helper, told to the agent.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/daemon/ctlmsg.h"
#include "agent/config/config.h"
#include "agent/config/state.h"
#include "agent/diagnosis/diagnosis.h"
#include "agent/diagnosis/verdict.h"
#include "ddns/provider.h"
#include "ddns/round.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "probes/seen6.h"

struct ddnscmd {
	bool update, force, dry_run, json;
	bool cgnat;			/* --cgnat: the caller's verdict */
	bool helper;			/* `ddns helper`: the agent's, see below */
	bool probe;			/* the helper probes for itself */
	struct netaddr given[2];	/* --public: v4, v6 as the caller found */
	const char *name, *config;
	const char *stun[DIAG_MAX_SERVERS], *echo[DIAG_MAX_SERVERS];
	int nstun, necho, timeout_ms;
	struct { char name[64]; uint16_t port; } ports[CONFIG_MAX_SERVICES];
	int nports;			/* --port NAME=PORT: what the agent holds */
	struct config cfg;
	char state_path[1100];
	struct state st;
	struct event_base *base;
	struct evdns_base *dns;
	struct diagnosis_config dc;	/* the observers asked */
	struct seen6 *seen6;		/* which IPv6 address they see */
	struct netaddr v4;
	bool shared;
	struct round *round;
	bool finished;
	int status;
};

static const char *
ddnscmd_family(int family)
{
	return family == AF_INET6 ? "AAAA" : "A";
}

static void
ddnscmd_usage(FILE *out)
{
	fprintf(out, "Usage: homereach ddns update [--force] [--dry-run] [NAME]\n"
	    "       homereach ddns status [--json]\n"
	    "Options: --config FILE, --stun HOST[:PORT]..., --http-echo URL..., "
	    "--timeout SECONDS, -v\n"
	    "While an agent runs, update asks it (it owns the state).\n"
	    "update exit status: 0 every record is current, 1 some record is "
	    "not, 2 usage or\nconfiguration error, 3 nothing outside answered.\n");
}

static int
ddnscmd_given(struct ddnscmd *c, const char *text)
{
	struct netaddr a;

	if (addr_parse(text, &a) < 0) {
		fprintf(stderr, "homereach ddns: --public: \"%s\" is not an "
		    "address\n", text);
		return -1;
	}
	c->given[a.family == AF_INET6] = a;
	return 0;
}

static int
ddnscmd_port(struct ddnscmd *c, const char *text)
{
	const char *eq = strchr(text, '=');
	char *end;
	long port = eq ? strtol(eq + 1, &end, 10) : 0;

	if (eq == NULL || eq == text || (size_t)(eq - text) >= sizeof(c->ports[0].name) ||
	    *end != '\0' || port < 1 || port > 65535 ||
	    c->nports == CONFIG_MAX_SERVICES) {
		fprintf(stderr, "homereach ddns: --port: want SERVICE=PORT, not "
		    "\"%s\"\n", text);
		return -1;
	}
	snprintf(c->ports[c->nports].name, sizeof(c->ports[0].name), "%.*s",
	    (int)(eq - text), text);
	c->ports[c->nports++].port = (uint16_t)port;
	return 0;
}

/* A redirect record's port: as the agent said, else as configured. */
static uint16_t
ddnscmd_record_port(const struct ddnscmd *c, const struct ddns_config *r)
{
	const struct service_config *s = config_service(&c->cfg, r->service);

	if (r->provider != PROV_REDIRECT || s == NULL)
		return 0;
	for (int i = 0; i < c->nports; i++)
		if (!strcmp(c->ports[i].name, s->name))
			return c->ports[i].port;
	return s->external_port ? s->external_port : s->port;
}

static int
ddnscmd_options(int argc, char *argv[], struct ddnscmd *c)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "stun", required_argument, NULL, 's' },
		{ "http-echo", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': c->force = true; break;
		case 'n': c->dry_run = true; break;
		case 'j': c->json = true; break;
		case 'c': c->config = optarg; break;
		case 's': if (c->nstun < DIAG_MAX_SERVERS) c->stun[c->nstun++] = optarg; break;
		case 'e': if (c->necho < DIAG_MAX_SERVERS) c->echo[c->necho++] = optarg; break;
		case 't': if (cli_seconds("ddns", optarg, &c->timeout_ms) < 0) return -1; break;
		case 'v': log_set_level(log_get_level() + 1); break;
		case 'h': ddnscmd_usage(stdout); exit(0);
		default: return -1;
		}
	}
	return 0;
}

/* The helper's own words, from the agent only: what the check found. */
static int
ddnscmd_helper_options(int argc, char *argv[], struct ddnscmd *c)
{
	static const struct option opts[] = {
		{ "public", required_argument, NULL, 'p' },
		{ "cgnat", no_argument, NULL, 'g' },
		{ "port", required_argument, NULL, 'P' },
		{ "probe", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': if (ddnscmd_given(c, optarg) < 0) return -1; break;
		case 'g': c->cgnat = true; break;
		case 'P': if (ddnscmd_port(c, optarg) < 0) return -1; break;
		case 'o': c->probe = true; break;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/*
 * The agent starts its helper when a gateway announces a change, while it
 * confirms the address: loading this binary's libraries (libcurl's
 * dependencies alone take 25 ms) then overlaps the confirmation. The
 * helper waits here for one line of options (--public, --cgnat, --port,
 * or --probe to find the addresses itself); an empty line or the end of
 * input means nothing is due. 0 go on, 1 nothing to do, -1 bad words.
 * It writes no state: each record it settled goes to its standard output
 * as a state line ("state ddns ..."), and the agent, the state's owner,
 * folds it in.
 */
static int
ddnscmd_stdin_args(struct ddnscmd *c)
{
	static char line[DDNS_HELPER_LINE];
	char *words[34] = { "homereach" }, *save = NULL;
	int n = 1;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	for (char *w = strtok_r(line, " \n", &save); w != NULL && n < 33;
	    w = strtok_r(NULL, " \n", &save))
		words[n++] = w;
	if (n == 1)
		return 1;
	optind = 1;
	return ddnscmd_helper_options(n, words, c) < 0 ? -1 : 0;
}

/* While an agent runs, it owns the state: it runs its DNS step now. -1:
 * no agent, do the work here. */
static int
ddnscmd_ask_agent(struct ddnscmd *c)
{
	int error;
	json_t *reply = cli_ask_agent(c->cfg.runtime_dir,
	    &(struct ctl_request){ .verb = CTL_DDNS_UPDATE }, 5000, &error);

	if (reply == NULL)
		return error == -ENOENT || error == -ECONNREFUSED ? -1 : 1;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		const char *why = json_string_value(json_object_get(reply, "error"));
		fprintf(stderr, "homereach ddns: %s\n", why ? why :
		    "the agent refused");
		json_decref(reply);
		return 1;
	}
	json_decref(reply);
	if (c->force || c->name != NULL)
		fprintf(stderr, "homereach ddns: the agent decides what is due; "
		    "--force and NAME are for when none runs\n");
	printf("asked the running agent to update (it owns the state); "
	    "`homereach status` shows the records\n");
	return 0;
}

/* --- status --- */

static void
ddnscmd_status_one(struct ddnscmd *c, const struct ddns_config *r, int fam,
    json_t *list, int64_t now)
{
	struct ddns_state *d = state_ddns(&c->st, r->name, fam);
	char pub[ADDR_STRLEN + 12] = "-", next[160];
	json_t *o;

	if (d->published.family)
		addr_ntop(&d->published, pub, sizeof(pub));
	ddns_next_text(r, d, now, next, sizeof(next));
	if (list == NULL && d->published.family && r->provider == PROV_REDIRECT)
		snprintf(pub + strlen(pub), sizeof(pub) - strlen(pub), ":%u",
		    d->published_port);
	if (list != NULL) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "name",
		    r->name, "hostname", r->hostname, "record", ddnscmd_family(fam),
		    "published", pub, "last_result", d->last_result, "last_time",
		    (json_int_t)d->last_time, "published_at",
		    (json_int_t)d->published_at, "next", next);
		if (r->provider == PROV_REDIRECT)
			json_object_set_new(o, "published_port",
			    json_integer(d->published_port));
		json_array_append_new(list, o);
	} else
		printf("%-12s %-4s %-24s %-16s %-10s %s\n", r->name,
		    ddnscmd_family(fam), r->hostname, pub,
		    d->last_result[0] ? d->last_result : "-", next);
}

static int
ddnscmd_status(struct ddnscmd *c)
{
	json_t *list = c->json ? json_array() : NULL;
	int64_t now = (int64_t)time(NULL);

	if (!c->json)
		printf("%-12s %-4s %-24s %-16s %-10s %s\n", "NAME", "TYPE",
		    "HOSTNAME", "PUBLISHED", "RESULT", "NEXT");
	for (int i = 0; i < c->cfg.nddns; i++) {
		const struct ddns_config *r = &c->cfg.ddns[i];
		if (r->record & REC_A)
			ddnscmd_status_one(c, r, AF_INET, list, now);
		if (r->record & REC_AAAA)
			ddnscmd_status_one(c, r, AF_INET6, list, now);
	}
	if (list != NULL) {
		json_dumpf(list, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(list);
	}
	return 0;
}

/* --- update --- */

static struct ddns_state *
ddnscmd_state(void *arg, const struct ddns_config *r, int family)
{
	struct ddnscmd *c = arg;

	return state_ddns(&c->st, r->name, family);
}

static uint16_t
ddnscmd_port_of(void *arg, const struct ddns_config *r)
{
	return ddnscmd_record_port(arg, r);
}

/* A service's port for its SRV record: as the agent said (the agent's
 * helper names each service with an open way in, and no other), else, run
 * by hand, as configured. */
static uint16_t
ddnscmd_srv_port(const struct service_config *s, void *arg)
{
	const struct ddnscmd *c = arg;

	for (int i = 0; i < c->nports; i++)
		if (!strcmp(c->ports[i].name, s->name))
			return c->ports[i].port;
	if (c->helper)
		return 0;
	return s->external_port ? s->external_port : s->port;
}

static void
ddnscmd_srv_of(void *arg, const struct ddns_config *r, int family,
    struct ddns_target *t)
{
	struct ddnscmd *c = arg;

	config_srv(&c->cfg, r, family, ddnscmd_srv_port, c, t);
}

static void
ddnscmd_decided(void *arg, const struct ddns_config *r, int family,
    const struct ddns_decision *d, const struct netaddr *addr)
{
	struct ddnscmd *c = arg;
	char ip[ADDR_STRLEN];

	if (d->action == DDNS_SEND) {		/* a dry run */
		printf("%s %s: would send %s\n", r->name, ddnscmd_family(family),
		    addr_ntop(addr, ip, sizeof(ip)));
		return;
	}
	if (d->action == DDNS_WITHDRAW) {	/* a dry run */
		printf("%s %s: would withdraw: %s\n", r->name,
		    ddnscmd_family(family), d->why);
		return;
	}
	printf("%s %s: %s: %s\n", r->name, ddnscmd_family(family),
	    ddns_action_name(d->action), d->why);
	if (d->action != DDNS_UNCHANGED)
		c->status = 1;
}

/* The record's new state: the helper tells the agent, which owns the
 * file ("state ddns ..." on its output); alone, this writes it. */
static void
ddnscmd_keep(struct ddnscmd *c, const struct ddns_state *st)
{
	char line[512], why[REASON_LEN];

	if (c->helper && state_format_ddns(st, line, sizeof(line)) <
	    (int)sizeof(line)) {
		printf("state %s", line);
		fflush(stdout);
	} else if (!c->helper && state_update(c->state_path, state_fold_ddns,
	    (void *)st, why, sizeof(why)) < 0)
		log_warnx("%s", why);
}

static void
ddnscmd_answered(void *arg, const struct ddns_config *r, int family,
    const struct netaddr *addr, const struct netaddr *old,
    const struct ddns_answer *a, const struct ddns_state *st)
{
	struct ddnscmd *c = arg;
	char ip[ADDR_STRLEN], was[ADDR_STRLEN] = "-";

	ddnscmd_keep(c, st);
	addr_ntop(addr, ip, sizeof(ip));
	if (old->family)
		addr_ntop(old, was, sizeof(was));
	if (a->outcome <= DDNS_NOCHG && st->published.family == 0) {
		printf("%s %s: %s withdrawn (%s)\n", r->name,
		    ddnscmd_family(family), was, a->result);
		log_info("%s withdrawn: %s %s deleted (%s)", was, r->hostname,
		    ddnscmd_family(family), a->result);
		return;
	}
	if (a->outcome <= DDNS_NOCHG) {
		printf("%s %s: %s published (%s)\n", r->name,
		    ddnscmd_family(family), ip, a->result);
		log_info("%s -> %s: %s %s updated (%s)", was, ip, r->hostname,
		    ddnscmd_family(family), a->result);
		return;
	}
	log_warnx("%s -> %s: %s %s not updated: %s (%s)", was, ip,
	    r->hostname, ddnscmd_family(family), a->detail, a->result);
	printf("%s %s: not published: %s (%s)%s\n", r->name,
	    ddnscmd_family(family), a->detail, a->result,
	    st->stopped_hash != 0 ? "; stopped until the record's "
	    "configuration changes" : "; backing off");
	c->status = 1;
}

static void
ddnscmd_done(void *arg)
{
	struct ddnscmd *c = arg;

	c->finished = true;
	event_base_loopbreak(c->base);
}

/* A round for these addresses; false: it could not start. */
static bool
ddnscmd_round(struct ddnscmd *c, const struct netaddr *v4,
    const struct netaddr *v6, bool cgnat)
{
	static const struct round_ops ops = { ddnscmd_state, ddnscmd_port_of,
		ddnscmd_srv_of, ddnscmd_decided, ddnscmd_answered, ddnscmd_done };
	struct round_input in = { .v4 = *v4, .v6 = *v6, .cgnat = cgnat,
	    .force = c->force, .dry_run = c->dry_run, .only = c->name };

	c->round = round_start(c->base, c->cfg.ddns, c->cfg.nddns, &in, &ops, c);
	if (c->round == NULL)
		c->status = 1;
	return c->round != NULL;
}

/* The IPv6 address an observer confirmed (none: no AAAA is written). */
static void
ddnscmd_seen6(const struct seen6_result *r, void *arg)
{
	struct ddnscmd *c = arg;

	if (!ddnscmd_round(c, &c->v4, &r->address, c->shared))
		event_base_loopbreak(c->base);
}

static void
ddnscmd_diagnosed(struct diagnosis *dg, void *arg)
{
	struct ddnscmd *c = arg;
	const struct evidence *ev = diagnosis_evidence(dg);
	struct verdict v;

	verdict_decide(ev, &v);
	if (v.kind == V_NO_INTERNET) {
		printf("no outside observer answered: nothing published\n");
		c->status = 3;
		event_base_loopbreak(c->base);
		return;
	}
	c->v4 = v.public_v4;
	c->shared = verdict_ipv4_shared(v.kind);
	c->seen6 = seen6_start(c->base, c->dns, c->dc.stun, c->dc.nstun,
	    c->dc.echo, c->dc.necho, NULL, c->timeout_ms, ddnscmd_seen6, c);
	if (c->seen6 == NULL)
		event_base_loopbreak(c->base);
}

static void
ddnscmd_observers(struct ddnscmd *c, struct diagnosis_config *d)
{
	d->timeout_ms = c->timeout_ms;
	for (int i = 0; i < c->nstun; i++)
		d->stun[d->nstun++] = c->stun[i];
	for (int i = 0; i < c->necho; i++)
		d->echo[d->necho++] = c->echo[i];
	diagnosis_observers(d, &c->cfg);	/* else all of [probes] */
}

static int
ddnscmd_update(struct ddnscmd *c)
{
	struct evdns_base *dns;
	struct diagnosis *d;

	ddnscmd_observers(c, &c->dc);
	if ((c->base = loop_base_new()) == NULL)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (!c->probe && (c->given[0].family || c->given[1].family)) {
		/* The workers' completions are not pending events: without
		 * this flag the loop would return before they arrive. */
		if (ddnscmd_round(c, &c->given[0], &c->given[1], c->cgnat) &&
		    !c->finished)
			event_base_loop(c->base, EVLOOP_NO_EXIT_ON_EMPTY);
		round_free(c->round);
		event_base_free(c->base);
		curl_global_cleanup();
		return c->status;
	}
	dns = c->dns = loop_dns_new(c->base);
	d = dns == NULL ? NULL :
	    diagnosis_start(c->base, dns, &c->dc, ddnscmd_diagnosed, c);
	if (d != NULL)
		event_base_loop(c->base, EVLOOP_NO_EXIT_ON_EMPTY);
	diagnosis_free(d);
	seen6_free(c->seen6);
	round_free(c->round);
	loop_dns_free(c->base, dns);
	event_base_free(c->base);
	curl_global_cleanup();
	return d ? c->status : 1;
}

int
ddns_main(int argc, char *argv[])
{
	struct ddnscmd *c = calloc(1, sizeof(*c));
	char why[REASON_LEN];
	int rc = EXIT_USAGE;

	if (c == NULL)
		return 1;
	c->timeout_ms = 3000;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		ddnscmd_usage(stdout);
		rc = 0;
		goto out;
	}
	if (argc < 2 || (strcmp(argv[1], "update") && strcmp(argv[1], "status") &&
	    strcmp(argv[1], "helper"))) {
		ddnscmd_usage(stderr);
		goto out;
	}
	c->update = argv[1][0] != 's';
	c->helper = argv[1][0] == 'h';
	if (ddnscmd_options(argc - 1, argv + 1, c) < 0) {
		ddnscmd_usage(stderr);
		goto out;
	}
	if (optind + 1 < argc - 1 || (optind + 1 == argc - 1 && !c->update)) {
		fprintf(stderr, "homereach ddns: one record NAME at most, with update\n");
		goto out;
	}
	c->name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (config_read(c->config, &c->cfg) < 0)
		goto out;
	if (c->cfg.nddns == 0 || (c->name && !config_ddns(&c->cfg, c->name))) {
		fprintf(stderr, "homereach ddns: %s%s%s in %s\n", c->name ?
		    "no record [ddns " : "no [ddns NAME] records", c->name ? c->name :
		    "", c->name ? "]" : "", c->cfg.path);
		goto out;
	}
	snprintf(c->state_path, sizeof(c->state_path), "%s/state", c->cfg.state_dir);
	if (mkdir(c->cfg.state_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "homereach ddns: %s: %s\n", c->cfg.state_dir,
		    strerror(errno));
		goto out;
	}
	if (c->helper && (rc = ddnscmd_stdin_args(c)) != 0) {
		rc = rc > 0 ? 0 : EXIT_USAGE;	/* nothing to do, or bad words */
		goto out;
	}
	if (c->update && !c->helper && !c->dry_run &&
	    (rc = ddnscmd_ask_agent(c)) >= 0)
		goto out;
	if (state_load(c->state_path, &c->st, why, sizeof(why)) < 0) {
		fprintf(stderr, "homereach ddns: %s\n", why);
		rc = 1;
		goto out;
	}
	rc = c->update ? ddnscmd_update(c) : ddnscmd_status(c);
out:
	free(c);
	return rc;
}
