/* SPDX-License-Identifier: BSD-2-Clause */
/* Custom URL providers: one GET of the expanded template. The URL may hold
 * a secret (DuckDNS takes its token there), so it is never logged. */
#include "ddns/custom.h"

#include <stdio.h>
#include <string.h>

#include "ddns/http.h"

void
custom_update(const struct ddns_config *r, const char *t, const char *success,
    const struct netaddr *addr, struct ddns_answer *a)
{
	char url[2048], why[REASON_LEN];
	struct http_request q = { .url = url, .ca_file = r->ca_file,
	    .plain_http = r->plain_http };
	struct http_reply reply;

	if (custom_expand(t, r, addr, url, sizeof(url), why, sizeof(why)) < 0) {
		ddns_answer_set(a, FAULT_CONFIG, "bad-url", why);
		return;
	}
	if (http_request(&q, &reply) < 0) {
		ddns_answer_set(a, FAULT_NETWORK, "network", reply.error);
	} else {
		custom_judge(reply.body ? reply.body : "", reply.len, reply.status,
		    success, a);
	}
	http_reply_free(&reply);
}
