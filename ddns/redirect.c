/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect provider: a homereach redirect server's /nic/update, which
 * is dyndns2 with one more parameter, port, the external port the router
 * granted, and offline=yes to withdraw (nothing answers there now).
 * Always HTTPS (config.c refuses anything else); the reply is dyndns2's.
 */
#include "ddns/provider.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "ddns/http.h"

void
redirect_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	char url[1024], ip[ADDR_STRLEN], base[300];
	char *host = curl_escape(r->hostname, 0);
	struct http_request q = { .url = url, .username = r->username,
	    .password = r->password.value, .ca_file = r->ca_file };
	struct http_reply reply;
	size_t n;

	snprintf(base, sizeof(base), "%s", r->server);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	snprintf(url, sizeof(url), "%s/nic/update?hostname=%s&myip=%s&port=%u%s",
	    base, host ? host : "", addr_ntop(&t->addr, ip, sizeof(ip)), t->port,
	    t->withdraw ? "&offline=yes" : "");
	curl_free(host);
	if (http_request(&q, &reply) < 0)
		ddns_answer_set(a, FAULT_NETWORK, "network", reply.error);
	else if (reply.overflow)
		ddns_answer_set(a, FAULT_SERVER, "too-long", "the reply is too long");
	else
		dyndns2_parse(reply.body ? reply.body : "", reply.len,
		    reply.status, a);
	http_reply_free(&reply);
}
