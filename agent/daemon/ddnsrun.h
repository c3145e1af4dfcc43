/* One run of the DDNS helper process (`homereach ddns update --public`),
 * watched from the loop: libcurl and ldns stay out of the agent. */
#ifndef HOMEREACH_DDNSRUN_H
#define HOMEREACH_DDNSRUN_H

#include <stdbool.h>

struct event_base;
struct ddnsrun;
/* status: the helper's exit status, or -1 if it died or did not start. */
typedef void ddnsrun_cb(int status, void *arg);

/* argv[0] is the program; the helper's standard output is read and each
 * line logged at debug level; its standard error is ours. With waiting,
 * its standard input is a pipe it waits on for ddnsrun_go(). */
struct ddnsrun *ddnsrun_start(struct event_base *base, char *const argv[],
    bool waiting, ddnsrun_cb *cb, void *arg);
/* Each line of its standard output, to cb (with the start's arg). */
typedef void ddnsrun_line_cb(const char *line, void *arg);
void ddnsrun_on_line(struct ddnsrun *r, ddnsrun_line_cb *cb);
/* A waiting helper's line of options; NULL: nothing to do, it exits. */
void ddnsrun_go(struct ddnsrun *r, const char *line);
/* Still waiting for ddnsrun_go()? */
bool ddnsrun_waiting(const struct ddnsrun *r);
/* Frees; a helper still running is killed. */
void ddnsrun_free(struct ddnsrun *r);

#endif
