/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `homereach agent` in the full binary becomes the agent's own binary,
 * homereach-agent, which links neither libcurl nor ldns: the long-running
 * process stays small (about 2 MB of RSS instead of 10), and DNS updates
 * run in short-lived `homereach ddns update --public` helpers. It is
 * looked for beside this binary (a build tree), then where it installs.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/cli/cli.h"
#include "lib/log.h"

#ifndef HOMEREACH_AGENT_PATH
#define HOMEREACH_AGENT_PATH "/usr/libexec/homereach/homereach-agent"
#endif

static int
agentexec_find(const char *self, char *path, size_t len)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", self);
	snprintf(path, len, "%s/homereach-agent", dirname(dir));
	if (access(path, X_OK) == 0)
		return 0;
	snprintf(path, len, "%s", HOMEREACH_AGENT_PATH);
	return access(path, X_OK);
}

int
agent_exec_main(int argc, char *argv[])
{
	char self[PATH_MAX], path[PATH_MAX], *args[64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int k = 0;

	if (n <= 0 || argc > 50)
		return agent_main(argc, argv);
	self[n] = '\0';
	if (agentexec_find(self, path, sizeof(path)) < 0) {
		log_warnx("%s not found: the agent runs in this process, with "
		    "libcurl and ldns loaded", HOMEREACH_AGENT_PATH);
		return agent_main(argc, argv);
	}
	args[k++] = path;
	for (int level = LOG_LVL_WARN; level < log_get_level(); level++)
		args[k++] = "-v";
	if (log_is_syslog())
		args[k++] = "--syslog";
	for (int i = 0; i < argc; i++)
		args[k++] = argv[i];
	args[k++] = "--helper";
	args[k++] = self;
	args[k] = NULL;
	execv(path, args);
	log_warn("cannot run %s", path);
	return 1;
}
