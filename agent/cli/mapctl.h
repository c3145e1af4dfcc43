/* SPDX-License-Identifier: BSD-2-Clause */
/* The map subcommand's work on the event loop (agent/cli/map.c parses). */
#ifndef HOMEREACH_MAPCTL_H
#define HOMEREACH_MAPCTL_H

#include <stdbool.h>

#include "agent/config/state.h"
#include "nat/mapping.h"

enum mapctl_cmd { MAPCTL_ADD, MAPCTL_DEL, MAPCTL_LIST };

struct mapctl {
	enum mapctl_cmd cmd;
	struct mapping_spec spec;
	bool json, keep;
	bool state_dir_given;		/* --state-dir: not the agent's state */
	const char *state_dir;
	const char *config;
	char state_path[4096];
	int timeout_ms;
	int check_s;			/* --keep: UPnP lookup interval */
	struct netaddr gateway;
	struct netaddr upstream;	/* --upstream, or found by the probes */
	const char *stun[8];		/* --stun: observers for that search */
	int nstun;
	int family;			/* --family: 4, 6, or 0 for both */
	const char *name;		/* the config's A record name, or NULL */
	const struct config *cfg;	/* its [probes], when --stun is not given */
};

int mapctl_run(const struct mapctl *c);
/* mapagent.c: add or del asked of the running agent (dir: its runtime
 * directory). -1 when no agent runs; else the exit status. */
int mapagent_run(const struct mapctl *c, const char *dir);
/* Does an agent answer on its control socket in dir? */
bool mapagent_running(const char *dir);

#endif
