/* SPDX-License-Identifier: BSD-2-Clause */
/* Other programs run from here (ip, nft, wg, wireguard-go): never
 * through a shell, each argument as given. */
#ifndef HOMEREACH_RUN_H
#define HOMEREACH_RUN_H

#include <stdbool.h>
#include <sys/types.h>

/* argv (argv[0] looked up in PATH) run to its end, input (or nothing) on
 * its standard input; quiet: its standard error to /dev/null. Its exit
 * status, or -1 if it could not run or was killed. */
int run_wait(char *const argv[], const char *input, bool quiet);
/* argv started, its output to /dev/null: its pid, or -1. */
pid_t run_child(char *const argv[]);

#define RUN(...) run_wait((char *const[]){ __VA_ARGS__, NULL }, NULL, false)
#define RUN_QUIET(...) run_wait((char *const[]){ __VA_ARGS__, NULL }, NULL, true)

#endif
