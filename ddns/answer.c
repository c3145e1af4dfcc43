/* SPDX-License-Identifier: BSD-2-Clause */
#include "ddns/provider.h"

#include <stdio.h>

#include "lib/names.h"

/* The one place that sorts transient from fatal, for every provider. */
static enum ddns_outcome
ddns_outcome_of(enum ddns_fault f)
{
	static const enum ddns_outcome outcomes[] = {
		[FAULT_NONE] = DDNS_OK,
		[FAULT_CURRENT] = DDNS_NOCHG,
		[FAULT_NETWORK] = DDNS_RETRY,
		[FAULT_SERVER] = DDNS_RETRY,
		[FAULT_BUSY] = DDNS_RETRY,
		[FAULT_CLOCK] = DDNS_RETRY,
		[FAULT_OUTAGE] = DDNS_RETRY_LONG,	/* "no sooner than 30 min" */
		[FAULT_AUTH] = DDNS_STOP,		/* until the config changes */
		[FAULT_CONFIG] = DDNS_STOP,
		[FAULT_REFUSED] = DDNS_STOP,
		[FAULT_UNSIGNED_REFUSAL] = DDNS_RETRY_FEW,
	};
	return (unsigned)f < NAMES_COUNT(outcomes) ? outcomes[f] : DDNS_RETRY;
}

void
ddns_answer_set(struct ddns_answer *a, enum ddns_fault f, const char *result,
    const char *detail)
{
	a->fault = f;
	a->outcome = ddns_outcome_of(f);
	snprintf(a->result, sizeof(a->result), "%s", result);
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}

enum ddns_fault
ddns_http_fault(long status, enum ddns_fault other)
{
	return status == 401 || status == 403 ? FAULT_AUTH : status == 429 ?
	    FAULT_BUSY : status >= 500 ? FAULT_SERVER : other;
}
