/* SPDX-License-Identifier: BSD-2-Clause */
/* homereach-agent: the agent alone, for `homereach agent` to exec. It
 * links no HTTP or DNS-update library; see agentexec.c. */
#include <stdio.h>
#include <string.h>

#include "agent/cli/cli.h"

int
main(int argc, char *argv[])
{
	cli_global_flags(&argc, &argv);
	if (argc < 2 || strcmp(argv[1], "agent") != 0) {
		fprintf(stderr, "Usage: homereach-agent [-v]... agent "
		    "[--config FILE]\n(run by `homereach agent`)\n");
		return EXIT_USAGE;
	}
	return agent_main(argc - 1, argv + 1);
}
