/* DDNS providers: one blocking update each, run on a worker thread. */
#ifndef HOMEREACH_PROVIDER_H
#define HOMEREACH_PROVIDER_H

#include <stddef.h>

#include "ddns/ddns.h"
#include "ddns/ddnsconf.h"
#include "lib/reason.h"

struct ddns_answer {
	enum ddns_outcome outcome;
	char result[48];		/* the provider's word: "good", "BADSIG" */
	char detail[REASON_LEN];	/* one line for a person; never a secret */
};

void ddns_answer_set(struct ddns_answer *a, enum ddns_outcome o,
    const char *result, const char *detail);
/* dyndns2: one reply for one hostname; parse the body whatever the HTTP
 * status (tests/vectors/dyndns2-codes.md). Pure. */
void dyndns2_parse(const char *body, size_t len, long http_status,
    struct ddns_answer *a);
/* One request may name several hosts (up to 20, Dyn's limit): one reply
 * line each, in order; a[i] for host i. */
#define DYNDNS2_MAX_HOSTS	20
void dyndns2_parse_hosts(const char *body, size_t len, long http_status,
    int nhosts, struct ddns_answer *a);
/* recs[0..n) share server, credentials and address: one request. */
void dyndns2_update_hosts(const struct ddns_config *const *recs, int n,
    const struct netaddr *addr, struct ddns_answer *a);
/* Could r and other go in one dyndns2 request? */
bool dyndns2_batchable(const struct ddns_config *r,
    const struct ddns_config *other);
void dyndns2_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a);
/* RFC 2136 UPDATE signed with TSIG (RFC 8945), through ldns. */
void rfc2136_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a);
/* A redirect server's /nic/update: dyndns2 with our port=. */
void redirect_update(const struct ddns_config *r, const struct netaddr *addr,
    uint16_t port, struct ddns_answer *a);
/* Does the record at this authoritative server hold exactly addr? */
bool dnscheck_holds(const char *server, const char *hostname,
    const struct netaddr *addr);
/* The provider of r, after asking DNS when configured (rfc2136: always). */
void provider_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a);

#endif
