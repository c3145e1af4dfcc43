/* One run of the DDNS helper process (`homereach ddns update --public`),
 * watched from the loop: libcurl and ldns stay out of the agent. */
#ifndef HOMEREACH_DDNSRUN_H
#define HOMEREACH_DDNSRUN_H

struct event_base;
struct ddnsrun;
/* status: the helper's exit status, or -1 if it died or did not start. */
typedef void ddnsrun_cb(int status, void *arg);

/* argv[0] is the program; the helper's standard output is read and each
 * line logged at debug level; its standard error is ours. */
struct ddnsrun *ddnsrun_start(struct event_base *base, char *const argv[],
    ddnsrun_cb *cb, void *arg);
/* Frees; a helper still running is killed. */
void ddnsrun_free(struct ddnsrun *r);

#endif
