/* Subcommands of the homereach binary. */
#ifndef HOMEREACH_CLI_H
#define HOMEREACH_CLI_H

/* Exit status shared by all subcommands. */
enum { EXIT_USAGE = 2 };

int diagnose_main(int argc, char *argv[]);
int map_main(int argc, char *argv[]);

#endif
