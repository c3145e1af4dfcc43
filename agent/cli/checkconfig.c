/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach check-config: every problem of the configuration, each with
 * its file and line; exit 0 when there is none, 2 otherwise. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"

int
checkconfig_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	struct config *cfg;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (ch == 'c') {
			path = optarg;
			continue;
		}
		fprintf(ch == 'h' ? stdout : stderr,
		    "Usage: homereach check-config [--config FILE]\n");
		return ch == 'h' ? 0 : EXIT_USAGE;
	}
	if ((cfg = malloc(sizeof(*cfg))) == NULL)
		return 1;
	rc = config_read(path ? path : CONFIG_DEFAULT_PATH, cfg);
	if (rc == 0)
		printf("%s: ok (%d DNS record%s)\n", cfg->path, cfg->nddns,
		    cfg->nddns == 1 ? "" : "s");
	free(cfg);
	return rc == 0 ? 0 : EXIT_USAGE;
}
