/* SPDX-License-Identifier: BSD-2-Clause */
/* DDNS providers: one blocking update each, run on a worker thread. */
#ifndef HOMEREACH_PROVIDER_H
#define HOMEREACH_PROVIDER_H

#include <stddef.h>

#include "ddns/ddns.h"
#include "ddns/ddnsconf.h"
#include "lib/reason.h"

/*
 * What happened, as a provider saw it. Providers say only this; whether it
 * is worth trying again (and when) is decided in one place, answer.c's
 * table, for all of them.
 */
enum ddns_fault {
	FAULT_NONE,		/* updated */
	FAULT_CURRENT,		/* it had this address already */
	FAULT_NETWORK,		/* no answer: unreachable, timed out, cut */
	FAULT_SERVER,		/* the server failed, or answered nonsense */
	FAULT_BUSY,		/* rate limited */
	FAULT_CLOCK,		/* our clock and the server's differ */
	FAULT_OUTAGE,		/* the provider says it is down ("911") */
	FAULT_AUTH,		/* credentials, token or key not taken */
	FAULT_CONFIG,		/* the record's configuration cannot work */
	FAULT_REFUSED,		/* the provider will not do it for this account */
	FAULT_UNSIGNED_REFUSAL,	/* refused, unsigned: likely a key the server
				 * does not know (PowerDNS answers so) */
};

struct ddns_answer {
	enum ddns_fault fault;
	enum ddns_outcome outcome;	/* of fault, by ddns_answer_set */
	char result[48];		/* the provider's word: "good", "BADSIG" */
	char detail[REASON_LEN];	/* one line for a person; never a secret */
};

void ddns_answer_set(struct ddns_answer *a, enum ddns_fault f,
    const char *result, const char *detail);
/* An HTTP status that is not a success: 401/403 FAULT_AUTH, 429
 * FAULT_BUSY, 5xx FAULT_SERVER, anything else the provider's other. */
enum ddns_fault ddns_http_fault(long status, enum ddns_fault other);
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
void rfc2136_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a);
/* A redirect server's /nic/update: dyndns2 with our port= (and
 * offline=yes for a withdrawn target). */
void redirect_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a);
/* Does this authoritative server hold exactly the target: its address
 * at hostname, and beside an A each SRV record? */
bool dnscheck_holds(const char *server, const char *hostname,
    const struct ddns_target *t);

/*
 * The providers, one table entry each (ddns/providers.c), as inadyn's
 * plugins: the name a [ddns] section gives, its default server, what the
 * section must hold; each kind's update is in provider.c. Services that
 * speak dyndns2 and differ only in their server are entries of their own.
 */
enum {
	NEEDS_SERVER = 1 << 0,
	NEEDS_LOGIN = 1 << 1,		/* username and password */
	NEEDS_ZONE = 1 << 2,
	NEEDS_TSIG = 1 << 3,		/* tsig_key and tsig_secret */
	NEEDS_TOKEN = 1 << 4,
	NEEDS_URL = 1 << 5,		/* url and success */
	NEEDS_SERVICE = 1 << 6,		/* a [service] of the same file */
};

/* Is the authoritative server asked first whether it holds the address? */
enum provider_dns_check { CHECK_IF_ASKED, CHECK_ALWAYS, CHECK_NEVER };

typedef void provider_update_fn(const struct ddns_config *r,
    const struct ddns_target *t, struct ddns_answer *a);

struct provider {
	const char *name;
	enum ddns_provider kind;
	const char *server;		/* the default server, or NULL */
	unsigned needs;			/* NEEDS_* */
	const char *needs_text;		/* the same, for a person */
	bool https_only;		/* its server takes https:// only */
	enum provider_dns_check dns_check;
	bool batches;			/* records may share a request (dyndns2) */
	bool srv;			/* writes SRV records beside an A */
	bool withdraws;			/* can delete what it published */
};

/* The entry of this name, or NULL. */
const struct provider *provider_named(const char *name);
/* The first entry of this kind (never NULL for a kind but PROV_NONE). */
const struct provider *provider_of(enum ddns_provider kind);
/* Every name, comma-separated, for a message. */
const char *provider_names(void);
/* r's provider, after asking DNS when its entry or r says to. Blocking. */
void provider_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a);

#endif
