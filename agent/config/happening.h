/* SPDX-License-Identifier: BSD-2-Clause */
/* The kinds of event the agent reports (its timeline, hooks, metrics),
 * and their names in the configuration's [hook] events and in JSON. */
#ifndef HOMEREACH_HAPPENING_H
#define HOMEREACH_HAPPENING_H

#include <stddef.h>

enum happening {
	HAP_ADDRESS_CHANGED,	/* a public address, old -> new */
	HAP_TOPOLOGY_CHANGED,	/* the verdict, old -> new */
	HAP_MAPPING_LOST,	/* a router lost a service's way in */
	HAP_MAPPING_RESTORED,	/* ... and it is back */
	HAP_RECORD_UPDATED,	/* a DNS record took a new address */
	HAP_RECORD_FAILED,	/* an update was refused or failed */
	HAP_CHECK_FAILED,	/* a check found no way out, or a port that
				 * does not answer from outside */
	HAP_RECORD_WITHDRAWN,	/* a record deleted: nothing answers at the
				 * address it named */
	HAP_RELAY_CHANGED,	/* the relay in use, old -> new (either may
				 * be none) */
	HAP_KINDS
};

#define HAP_ALL	((1u << HAP_KINDS) - 1)

const char *happening_name(enum happening kind);
/* "address-changed, record-failed" or "all" (commas or spaces) into a
 * mask of 1 << kind; -1 with why naming the word that is none. Pure. */
int happening_parse(const char *list, unsigned *mask, char *why, size_t len);

#endif
