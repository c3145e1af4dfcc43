/* Registrations at the redirect server (dyndns2 /nic/update): check the
 * credentials against the users file and write the records by RFC 2136.
 * Blocking (crypt, DNS): redirreg_work runs on a worker thread. */
#ifndef HOMEREACH_REDIRREG_H
#define HOMEREACH_REDIRREG_H

#include <stdbool.h>

#include "ddns/redirect.h"
#include "ddns/redirect/redirconf.h"

struct redirreg_job {
	/* in */
	const struct redirect_config *cfg;
	struct redirect_update u;
	char user[128];
	char pass[256];			/* wiped by redirreg_work */
	struct netaddr source;
	/* out */
	bool auth_failed;		/* no host took these credentials */
	char reply[REDIRECT_MAX_HOSTS * 64];	/* one dyndns2 line per host */
	char log[REDIRECT_MAX_HOSTS * 160];	/* what was done, no secret */
};

void redirreg_work(void *job);

/* A users file line for host and user with password hashed (yescrypt),
 * into line; -1 with why. */
int redirreg_entry(const char *host, const char *user, const char *password,
    char *line, size_t len, char *why, size_t wlen);

#endif
