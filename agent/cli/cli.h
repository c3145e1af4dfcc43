/* Subcommands of the homereach binary. */
#ifndef HOMEREACH_CLI_H
#define HOMEREACH_CLI_H

/* Exit status shared by all subcommands. */
enum { EXIT_USAGE = 2 };

struct config;

int diagnose_main(int argc, char *argv[]);
int checkconfig_main(int argc, char *argv[]);
int ddns_main(int argc, char *argv[]);
int map_main(int argc, char *argv[]);
int agent_main(int argc, char *argv[]);
/* `homereach agent`: exec the agent's own small binary (no libcurl, no
 * ldns), or run agent_main here if it is not installed. */
int agent_exec_main(int argc, char *argv[]);
/* Leading -v, -vv ... and --syslog, before the subcommand. */
void cli_global_flags(int *argc, char ***argv);
int status_main(int argc, char *argv[]);
int redirectcmd_main(int argc, char *argv[]);

#endif
