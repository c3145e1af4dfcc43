/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach diagnose: run the probes once, print the verdict and advice. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "agent/config/state.h"
#include "ddns/provider.h"
#include "agent/diagnosis/carriertest.h"
#include "agent/diagnosis/diagnosis.h"
#include "agent/diagnosis/report.h"
#include "agent/diagnosis/way.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/reason.h"

struct diagnose_run {
	const char *config;
	const char *svg;		/* --svg FILE: the picture, to share */
	const char *state_dir;
	struct event_base *base;
	struct diagnosis_config cfg;
	bool json;
	int status;
	struct timeval started;
	struct evidence ev;		/* with the carrier test's finding */
	char no_srv[120];		/* evidence's: records without SRV */
	struct carriertest *carrier;
	struct evdns_base *dns;
};

static void
diagnose_usage(FILE *out)
{
	fprintf(out, "Usage: homereach diagnose [--json] [--stun HOST[:PORT]]... "
	    "[--http-echo URL]...\n"
	    "                          [--check-url URL] [--check-port PORT[/tcp|/udp]]\n"
	    "                          [--timeout SECONDS] [--config FILE] "
	    "[--state-dir DIR] [--svg FILE] [-v]...\n\n"
	    "Observers named by host name are asked over IPv4 and IPv6, address "
	    "literals in\ntheir own family. With a check URL (a redirect "
	    "server's /check) and a port\n(default: the first [service]), "
	    "whether the port answers over IPv6. With a TCP mapping on record "
	    "(--state-dir,\ndefault the configuration's state_dir), whether the router "
	    "loops its public address back\nto this LAN.\n\n"
	    "Exit status: 0 inbound connections can work, 1 the topology blocks "
	    "them,\n2 usage error, 3 nothing outside answered.\n");
}

static int
diagnose_add(const char **list, int *n, const char *value, const char *opt)
{
	if (*n == DIAG_MAX_SERVERS) {
		fprintf(stderr, "homereach diagnose: at most %d %s options\n",
		    DIAG_MAX_SERVERS, opt);
		return -1;
	}
	list[(*n)++] = value;
	return 0;
}

static int
diagnose_options(int argc, char *argv[], struct diagnose_run *run)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "stun", required_argument, NULL, 's' },
		{ "http-echo", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "check-url", required_argument, NULL, 'u' },
		{ "check-port", required_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "svg", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct diagnosis_config *c = &run->cfg;
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': run->json = true; break;
		case 'c': run->config = optarg; break;
		case 's': rc = diagnose_add(c->stun, &c->nstun, optarg, "--stun"); break;
		case 'e': rc = diagnose_add(c->echo, &c->necho, optarg, "--http-echo"); break;
		case 't': rc = cli_seconds("diagnose", optarg, &c->timeout_ms); break;
		case 'u': c->check_url = optarg; break;
		case 'd': run->state_dir = optarg; break;
		case 'g': run->svg = optarg; break;
		case 'p': rc = cli_port_proto("diagnose", optarg, &c->check_port,
		    &c->check_proto); break;
		case 'v': log_set_level(log_get_level() + 1); break;
		case 'h': diagnose_usage(stdout); exit(0);
		default: rc = -1;
		}
	}
	if (rc == 0 && optind < argc) {
		fprintf(stderr, "homereach diagnose: unexpected argument \"%s\"\n",
		    argv[optind]);
		rc = -1;
	}
	return rc;
}

/* A TCP mapping on record: the hairpin check's target. The state is only
 * read; one that cannot be read means no check. */
static void
diagnose_hairpin(struct diagnose_run *run, const struct config *cfg)
{
	static struct state st;
	char path[1100], why[REASON_LEN];
	const struct map_record *m;

	snprintf(path, sizeof(path), "%s/state", run->state_dir ?
	    run->state_dir : cfg->state_dir);
	if (state_load(path, &st, why, sizeof(why)) < 0) {
		log_debug("no hairpin check: %s", why);
		return;
	}
	if ((m = state_public_tcp(&st)) == NULL)
		return;
	run->cfg.hairpin_to = m->external;
	run->cfg.hairpin_port = m->external_port;
	run->cfg.hairpin_name = config_ipv4_name(cfg);
}

/* The records whose provider cannot say a service's port (a held one is
 * never the service's own): the advice names them. */
static void
diagnose_no_srv(struct diagnose_run *run, const struct config *cfg)
{
	char *out = run->no_srv;
	size_t len = sizeof(run->no_srv);

	for (int i = 0; i < cfg->nddns && cfg->nservices > 0; i++) {
		const struct ddns_config *r = &cfg->ddns[i];
		const struct provider *p = provider_of(r->provider);
		if (!(r->record & REC_A) || r->provider == PROV_REDIRECT ||
		    p == NULL || p->srv)
			continue;
		snprintf(out + strlen(out), len - strlen(out), "%s%s (%s)",
		    out[0] ? ", " : "", r->name, p->name);
	}
}

