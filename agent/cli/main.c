/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach: one binary, a table of subcommands (as wireguard-tools' wg). */
#include <stdio.h>
#include <string.h>

#include "agent/cli/cli.h"
#include "lib/log.h"

/* Each subcommand answers --help itself, for each of its own commands. */
static const struct {
	const char *name, *commands;
	int (*fn)(int argc, char *argv[]);
	const char *help;
} subcommands[] = {
	{ "diagnose", "", diagnose_main,
	    "name the NAT topology in front of this host and say what to do" },
	{ "map", " add|del|list", map_main,
	    "add, remove or list port mappings on the router (PCP, NAT-PMP, UPnP)" },
	{ "ddns", " update|status", ddns_main,
	    "keep DNS records pointed at the true public address" },
	{ "agent", "", agent_exec_main,
	    "keep services mapped and records published, in the foreground" },
	{ "status", "", status_main,
	    "ask the running agent how things are" },
	{ "redirect-server", " [passwd]", redirectcmd_main,
	    "run the port-redirecting DDNS server (for ISPs that block port 80),\n"
	    "                             or add a host to its users file" },
	{ "relay-server", " [add-home]", relaycmd_main,
	    "run a WireGuard relay for homes nothing else reaches, or add a\n"
	    "                             home to it" },
	{ "check-config", "", checkconfig_main,
	    "report every problem of the configuration file, with its line" },
	{ "import", " ddclient|inadyn", import_main,
	    "print (or --write) the homereach.conf of a ddclient or inadyn "
	    "config" },
	{ "hook", " post|ping", hook_main,
	    "the agent's helper: deliver a webhook, or ping a heartbeat URL" },
};

static void
usage(FILE *out)
{
	fprintf(out, "Usage: homereach [-v]... [--syslog] <subcommand> [options]\n\n"
	    "Keeps a home server reachable from the internet.\n\n"
	    "Subcommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		char word[64];
		snprintf(word, sizeof(word), "%s%s", subcommands[i].name,
		    subcommands[i].commands);
		fprintf(out, "  %-26s %s\n", word, subcommands[i].help);
	}
	fprintf(out, "\n'homereach <subcommand> [command] --help' for its "
	    "options.\n");
}

int
main(int argc, char *argv[])
{
	cli_global_flags(&argc, &argv);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("homereach %s\n", HOMEREACH_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "homereach: unknown subcommand \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
