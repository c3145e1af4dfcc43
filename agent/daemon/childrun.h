/* SPDX-License-Identifier: BSD-2-Clause */
/* One run of a child process, watched from the loop: the DDNS helper
 * (`homereach ddns update --public`: libcurl and ldns stay out of the
 * agent), a hook's program, a webhook's poster. */
#ifndef HOMEREACH_CHILDRUN_H
#define HOMEREACH_CHILDRUN_H

#include <stdbool.h>

struct event_base;
struct childrun;
/* status: the helper's exit status, or -1 if it died or did not start. */
typedef void childrun_cb(int status, void *arg);

/* argv[0] is the program; envp its environment (NULL: ours); its
 * standard output is read and each line logged at debug level; its
 * standard error is ours. With waiting, its standard input is a pipe it
 * waits on for childrun_go(). */
struct childrun *childrun_start(struct event_base *base, char *const argv[],
    char *const envp[], bool waiting, childrun_cb *cb, void *arg);
/* Each line of its standard output, to cb (with the start's arg). */
typedef void childrun_line_cb(const char *line, void *arg);
void childrun_on_line(struct childrun *r, childrun_line_cb *cb);
/* A waiting helper's line of options; NULL: nothing to do, it exits. */
void childrun_go(struct childrun *r, const char *line);
/* Still waiting for childrun_go()? */
bool childrun_waiting(const struct childrun *r);
/* Frees; a child still running is killed (SIGKILL: a hook that hangs
 * must not hold the loop). */
void childrun_free(struct childrun *r);

#endif
