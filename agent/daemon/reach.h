/* Is a mapped port reachable from outside? Asked of a redirect server's
 * /check (check_url in [probes]), which connects back to our address. */
#ifndef HOMEREACH_REACH_H
#define HOMEREACH_REACH_H

#include <stdint.h>

struct event_base;
struct evdns_base;
struct reach;

struct reach_result {
	char service[64];
	char result[32];		/* "open", "closed", "no-answer", "error" */
	char detail[96];		/* for "error": what went wrong */
	uint16_t port;			/* the external port asked about */
	int64_t at;			/* time() of the answer */
};

typedef void reach_cb(const struct reach_result *r, void *arg);

struct reach *reach_new(struct event_base *base, struct evdns_base *dns);
void reach_free(struct reach *r);
/* Ask url about port (IPPROTO_TCP or IPPROTO_UDP) for service; cb runs
 * once, from the loop. A check of the same service under way is dropped. */
int reach_check(struct reach *r, const char *url, const char *service,
    uint16_t port, int proto, reach_cb *cb, void *arg);
/* The last answer about service, or NULL. */
const struct reach_result *reach_last(const struct reach *r,
    const char *service);

#endif