/* Observers: the command line's, else the configuration's, else ours. */
static int
diagnose_defaults(struct diagnose_run *run)
{
	struct diagnosis_config *c = &run->cfg;
	static struct config cfg;	/* the strings stay in use */

	if (config_read(run->config, &cfg) < 0)
		return -1;
	diagnosis_observers(c, &cfg);
	if (c->check_url == NULL && cfg.check_url[0])
		c->check_url = cfg.check_url;
	if (c->check_port == 0 && cfg.nservices > 0) {
		c->check_port = cfg.services[0].port;	/* a pinhole's */
		c->check_proto = cfg.services[0].protocol;
	}
	diagnose_hairpin(run, &cfg);
	diagnose_no_srv(run, &cfg);
	return 0;
}

/* The way out as a picture in path (file_replace: never through a link,
 * /tmp allowed). */
static int
diagnose_svg(const char *path, const struct evidence *ev,
    const struct verdict *v)
{
	static const struct file_owner fo = { .mode = 0644, .uid = (uid_t)-1,
	    .gid = (gid_t)-1, .sticky_ok = true };
	struct way_node way[WAY_MAX];
	char why[REASON_LEN + 4200], *svg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&svg, &len);
	int rc = -1;

	if (f != NULL) {
		way_svg(f, way, way_nodes(ev, v, way, WAY_MAX));
		if (fclose(f) == 0)
			rc = file_replace(path, svg, len, &fo, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "out of memory");
	} else
		snprintf(why, sizeof(why), "out of memory");
	if (rc < 0)
		fprintf(stderr, "homereach diagnose: --svg %s\n", why);
	free(svg);
	return rc;
}

static void
diagnose_report(struct diagnose_run *run, const struct evidence *ev)
{
	struct verdict v;
	struct timeval now, took;

	gettimeofday(&now, NULL);
	timersub(&now, &run->started, &took);
	if (ev != &run->ev)
		evidence_copy(&run->ev, ev);
	memcpy(run->ev.no_srv, run->no_srv, sizeof(run->no_srv));
	ev = &run->ev;
	verdict_decide(ev, &v);
	if (!run->json)
		report_text(stdout, ev, &v, isatty(STDOUT_FILENO) &&
		    getenv("NO_COLOR") == NULL);
	else if (report_json(stdout, ev, &v, (int)(took.tv_sec * 1000 +
	    took.tv_usec / 1000)) < 0)
		log_warnx("cannot encode the report as JSON");
	run->status = verdict_exit_code(&v);
	if (run->svg != NULL && diagnose_svg(run->svg, ev, &v) < 0)
		run->status = 1;
	event_base_loopbreak(run->base);
}

static void
diagnose_carrier_found(const struct carrier_finding *f, void *arg)
{
	struct diagnose_run *run = arg;

	run->ev.carrier_test = *f;
	diagnose_report(run, &run->ev);
}

/* A carrier's NAT in front of a home router that maps: is it a full
 * cone? (A mapping of the test's port on the home router, removed after.) */
static void
diagnose_done(struct diagnosis *d, void *arg)
{
	struct diagnose_run *run = arg;
	const struct evidence *ev = diagnosis_evidence(d);
	const struct gateway *home = evidence_role(ev, GW_HOME);

	if (carriertest_wanted(ev) && run->cfg.nstun > 0) {
		evidence_copy(&run->ev, ev);
		run->carrier = carriertest_start(run->base, run->dns,
		    &home->address, run->cfg.stun[0], diagnose_carrier_found, run);
		if (run->carrier != NULL)
			return;
	}
	diagnose_report(run, ev);
}

static int
diagnose_run(struct diagnose_run *run)
{
	struct evdns_base *dns;
	struct diagnosis *d;

	if ((run->base = loop_base_new()) == NULL ||
	    (dns = run->dns = loop_dns_new(run->base)) == NULL)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	gettimeofday(&run->started, NULL);
	d = diagnosis_start(run->base, dns, &run->cfg, diagnose_done, run);
	if (d == NULL) {
		log_warnx("cannot start the diagnosis");
		return 1;
	}
	event_base_dispatch(run->base);
	carriertest_free(run->carrier);
	diagnosis_free(d);
	loop_dns_free(run->base, dns);
	event_base_free(run->base);
	curl_global_cleanup();
	return run->status;
}

int
diagnose_main(int argc, char *argv[])
{
	struct diagnose_run run = { .cfg = { .timeout_ms = 2000,
	    .behaviour = true, .ipv6 = true }, .status = 1 };

	if (diagnose_options(argc, argv, &run) < 0) {
		diagnose_usage(stderr);
		return EXIT_USAGE;
	}
	if (diagnose_defaults(&run) < 0)
		return EXIT_USAGE;
	return diagnose_run(&run);
}
