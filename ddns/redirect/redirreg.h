/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Registrations at the redirect server (dyndns2 /nic/update), in three
 * steps: the credentials against the users file (crypt: a worker thread),
 * what DNS holds now for each host (questions through redirdns, on the
 * loop), and one RFC 2136 UPDATE for each host whose records differ
 * (ldns, blocking: a worker thread again).
 */
#ifndef HOMEREACH_REDIRREG_H
#define HOMEREACH_REDIRREG_H

#include <stdbool.h>

#include "ddns/redirect/redirparse.h"
#include "ddns/redirect/redirconf.h"

struct redirdns;

enum redirreg_state {
	REG_NOAUTH,			/* not a host of this user */
	REG_LOOKING,			/* its records are being asked for */
	REG_NOZONE, REG_NOTPUBLIC,	/* refused */
	REG_UNKNOWN,			/* the DNS server did not answer */
	REG_SAME, REG_DIFFERENT,
};

struct redirreg_host {
	enum redirreg_state state;
	char target[300];
	uint16_t port;
	struct netaddr addr[2];		/* to publish: v4, v6 */
};

struct redirreg_job {
	/* in */
	const struct redirect_config *cfg;
	struct redirparse_update u;
	char user[128];
	char pass[256];			/* wiped by redirreg_auth */
	struct netaddr source;
	/* between the steps */
	struct redirreg_host host[REDIRPARSE_MAX_HOSTS];
	struct redirdns *dns;
	int looking, step;		/* the host asked about, its question */
	void (*looked)(void *arg);
	void *looked_arg;
	/* out */
	bool auth_failed;		/* no host took these credentials */
	char reply[REDIRPARSE_MAX_HOSTS * 64];	/* one dyndns2 line per host */
	char log[REDIRPARSE_MAX_HOSTS * 160];	/* what was done, no secret */
};

/* 1, on a worker thread: which hosts take these credentials. */
void redirreg_auth(void *job);
/* 2, on the loop: what DNS holds for each of them, asked through dns;
 * looked(arg) once all are known (maybe before this returns). Questions
 * still out are dropped with redirdns_ask_cancel(dns, job). */
void redirreg_look(struct redirreg_job *j, struct redirdns *dns,
    void (*looked)(void *), void *arg);
/* Does step 3 write anything (and so block)? */
bool redirreg_writes(const struct redirreg_job *j);
/* 3: the UPDATEs, and the reply and log lines, host by host. */
void redirreg_finish(void *job);

/* A users file line for host and user with password hashed (yescrypt),
 * into line; -1 with why. */
int redirreg_entry(const char *host, const char *user, const char *password,
    char *line, size_t len, char *why, size_t wlen);

#endif
