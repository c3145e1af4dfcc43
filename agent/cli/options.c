/* What every command line shares. */
#include <string.h>

#include "agent/cli/cli.h"
#include "lib/log.h"

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
