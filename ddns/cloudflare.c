/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cloudflare API v4: find the zone by name, find the record by type and
 * name, then PATCH its content or POST a new record. The token goes as a
 * bearer credential through libcurl, never in a URL or a log.
 */
#include "ddns/cloudflare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "ddns/http.h"

/* One API call; the JSON root of a successful reply, else NULL. */
static json_t *
cf_call(const struct ddns_config *r, const char *method, const char *url,
    const char *body, struct ddns_answer *a)
{
	struct http_request q = { .method = method, .url = url, .body = body,
	    .bearer = r->token.value, .ca_file = r->ca_file,
	    .plain_http = r->plain_http };
	struct http_reply reply;
	json_t *root = NULL;

	if (http_request(&q, &reply) < 0)
		ddns_answer_set(a, FAULT_NETWORK, "network", reply.error);
	else if (reply.overflow)
		ddns_answer_set(a, FAULT_SERVER, "too-long", "the reply is too long");
	else
		root = cloudflare_reply(reply.body ? reply.body : "", reply.len,
		    reply.status, a);
	http_reply_free(&reply);
	return root;
}

/* GET url, and the first result's id and content. */
static int
cf_lookup(const struct ddns_config *r, const char *url, char *id, size_t idlen,
    char *content, size_t clen, struct ddns_answer *a)
{
	json_t *root = cf_call(r, NULL, url, NULL, a);
	int rc;

	if (root == NULL)
		return -1;
	rc = cloudflare_first(root, id, idlen, content, clen, a);
	json_decref(root);
	return rc;
}

static void
cf_write(const struct ddns_config *r, const char *base, const char *zone_id,
    const char *rec_id, const struct netaddr *addr, struct ddns_answer *a)
{
	char url[1024], ip[ADDR_STRLEN], *body;
	json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:b}", "type",
	    addr->family == AF_INET6 ? "AAAA" : "A", "name", r->hostname,
	    "content", addr_ntop(addr, ip, sizeof(ip)), "ttl", (int)r->ttl,
	    "proxied", 0);
	json_t *root;

	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (rec_id[0])
		snprintf(url, sizeof(url), "%s/zones/%s/dns_records/%s", base,
		    zone_id, rec_id);
	else
		snprintf(url, sizeof(url), "%s/zones/%s/dns_records", base, zone_id);
	root = cf_call(r, rec_id[0] ? "PATCH" : "POST", url, body, a);
	free(body);
	if (root != NULL)
		ddns_answer_set(a, FAULT_NONE, rec_id[0] ? "updated" : "created",
		    rec_id[0] ? "record updated" : "record created");
	json_decref(root);
}

void
cloudflare_update(const struct ddns_config *r, const struct netaddr *addr,
    struct ddns_answer *a)
{
	const char *base = r->server[0] ? r->server : CLOUDFLARE_API;
	char url[1024], zone_id[64], rec_id[64], content[64], ip[ADDR_STRLEN];
	char *zone = curl_escape(r->zone, 0), *name = curl_escape(r->hostname, 0);

	snprintf(url, sizeof(url), "%s/zones?name=%s", base, zone ? zone : "");
	if (cf_lookup(r, url, zone_id, sizeof(zone_id), NULL, 0, a) < 0)
		goto out;
	if (zone_id[0] == '\0') {
		ddns_answer_set(a, FAULT_CONFIG, "no-zone", "the token sees no such zone");
		goto out;
	}
	snprintf(url, sizeof(url), "%s/zones/%s/dns_records?type=%s&name=%s",
	    base, zone_id, addr->family == AF_INET6 ? "AAAA" : "A",
	    name ? name : "");
	if (cf_lookup(r, url, rec_id, sizeof(rec_id), content, sizeof(content),
	    a) < 0)
		goto out;
	if (rec_id[0] && strcmp(content, addr_ntop(addr, ip, sizeof(ip))) == 0)
		ddns_answer_set(a, FAULT_CURRENT, "nochg", "the record has this address");
	else
		cf_write(r, base, zone_id, rec_id, addr, a);
out:
	curl_free(zone);
	curl_free(name);
}
