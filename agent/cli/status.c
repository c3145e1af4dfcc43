/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach status: a thin client of the agent's control socket (as
 * ntpctl is of ntpd). Exit 0, or 3 when no agent answers. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "agent/daemon/control.h"

#define EXIT_NO_AGENT	3

static const char *
status_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : "-";
}

static long long
status_int(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void
status_mappings(json_t *list)
{
	size_t i;
	json_t *m, *o;

	printf("\nmappings:\n");
	if (json_array_size(list) == 0)
		printf("  none configured\n");
	json_array_foreach(list, i, m) {
		printf("  %-12s %s %5lld -> ", status_str(m, "service"),
		    status_str(m, "protocol"), status_int(m, "port"));
		if (json_object_get(m, "keepalive_age") != NULL)
			printf("%s:%lld held through the carrier's NAT%s, "
			    "keep-alive answered %lld s ago",
			    status_str(m, "external_address"), status_int(m,
			    "external_port"), json_is_true(json_object_get(m,
			    "held_open")) ? "" : " (not open: testing again)",
			    status_int(m, "keepalive_age"));
		else if (json_object_get(m, "external_port") != NULL)
			printf(json_is_true(json_object_get(m, "pinhole")) ?
			    "[%s]:%lld (pinhole) via %s, %s" : "%s:%lld via %s, %s",
			    status_str(m, "external_address"), status_int(m,
			    "external_port"), status_str(m, "via"), status_int(m,
			    "lease_left") < 0 ? "permanent" : "");
		else
			printf("(%s)", status_str(m, "state"));
		if (status_int(m, "lease_left") >= 0 &&
		    json_object_get(m, "external_port") != NULL)
			printf("lease %lld s left", status_int(m, "lease_left"));
		if (json_object_get(m, "error"))
			printf("; %s", status_str(m, "error"));
		if ((o = json_object_get(m, "outside")) != NULL)
			printf("; from outside: %s", status_str(o, "result"));
		if ((o = json_object_get(m, "hairpin")) != NULL)
			printf("; from this LAN: %s", status_str(o, "result"));
		printf("\n");
		if (o != NULL && json_object_get(o, "fix") != NULL)
			printf("    no NAT loopback: %s\n", status_str(o, "fix"));
	}
}

static void
status_records(json_t *list)
{
	size_t i;
	json_t *r;

	printf("\nrecords:\n");
	if (json_array_size(list) == 0)
		printf("  none configured\n");
	json_array_foreach(list, i, r) {
		char pub[80];
		snprintf(pub, sizeof(pub), json_object_get(r, "published_port") ?
		    "%s port %lld" : "%s", status_str(r, "published"),
		    status_int(r, "published_port"));
		printf("  %-12s %-4s %-28s %-16s %-10s %s\n", status_str(r, "name"),
		    status_str(r, "record"), status_str(r, "hostname"), pub,
		    status_str(r, "last_result"), status_str(r, "next"));
		if (json_object_get(r, "srv_missing") != NULL)
			printf("    %s\n", status_str(r, "srv_missing"));
	}
}

static void
status_errors(json_t *list)
{
	size_t i;
	json_t *e;

	if (json_array_size(list) == 0)
		return;
	printf("\nrecent problems:\n");
	json_array_foreach(list, i, e) {
		time_t t = (time_t)status_int(e, "time");
		char when[32];
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		printf("  %s %s\n", when, status_str(e, "message"));
	}
}

/* The carrier test's finding, and behind a full cone how long a silent
 * port stays open and the keep-alives that follow from it. */
static void
status_carrier(json_t *c)
{
	json_t *life = json_object_get(c, "binding_lifetime");

	printf("carrier:  the NAT in front of the home router: %s\n",
	    status_str(c, "finding"));
	if (life == NULL)
		return;
	if (json_object_get(life, "open_s") != NULL &&
	    status_int(life, "closed_s") != 0)
		printf("          a silent port stays open %lld s, not %lld s",
		    status_int(life, "open_s"), status_int(life, "closed_s"));
	else if (json_object_get(life, "open_s") != NULL)
		printf("          a silent port stays open %lld s or more",
		    status_int(life, "open_s"));
	else if (json_object_get(life, "error") != NULL)
		printf("          binding lifetime not measured (%s)",
		    status_str(life, "error"));
	else
		printf("          binding lifetime being measured");
	printf(": keep-alives every %lld s (%lld s for all but one held port)\n",
	    status_int(c, "keepalive_s"), status_int(c, "keepalive_others_s"));
}

/* The relays of [relay]: the one in use, those passed over. */
static void
status_relay(json_t *r)
{
	long long now = (long long)time(NULL);
	json_t *p;
	size_t i;

	if (json_object_get(r, "address") != NULL)
		printf("relay:    IPv4 comes in at %s (WireGuard to %s), "
		    "answered %lld s ago\n", status_str(r, "address"),
		    status_str(r, "server"), status_int(r, "answered_s_ago"));
	else
		printf("relay:    none in use\n");
	json_array_foreach(json_object_get(r, "passed_over"), i, p)
		printf("          %s passed over for %lld s more: it stopped "
		    "answering\n", status_str(p, "server"), status_int(p,
		    "until") - now);
}

/* The way out as the last full check drew it (diagnosis.path). */
static void
status_way(json_t *path)
{
	size_t i;
	json_t *n;

	if (json_array_size(path) == 0)
		return;
	printf("\n");
	json_array_foreach(path, i, n) {
		const char *d = json_string_value(json_object_get(n, "detail"));

		if (d == NULL)
			d = "";
		printf("%s%s %s%s%s\n", i ? "     -> " : "Way in: ",
		    status_str(n, "role"), json_is_string(json_object_get(n,
		    "address")) ? status_str(n, "address") : "(unknown)",
		    d[0] ? ": " : "", d);
	}
}

static int
status_text(const char *text)
{
	json_error_t err;
	json_t *o = json_loads(text, 0, &err), *last;
	long long now = (long long)time(NULL);

	if (o == NULL) {
		fprintf(stderr, "homereach status: the agent's reply is not JSON "
		    "(line %d: %s)\n", err.line, err.text);
		return 1;
	}
	last = json_object_get(o, "last_check");
	printf("agent:    pid %lld, up %lld s; last check %lld s ago (%s), "
	    "next in %lld s\n", status_int(o, "pid"), now - status_int(o,
	    "started"), now - status_int(last, "time"), status_str(last,
	    "reason"), status_int(o, "next_check_in"));
	printf("topology: %s\n", status_str(o, "verdict"));
	if (json_object_get(o, "carrier_nat") != NULL)
		status_carrier(json_object_get(o, "carrier_nat"));
	printf("gateway:  %s (says its WAN address is %s)\n", status_str(o,
	    "gateway"), status_str(o, "gateway_wan"));
	printf("public:   IPv4 %s, IPv6 %s\n", status_str(o, "public_ipv4"),
	    status_str(o, "public_ipv6"));
	if (json_object_get(o, "relay") != NULL)
		status_relay(json_object_get(o, "relay"));
	status_way(json_object_get(json_object_get(o, "diagnosis"), "path"));
	status_mappings(json_object_get(o, "mappings"));
	status_records(json_object_get(o, "records"));
	status_errors(json_object_get(o, "errors"));
	json_decref(o);
	return 0;
}

static const char *
status_dir(const char *config, const char *dir, struct config *cfg)
{
	if (dir != NULL)
		return dir;
	/* Only runtime_dir is wanted: a config we may not read (it holds
	 * secrets) leaves the default. */
	config_load(config ? config : CONFIG_DEFAULT_PATH, false, cfg);
	return cfg->runtime_dir[0] ? cfg->runtime_dir : CONFIG_DEFAULT_RUNTIME;
}

int
status_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *dir = NULL;
	struct config *cfg = calloc(1, sizeof(*cfg));
	char *reply = NULL;
	bool json = false;
	int ch, rc;

	while (cfg && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 'c': config = optarg; break;
		case 'r': dir = optarg; break;
		default:
			fprintf(ch == 'h' ? stdout : stderr, "Usage: homereach "
			    "status [--json] [--config FILE] [--runtime-dir DIR]\n"
			    "Exit status 3: no agent is running.\n");
			free(cfg);
			return ch == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (cfg == NULL)
		return 1;
	dir = status_dir(config, dir, cfg);
	rc = control_ask(dir, "status", 5000, &reply);
	if (rc < 0) {
		fprintf(stderr, "homereach status: no agent is running (%s/%s: "
		    "%s)\n", dir, CONTROL_SOCKET, strerror(-rc));
		free(cfg);
		return EXIT_NO_AGENT;
	}
	rc = json ? (fputs(reply, stdout), 0) : status_text(reply);
	free(reply);
	free(cfg);
	return rc;
}
