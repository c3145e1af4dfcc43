/* SPDX-License-Identifier: BSD-2-Clause */
/* The agent, as the command line starts it. */
#ifndef HOMEREACH_DAEMON_H
#define HOMEREACH_DAEMON_H

struct config;

/* Run until SIGTERM: cfg (malloc'd, read from config_path) is the agent's
 * from now on, replaced on SIGHUP and freed at the end. helper: the
 * homereach binary that has the providers ("" for this one). */
int agent_run(const char *config_path, struct config *cfg,
    const char *helper);

#endif
