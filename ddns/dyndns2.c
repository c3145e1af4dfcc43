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

static void
dyndns2_set(struct ddns_answer *a, enum ddns_outcome o, const char *result,
    const char *detail)
{
	a->outcome = o;
	snprintf(a->result, sizeof(a->result), "%s", result);
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}

static int
dyndns2_url(const struct ddns_config *r, const struct netaddr *addr,
    char *url, size_t len)
{
	char ip[ADDR_STRLEN], base[300];
	char *host = curl_escape(r->hostname, 0);
	size_t n;
	int rc;

	snprintf(base, sizeof(base), "%s%s", strstr(r->server, "://") ? "" :
	    "https://", r->server);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	rc = snprintf(url, len, "%s/nic/update?hostname=%s&myip=%s", base,
	    host ? host : "", addr_ntop(addr, ip, sizeof(ip)));
	curl_free(host);
	return rc < 0 || (size_t)rc >= len ? -1 : 0;
}

void
dyndns2_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	char url[1024];
	struct http_request q = { .url = url, .username = r->username,
	    .password = r->password.value, .ca_file = r->ca_file,
	    .plain_http = r->plain_http };
	struct http_reply reply;

	if (dyndns2_url(r, addr, url, sizeof(url)) < 0) {
		dyndns2_set(a, DDNS_STOP, "bad-url", "the update URL is too long");
		return;
	}
	if (http_request(&q, &reply) < 0)
		dyndns2_set(a, DDNS_RETRY, "network", reply.error);
	else if (reply.overflow)
		dyndns2_set(a, DDNS_RETRY, "too-long", "the reply is too long");
	else
		dyndns2_parse(reply.body ? reply.body : "", reply.len,
		    reply.status, a);
	http_reply_free(&reply);
}
