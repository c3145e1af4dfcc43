/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cloudflare API v4: find the zone by name, find the record by type and
 * name, then PATCH its content, POST a new record or DELETE it; beside an
 * A record the same for each service's SRV record and a web site's HTTPS
 * record. The token goes as a bearer credential through libcurl, never in
 * a URL or a log.
 */
#include "ddns/cloudflare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
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

/* The id (empty: none) and content of the record of type at name. */
static int
cf_find(const struct ddns_config *r, const char *base, const char *zone_id,
    const char *type, const char *name, char id[64], char *content,
    size_t clen, struct ddns_answer *a)
{
	char url[1024], *ename = curl_escape(name, 0);

	snprintf(url, sizeof(url), "%s/zones/%s/dns_records?type=%s&name=%s",
	    base, zone_id, type, ename ? ename : "");
	curl_free(ename);
	return cf_lookup(r, url, id, 64, content, clen, a);
}

/* Record id (empty: none yet) of type at name: deleted (doc NULL), or
 * its content made doc's (PATCH, or POST where there is none). Takes
 * doc. */
static int
cf_send(const struct ddns_config *r, const char *base, const char *zone_id,
    const char *id, const char *type, const char *name, json_t *doc,
    struct ddns_answer *a)
{
	char url[1024], *body = NULL;
	json_t *root;

	if (doc == NULL && id[0] == '\0')
		return 0;			/* none to delete */
	snprintf(url, sizeof(url), "%s/zones/%s/dns_records%s%s", base, zone_id,
	    id[0] ? "/" : "", id);
	if (doc != NULL) {
		json_object_set_new(doc, "type", json_string(type));
		json_object_set_new(doc, "name", json_string(name));
		json_object_set_new(doc, "ttl", json_integer((json_int_t)r->ttl));
		body = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
	}
	root = cf_call(r, doc == NULL ? "DELETE" : id[0] ? "PATCH" : "POST", url,
	    body, a);
	free(body);
	json_decref(root);
	return root != NULL ? 0 : -1;
}

/* The record of type at name found, then deleted or written. */
static int
cf_put(const struct ddns_config *r, const char *base, const char *zone_id,
    const char *type, const char *name, json_t *doc, struct ddns_answer *a)
{
	char id[64];

	if (cf_find(r, base, zone_id, type, name, id, NULL, 0, a) < 0) {
		json_decref(doc);
		return -1;
	}
	return cf_send(r, base, zone_id, id, type, name, doc, a);
}

/* Beside the A record, each service's SRV record (RFC 2782) and a web
 * site's HTTPS record (RFC 9460), or their deletion. */
static int
cf_srv(const struct ddns_config *r, const char *base, const char *zone_id,
    const struct ddns_target *t, struct ddns_answer *a)
{
	char owner[400], hint[80], ip[ADDR_STRLEN];

	for (int i = 0; i < t->nsrv; i++) {
		const struct ddns_srv *s = &t->srv[i];
		snprintf(owner, sizeof(owner), "_%s._%s.%s", s->service,
		    s->protocol == IPPROTO_UDP ? "udp" : "tcp", r->hostname);
		if (cf_put(r, base, zone_id, "SRV", owner, t->withdraw ||
		    s->port == 0 ? NULL : json_pack("{s:{s:i, s:i, s:i, s:s}}",
		    "data", "priority", 0, "weight", 0, "port", (int)s->port,
		    "target", r->hostname), a) < 0)
			return -1;
	}
	if (t->https_port == 0 && !t->https_gone)
		return 0;
	snprintf(hint, sizeof(hint), "port=\"%u\" ipv4hint=\"%s\"", t->https_port,
	    addr_ntop(&t->addr, ip, sizeof(ip)));
	return cf_put(r, base, zone_id, "HTTPS", r->hostname, t->withdraw ||
	    t->https_port == 0 ? NULL : json_pack("{s:{s:i, s:s, s:s}}", "data",
	    "priority", 1, "target", ".", "value", hint), a);
}

/* The address record: already so (nochg), or written or deleted. */
static int
cf_address(const struct ddns_config *r, const char *base, const char *zone_id,
    const struct ddns_target *t, struct ddns_answer *a)
{
	const char *type = t->addr.family == AF_INET6 ? "AAAA" : "A";
	char id[64], content[64], ip[ADDR_STRLEN];

	addr_ntop(&t->addr, ip, sizeof(ip));
	if (cf_find(r, base, zone_id, type, r->hostname, id, content,
	    sizeof(content), a) < 0)
		return -1;
	if (!t->withdraw && id[0] && strcmp(content, ip) == 0) {
		ddns_answer_set(a, FAULT_CURRENT, "nochg", "the record has this address");
		return 0;
	}
	if (cf_send(r, base, zone_id, id, type, r->hostname, t->withdraw ? NULL :
	    json_pack("{s:s, s:b}", "content", ip, "proxied", 0), a) < 0)
		return -1;
	if (t->withdraw)
		ddns_answer_set(a, FAULT_NONE, "deleted", "record deleted");
	else
		ddns_answer_set(a, FAULT_NONE, id[0] ? "updated" : "created",
		    id[0] ? "record updated" : "record created");
	return 0;
}

void
cloudflare_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	const char *base = r->server[0] ? r->server : CLOUDFLARE_API;
	char url[1024], zone_id[64], *zone = curl_escape(r->zone, 0);
	struct ddns_answer srv;

	snprintf(url, sizeof(url), "%s/zones?name=%s", base, zone ? zone : "");
	curl_free(zone);
	if (cf_lookup(r, url, zone_id, sizeof(zone_id), NULL, 0, a) < 0)
		return;
	if (zone_id[0] == '\0') {
		ddns_answer_set(a, FAULT_CONFIG, "no-zone", "the token sees no such zone");
		return;
	}
	if (cf_address(r, base, zone_id, t, a) < 0 || t->addr.family != AF_INET)
		return;
	if (cf_srv(r, base, zone_id, t, &srv) < 0)
		*a = srv;	/* the address is, its ports are not: again */
}
