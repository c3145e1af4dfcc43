/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach agent: its command line; the agent itself is agent/daemon/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "agent/daemon/daemon.h"
#include "lib/caps.h"
#include "lib/log.h"

static void
agent_usage(FILE *out)
{
	fprintf(out, "Usage: homereach agent [--config FILE] [-v]\n"
	    "Runs in the foreground (for systemd): keeps every [service] "
	    "mapped and every\n[ddns] record published. SIGHUP reloads, "
	    "SIGUSR1 checks now, SIGTERM removes\nthe mappings and stops. "
	    "`homereach status` asks it how things are.\n");
}

int
agent_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "helper", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CONFIG_DEFAULT_PATH;
	char helper[1024] = "";
	struct config *cfg;
	int ch;

	if (log_get_level() < LOG_LVL_INFO)
		log_set_level(LOG_LVL_INFO);	/* a daemon says what it does */
	while ((ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'H': snprintf(helper, sizeof(helper), "%s", optarg); break;
		case 'v': log_set_level(log_get_level() + 1); break;
		case 'h': agent_usage(stdout); return 0;
		default: agent_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		agent_usage(stderr);
		return EXIT_USAGE;
	}
	if ((cfg = malloc(sizeof(*cfg))) == NULL)
		return 1;
	if (config_read(path, cfg) < 0) {
		free(cfg);
		return EXIT_USAGE;
	}
	/* CAP_NET_ADMIN (the unit's) only for a relay's tunnel, and for no
	 * hook or helper */
	if (caps_net_admin(cfg->nrelays > 0) < 0)
		log_warn("this process's capabilities");
	return agent_run(path, cfg, helper);
}

