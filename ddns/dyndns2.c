/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dyndns2: GET /nic/update?hostname=H&myip=IP with HTTP basic auth passed
 * as libcurl options, never in the URL; no redirects; HTTPS unless the
 * record allows plain HTTP. The reply is read by dyndns2_parse.c.
 */
#include "ddns/provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ddns/http.h"

bool
dyndns2_batchable(const struct ddns_config *r, const struct ddns_config *o)
{
	return r->provider == PROV_DYNDNS2 && o->provider == PROV_DYNDNS2 &&
	    !r->dns_check[0] && !o->dns_check[0] &&
	    !strcmp(r->server, o->server) && !strcmp(r->username, o->username) &&
	    !strcmp(r->password.value, o->password.value) &&
	    !strcmp(r->ca_file, o->ca_file) && r->plain_http == o->plain_http;
}

/* hostname=a,b,c: each name escaped, the commas not. */
static int
dyndns2_url(const struct ddns_config *const *recs, int n,
    const struct netaddr *addr, char *url, size_t len)
{
	char ip[ADDR_STRLEN], base[300];
	size_t o;
	int rc;

	snprintf(base, sizeof(base), "%s%s", strstr(recs[0]->server, "://") ?
	    "" : "https://", recs[0]->server);
	o = strlen(base);
	while (o > 0 && base[o - 1] == '/')
		base[--o] = '\0';
	rc = snprintf(url, len, "%s/nic/update?hostname=", base);
	for (int i = 0; i < n && rc >= 0 && (size_t)rc < len; i++) {
		char *host = curl_escape(recs[i]->hostname, 0);
		rc += snprintf(url + rc, len - (size_t)rc, "%s%s", i ? "," : "",
		    host ? host : "");
		curl_free(host);
	}
	if (rc >= 0 && (size_t)rc < len)
		rc += snprintf(url + rc, len - (size_t)rc, "&myip=%s",
		    addr_ntop(addr, ip, sizeof(ip)));
	return rc < 0 || (size_t)rc >= len ? -1 : 0;
}

static void
dyndns2_all(struct ddns_answer *a, int n, enum ddns_fault f,
    const char *result, const char *detail)
{
	for (int i = 0; i < n; i++)
		ddns_answer_set(&a[i], f, result, detail);
}

void
dyndns2_update_hosts(const struct ddns_config *const *recs, int n,
    const struct netaddr *addr, struct ddns_answer *a)
{
	const struct ddns_config *r = recs[0];
	char url[8192];
	struct http_request q = { .url = url, .username = r->username,
	    .password = r->password.value, .ca_file = r->ca_file,
	    .plain_http = r->plain_http };
	struct http_reply reply;

	if (n > DYNDNS2_MAX_HOSTS || dyndns2_url(recs, n, addr, url,
	    sizeof(url)) < 0) {
		dyndns2_all(a, n, FAULT_CONFIG, "bad-url", "the update URL is too long");
		return;
	}
	if (http_request(&q, &reply) < 0)
		dyndns2_all(a, n, FAULT_NETWORK, "network", reply.error);
	else if (reply.overflow)
		dyndns2_all(a, n, FAULT_SERVER, "too-long", "the reply is too long");
	else
		dyndns2_parse_hosts(reply.body ? reply.body : "", reply.len,
		    reply.status, n, a);
	http_reply_free(&reply);
}

void
dyndns2_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	dyndns2_update_hosts(&r, 1, addr, a);
}
