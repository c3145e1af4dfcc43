/* SPDX-License-Identifier: BSD-2-Clause */
/* The port-redirecting DDNS server: visitors' redirects, registrations
 * (/nic/update, TLS only) and /check, on libevent's HTTP server. */
#ifndef HOMEREACH_REDIRSERVER_H
#define HOMEREACH_REDIRSERVER_H

#include <stddef.h>

#include "ddns/redirect/redirconf.h"

struct event_base;
struct redirsrv;

/* Listen as cfg says; NULL with why. The base needs
 * evthread_use_pthreads() (registrations run on worker threads). */
struct redirsrv *redirsrv_new(struct event_base *base,
    const struct redirect_config *cfg, char *why, size_t len);
void redirsrv_free(struct redirsrv *s);

#endif
