/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach map add|del|list. Every run first reconciles the state file:
 * a mapping whose keeping process died (kill -9) is removed from its
 * router, and one whose lease ran out is forgotten. `add --keep` stays in
 * the foreground: renews at half the granted lease, reads the gateway's
 * epoch every second to notice a reboot (RFC 6886 section 3.6, RFC 6887
 * section 8.5) and maps again at once, and removes the mapping on SIGINT
 * or SIGTERM.
 */
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/cli/mapctl.h"
#include "agent/config/config.h"
#include "agent/config/state.h"
#include "lib/log.h"
#include "lib/netif.h"
#include "lib/route.h"

static void
map_usage(FILE *out)
{
	fprintf(out, "Usage: homereach map add PORT[/tcp|/udp] [--external PORT] "
	    "[--lifetime SECONDS]\n"
	    "                         [--via pcp|natpmp|upnp] [--keep [--check SECONDS]]\n"
	    "                         [--family 4|6|both]\n"
	    "                         [--upstream ADDR | --stun HOST[:PORT]...]\n"
	    "       homereach map del PORT[/tcp|/udp]\n"
	    "       homereach map list\n"
	    "Options for all: --json, --state-dir DIR (default %s), "
	    "--config FILE,\n  --timeout SECONDS, -v\n"
	    "Over IPv6, add opens a pinhole in the router's firewall for this host's\n"
	    "stable address (PCP, else UPnP IGDv2); --family both (the default) does\n"
	    "so when the host has one. del removes both.\n"
	    "Through a double NAT, add maps on the upstream router too: named by\n"
	    "--upstream, or found by the diagnose probes (with --stun observers)\n"
	    "While an agent runs, add and del ask it: it keeps the port (and its\n"
	    "pinhole) until del or its exit.\n"
	    "Exit status: 0 done, 1 no gateway could map, 2 usage error.\n",
	    STATE_DEFAULT_DIR);
}

/* "8080", "8080/tcp", "53/udp" */
static int
map_port_proto(const char *text, struct mapctl *c)
{
	return cli_port_proto("map", text, &c->spec.internal_port,
	    &c->spec.protocol);
}

static int
map_number(const char *text, long lo, long hi, long *out, const char *what)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "homereach map: %s \"%s\": want %ld to %ld\n",
		    what, text, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int
map_option(int ch, struct mapctl *c)
{
	long v;

	switch (ch) {
	case 'j': c->json = true; return 0;
	case 'k': c->keep = true; return 0;
	case 'd': c->state_dir = optarg; c->state_dir_given = true; return 0;
	case 'C': c->config = optarg; return 0;
	case 'v': log_set_level(log_get_level() + 1); return 0;
	case 'e': return cli_port("map", "--external", optarg,
	    &c->spec.external_port);
	case 'l':
		if (map_number(optarg, 1, 86400 * 7, &v, "--lifetime") < 0)
			return -1;
		c->spec.lifetime = (uint32_t)v;
		return 0;
	case 't':
		return cli_seconds("map", optarg, &c->timeout_ms);
	case 'c':
		if (map_number(optarg, 1, 3600, &v, "--check") < 0)
			return -1;
		c->check_s = (int)v;
		return 0;
	case 's':
		if (c->nstun == 8) {
			fprintf(stderr, "homereach map: at most 8 --stun options\n");
			return -1;
		}
		c->stun[c->nstun++] = optarg;
		return 0;
	case 'u':
		if (addr_parse(optarg, &c->upstream) == 0)
			return 0;
		fprintf(stderr, "homereach map: --upstream \"%s\": want the "
		    "upstream router's address\n", optarg);
		return -1;
	case 'f':
		if (!strcmp(optarg, "4") || !strcmp(optarg, "6") ||
		    !strcmp(optarg, "both")) {
			c->family = optarg[0] == 'b' ? 0 : optarg[0] - '0';
			return 0;
		}
		fprintf(stderr, "homereach map: --family \"%s\": want 4, 6 or "
		    "both\n", optarg);
		return -1;
	case 'V':
		if (via_parse(optarg, &c->spec.via) == 0 && c->spec.via != VIA_ANY &&
		    c->spec.via != VIA_HOLD)
			return 0;
		fprintf(stderr, "homereach map: --via \"%s\": want pcp, natpmp "
		    "or upnp\n", optarg);
		return -1;
	}
	return -1;
}

static int
map_options(int argc, char *argv[], struct mapctl *c)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "keep", no_argument, NULL, 'k' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'C' },
		{ "external", required_argument, NULL, 'e' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "via", required_argument, NULL, 'V' },
		{ "stun", required_argument, NULL, 's' },
		{ "upstream", required_argument, NULL, 'u' },
		{ "check", required_argument, NULL, 'c' },
		{ "family", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		if (ch == 'h') {
			map_usage(stdout);
			exit(0);
		}
		if (map_option(ch, c) < 0)
			return -1;
	}
	return 0;
}

