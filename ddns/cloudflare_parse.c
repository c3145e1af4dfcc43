/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cloudflare API v4 replies (pure): every reply is {"success": bool,
 * "errors": [{"code": N, "message": "..."}], "result": ...}. What a failed
 * reply means: an unusable token or a refused record stops the record; a
 * rate limit or a server error backs off.
 */
#include "ddns/cloudflare.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#define CF_MAX_BODY	(256 * 1024)

/* A reply that is not a success: what now? */
static void
cf_failure(json_t *root, long status, struct ddns_answer *a)
{
	json_t *err = json_array_get(json_object_get(root, "errors"), 0);
	json_int_t code = json_integer_value(json_object_get(err, "code"));
	char result[32], detail[REASON_LEN];
	const char *msg = json_string_value(json_object_get(err, "message"));

	if (code)
		snprintf(result, sizeof(result), "cf-%lld", (long long)code);
	else
		snprintf(result, sizeof(result), "HTTP-%ld", status);
	snprintf(detail, sizeof(detail), "Cloudflare: %.120s", msg ? msg :
	    "no error message");
	/* 401/403: the token is wrong or lacks the DNS edit permission;
	 * any other refusal is the API's no for this account. */
	ddns_answer_set(a, ddns_http_fault(status, FAULT_REFUSED), result,
	    detail);
}

json_t *
cloudflare_reply(const char *body, size_t len, long status,
    struct ddns_answer *a)
{
	json_error_t e;
	json_t *root;

	if (len > CF_MAX_BODY) {
		ddns_answer_set(a, FAULT_SERVER, "too-long", "the reply is too long");
		return NULL;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(root)) {
		char result[16];
		snprintf(result, sizeof(result), "HTTP-%ld", status);
		ddns_answer_set(a, ddns_http_fault(status, FAULT_SERVER), result,
		    "the reply is not Cloudflare's JSON");
		json_decref(root);
		return NULL;
	}
	/* The status first: "success": true on an error status is not. */
	if (status < 200 || status > 299 ||
	    !json_is_true(json_object_get(root, "success"))) {
		cf_failure(root, status, a);
		json_decref(root);
		return NULL;
	}
	return root;
}

/* The first result's "id" (zones, dns_records), and its "content". */
int
cloudflare_first(json_t *root, char *id, size_t idlen, char *content,
    size_t clen, struct ddns_answer *a)
{
	json_t *res = json_object_get(root, "result"), *first;
	const char *i, *c;

	first = json_is_array(res) ? json_array_get(res, 0) : res;
	if (first == NULL) {
		id[0] = '\0';
		return 0;	/* none: not an error */
	}
	i = json_string_value(json_object_get(first, "id"));
	c = json_string_value(json_object_get(first, "content"));
	if (i == NULL || strlen(i) >= idlen || strspn(i,
	    "0123456789abcdefABCDEF") != strlen(i)) {
		ddns_answer_set(a, FAULT_SERVER, "bad-reply", "Cloudflare sent no usable id");
		return -1;
	}
	snprintf(id, idlen, "%s", i);
	if (content)
		snprintf(content, clen, "%s", c ? c : "");
	return 0;
}
