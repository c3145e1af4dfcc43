/* SPDX-License-Identifier: BSD-2-Clause */
/* ddclient.c's options, as ddclient_map.c turns them into homereach's. */
#ifndef HOMEREACH_IMPORT_DDCLIENT_H
#define HOMEREACH_IMPORT_DDCLIENT_H

#include "agent/import/imported.h"

#define DD_MAX_OPTS	64

struct dd_opt {
	char key[40];
	char value[512];
	int line;
};

const char *dd_get(const struct dd_opt *opts, int n, const char *key);
/* A line of globals: the [agent] settings it holds (daemon, syslog). */
void dd_agent(struct imported *im, const struct dd_opt *o, int n);
/* A host and its options (the globals so far, then its line's). */
void dd_host(struct imported *im, const char *host, int line,
    const struct dd_opt *o, int n);

#endif
