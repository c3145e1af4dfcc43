/* homereach check-config: every problem of the configuration, each with
 * its file and line; exit 0 when there is none, 2 otherwise. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cli.h"
#include "agent/config.h"
#include "agent/log.h"

/* Load the configuration for a subcommand; print every error. */
int
cli_config(const char *path, struct config *cfg)
{
	if (config_load(path ? path : CONFIG_DEFAULT_PATH, path != NULL, cfg) == 0)
		return 0;
	for (int i = 0; i < cfg->nerrors; i++)
		fprintf(stderr, "homereach: %s\n", cfg->errors[i]);
	return -1;
}

void
cli_global_flags(int *argc, char ***argv)
{
	int level = LOG_LVL_WARN;
	char **v = *argv;

	for (; *argc > 1; (*argc)--, v++) {
		if (strcmp(v[1], "--syslog") == 0)	/* the agent's helpers */
			log_to_syslog();
		else if (v[1][0] == '-' && v[1][1] == 'v' &&
		    v[1][strspn(v[1] + 1, "v") + 1] == '\0')
			log_set_level(level += (int)strlen(v[1]) - 1);
		else
			break;
	}
	*argv = v;
}

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
	rc = cli_config(path ? path : CONFIG_DEFAULT_PATH, cfg);
	if (rc == 0)
		printf("%s: ok (%d DNS record%s)\n", cfg->path, cfg->nddns,
		    cfg->nddns == 1 ? "" : "s");
	free(cfg);
	return rc == 0 ? 0 : EXIT_USAGE;
}