static int
map_parse(int argc, char *argv[], struct mapctl *c)
{
	if (argc < 2) {
		fprintf(stderr, "homereach map: add, del or list?\n");
		return -1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		map_usage(stdout);
		exit(0);
	}
	if (strcmp(argv[1], "add") == 0)
		c->cmd = MAPCTL_ADD;
	else if (strcmp(argv[1], "del") == 0)
		c->cmd = MAPCTL_DEL;
	else if (strcmp(argv[1], "list") == 0)
		c->cmd = MAPCTL_LIST;
	else {
		fprintf(stderr, "homereach map: unknown command \"%s\"\n", argv[1]);
		return -1;
	}
	if (map_options(argc - 1, argv + 1, c) < 0)
		return -1;
	argc -= optind + 1, argv += optind + 1;
	if (c->cmd == MAPCTL_LIST ? argc != 0 : argc != 1) {
		fprintf(stderr, "homereach map: %s\n", c->cmd == MAPCTL_LIST ?
		    "list takes no port" : "give one PORT[/tcp|/udp]");
		return -1;
	}
	if (c->keep && c->cmd != MAPCTL_ADD) {
		fprintf(stderr, "homereach map: --keep goes with add\n");
		return -1;
	}
	if (c->keep && c->family == 0)
		c->family = 4;		/* one family kept in the foreground */
	return argc == 1 ? map_port_proto(argv[0], c) : 0;
}

/* The pinhole's side of add: the router's IPv6 address, and this host's
 * stable global one that the pinhole opens. -1 (said when asked for
 * explicitly) when the host has no IPv6 way out. */
static int
map_ipv6(struct mapctl *c)
{
	char why[REASON_LEN];

	if (netif_ipv6_way(&c->gateway, &c->spec.client, why, sizeof(why)) < 0) {
		if (c->family == 6)
			fprintf(stderr, "homereach map: no IPv6 pinhole: %s\n", why);
		return -1;
	}
	c->upstream = (struct netaddr){ 0 };
	c->nstun = 0;			/* no NAT in front of a firewall */
	return 0;
}

/*
 * While an agent runs it owns the state: add and del ask it, and a flag
 * it cannot be told is refused, never a second writer of its state (its
 * next save erased such a record, and left the router's mapping an
 * orphan). -1: no agent to ask (or a state of one's own): do it here.
 */
static int
map_agent(const struct mapctl *c, const struct config *cfg)
{
	if (c->state_dir_given || !mapagent_running(cfg->runtime_dir))
		return -1;
	if (c->keep || c->spec.via != VIA_ANY || c->upstream.family != 0 ||
	    c->nstun != 0) {
		fprintf(stderr, "homereach map: an agent keeps the state in %s and "
		    "is not told --via, --upstream, --stun or --keep: stop it, "
		    "or give --state-dir for a state of your own\n", c->state_dir);
		return 1;
	}
	return mapagent_run(c, cfg->runtime_dir);
}

/* add for each family asked for (IPv4 first); the worse exit status. */
static int
map_add(struct mapctl *c, const struct config *cfg)
{
	struct mapctl c6 = *c;
	int rc = map_agent(c, cfg), rc6;

	if (rc >= 0)		/* it keeps the port on every way it has */
		return rc;
	rc = 0;
	if (c->family != 6 && c->gateway.family == 0) {
		fprintf(stderr, "homereach map: no IPv4 default route\n");
		rc = 1;
	} else if (c->family != 6)
		rc = mapctl_run(c);
	/* NAT-PMP has no IPv6. */
	if (c->family == 4 || (c->family == 0 && c->spec.via == VIA_NATPMP) ||
	    map_ipv6(&c6) < 0)
		return c->family == 6 ? 1 : rc;
	rc6 = mapctl_run(&c6);
	return rc > rc6 ? rc : rc6;
}

int
map_main(int argc, char *argv[])
{
	struct mapctl c = {
		.timeout_ms = 6000, .check_s = 30,
		.spec = { .lifetime = 7200, .via = VIA_ANY },
	};
	char why[REASON_LEN];
	struct route_default rt;
	int rc;

	static struct config cfg;

	if (map_parse(argc, argv, &c) < 0) {
		map_usage(stderr);
		return EXIT_USAGE;
	}
	if (config_read(c.config, &cfg) < 0)
		return EXIT_USAGE;
	if (c.state_dir == NULL)
		c.state_dir = cfg.state_dir;
	snprintf(c.state_path, sizeof(c.state_path), "%s/state", c.state_dir);
	if (route_read_default(&rt, why, sizeof(why)) < 0 && c.cmd == MAPCTL_ADD &&
	    c.family == 4) {
		fprintf(stderr, "homereach map: %s\n", why);
		return 1;
	}
	c.gateway = rt.gateway;
	c.name = config_ipv4_name(&cfg);
	c.cfg = &cfg;
	if (c.cmd == MAPCTL_ADD)
		return map_add(&c, &cfg);
	if (c.cmd == MAPCTL_DEL && (rc = map_agent(&c, &cfg)) >= 0)
		return rc;
	return mapctl_run(&c);
}
