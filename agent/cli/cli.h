/* SPDX-License-Identifier: BSD-2-Clause */
/* Subcommands of the homereach binary. */
#ifndef HOMEREACH_CLI_H
#define HOMEREACH_CLI_H

/* Exit status shared by all subcommands. */
enum { EXIT_USAGE = 2 };

#include <stdint.h>

#include <jansson.h>

struct config;

int diagnose_main(int argc, char *argv[]);
int checkconfig_main(int argc, char *argv[]);
int hook_main(int argc, char *argv[]);
int ddns_main(int argc, char *argv[]);
int map_main(int argc, char *argv[]);
int agent_main(int argc, char *argv[]);
/* `homereach agent`: exec the agent's own small binary (no libcurl, no
 * ldns), or run agent_main here if it is not installed. */
int agent_exec_main(int argc, char *argv[]);
/* Leading -v, -vv ... and --syslog, before the subcommand. */
void cli_global_flags(int *argc, char ***argv);
/* --timeout, the same for every command: 0.1 to 60 seconds; a one-line
 * error naming cmd otherwise. */
int cli_seconds(const char *cmd, const char *arg, int *ms);
/* A port, 1 to 65535 (what names the option in the error), and
 * "PORT[/tcp|/udp]" (TCP when not said). */
int cli_port(const char *cmd, const char *what, const char *text,
    uint16_t *port);
int cli_port_proto(const char *cmd, const char *text, uint16_t *port,
    int *proto);
/* Ask the running agent (it owns the state; ctlmsg.h's vocabulary): its
 * JSON reply within wait_ms, or NULL with *error -ENOENT or -ECONNREFUSED
 * when none runs. */
struct ctl_request;
json_t *cli_ask_agent(const char *runtime_dir, const struct ctl_request *r,
    int wait_ms, int *error);
int status_main(int argc, char *argv[]);
int import_main(int argc, char *argv[]);
int redirectcmd_main(int argc, char *argv[]);
int relaycmd_main(int argc, char *argv[]);

#endif
