/* SPDX-License-Identifier: BSD-2-Clause */
/* Cloudflare replies, custom URL templates and replies; the providers'
 * table and the one place that sorts transient from fatal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ddns/cloudflare.h"
#include "ddns/custom.h"

static const struct {
	const char *body;
	long status;
	bool root;			/* a success */
	enum ddns_outcome outcome;	/* when not */
	const char *result;
} cf_cases[] = {
	{ "{\"success\":true,\"errors\":[],\"result\":[{\"id\":\"023e105f4ecef8ad9ca31a8372d0c353\"}]}", 200, true, 0, "" },
	{ "{\"success\":false,\"errors\":[{\"code\":9109,\"message\":\"Invalid access token\"}]}", 403, false, DDNS_STOP, "cf-9109" },
	{ "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}", 401, false, DDNS_STOP, "cf-10000" },
	{ "{\"success\":false,\"errors\":[{\"code\":971,\"message\":\"Please wait\"}]}", 429, false, DDNS_RETRY, "cf-971" },
	{ "{\"success\":false,\"errors\":[]}", 500, false, DDNS_RETRY, "HTTP-500" },
	/* The status first: "success": true on an error status is not. */
	{ "{\"success\":true,\"errors\":[],\"result\":[]}", 500, false, DDNS_RETRY, "HTTP-500" },
	{ "{\"success\":true,\"errors\":[],\"result\":[]}", 404, false, DDNS_STOP, "HTTP-404" },
	{ "<html>502 Bad Gateway</html>", 502, false, DDNS_RETRY, "HTTP-502" },
	{ "<html>Forbidden</html>", 403, false, DDNS_STOP, "HTTP-403" },
	{ "{\"success\":\"true\"}", 200, false, DDNS_STOP, "HTTP-200" },
	{ "{\"success\":true,\"success\":false}", 200, false, DDNS_RETRY, "HTTP-200" },
	{ "", 200, false, DDNS_RETRY, "HTTP-200" },
};

static void
test_cloudflare_replies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cf_cases) / sizeof(cf_cases[0]); i++) {
		struct ddns_answer a = { 0 };
		json_t *root = cloudflare_reply(cf_cases[i].body,
		    strlen(cf_cases[i].body), cf_cases[i].status, &a);
		if ((root != NULL) != cf_cases[i].root)
			fail_msg("case %zu: success %d", i, root != NULL);
		if (!root && (a.outcome != cf_cases[i].outcome ||
		    strcmp(a.result, cf_cases[i].result)))
			fail_msg("case %zu: %d %s, want %d %s", i, a.outcome, a.result,
			    cf_cases[i].outcome, cf_cases[i].result);
		json_decref(root);
	}
}

static void
test_cloudflare_first(void **state)
{
	char id[64], content[64];
	struct ddns_answer a;
	json_t *root;
	static const char two[] = "{\"success\":true,\"result\":[{\"id\":\"abc123\","
	    "\"content\":\"5.0.1.2\"},{\"id\":\"def\"}]}";
	static const char none[] = "{\"success\":true,\"result\":[]}";
	static const char evil[] = "{\"success\":true,\"result\":[{\"id\":\"../../x\"}]}";

	(void)state;
	root = cloudflare_reply(two, strlen(two), 200, &a);
	assert_int_equal(cloudflare_first(root, id, sizeof(id), content,
	    sizeof(content), &a), 0);
	assert_string_equal(id, "abc123");
	assert_string_equal(content, "5.0.1.2");
	json_decref(root);
	root = cloudflare_reply(none, strlen(none), 200, &a);
	assert_int_equal(cloudflare_first(root, id, sizeof(id), NULL, 0, &a), 0);
	assert_string_equal(id, "");
	json_decref(root);
	/* An id goes into a URL: only hex digits. */
	root = cloudflare_reply(evil, strlen(evil), 200, &a);
	assert_int_equal(cloudflare_first(root, id, sizeof(id), NULL, 0, &a), -1);
	json_decref(root);
}

static void
test_custom_expand(void **state)
{
	struct ddns_config r = { 0 };
	struct netaddr addr;
	char url[256], why[REASON_LEN];

	(void)state;
	strcpy(r.hostname, "nas");
	strcpy(r.token.value, "t0k&en=1");
	addr_parse("5.0.1.2", &addr);
	assert_int_equal(custom_expand(DUCKDNS_URL, &r, &addr, url, sizeof(url),
	    why, sizeof(why)), 0);
	assert_string_equal(url, "https://www.duckdns.org/update?domains=nas&"
	    "token=t0k%26en%3D1&ip=5.0.1.2");
	assert_int_equal(custom_expand("https://x/{nope}", &r, &addr, url,
	    sizeof(url), why, sizeof(why)), -EBADMSG);
	assert_string_equal(why, "unknown placeholder {nope}");
	assert_int_equal(custom_expand("https://x/{ip}{ip}{ip}", &r, &addr, url,
	    20, why, sizeof(why)), -EBADMSG);
	assert_int_equal(custom_expand("https://x/{unclosed", &r, &addr, url,
	    sizeof(url), why, sizeof(why)), 0);	/* a plain brace */
}

static void
test_custom_judge(void **state)
{
	struct ddns_answer a;

	(void)state;
	custom_judge("OK", 2, 200, "OK", &a);
	assert_int_equal(a.outcome, DDNS_OK);
	custom_judge("KO", 2, 200, "OK", &a);
	assert_int_equal(a.outcome, DDNS_STOP);
	custom_judge("OK\nmore", 7, 200, "OK", &a);
	assert_int_equal(a.outcome, DDNS_OK);
	custom_judge("good 5.0.1.2", 12, 200, "good *", &a);
	assert_int_equal(a.outcome, DDNS_OK);
	custom_judge("OK", 2, 503, "OK", &a);
	assert_int_equal(a.outcome, DDNS_RETRY);
	custom_judge("OKAY", 2, 200, "OK", &a);	/* only len bytes count */
	assert_int_equal(a.outcome, DDNS_OK);
	custom_judge("", 0, 401, "OK", &a);
	assert_int_equal(a.outcome, DDNS_STOP);
	assert_string_equal(a.result, "HTTP-401");
}

static void
test_table(void **state)
{
	const struct provider *p;

	(void)state;
	assert_non_null(p = provider_named("noip"));
	assert_int_equal(p->kind, PROV_DYNDNS2);
	assert_string_equal(p->server, "https://dynupdate.no-ip.com");
	assert_true(p->batches);
	assert_non_null(p = provider_named("rfc2136"));
	assert_int_equal(p->dns_check, CHECK_ALWAYS);
	assert_int_equal(p->needs, NEEDS_SERVER | NEEDS_ZONE | NEEDS_TSIG);
	assert_non_null(p = provider_named("redirect"));
	assert_true(p->https_only);
	assert_int_equal(p->dns_check, CHECK_NEVER);
	assert_null(provider_named("Dyndns2"));
	assert_null(provider_named(""));
	assert_string_equal(provider_of(PROV_DYNDNS2)->name, "dyndns2");
	assert_null(provider_of(PROV_NONE));
	assert_non_null(strstr(provider_names(), "rfc2136, cloudflare"));
}

static void
test_faults(void **state)
{
	static const struct { enum ddns_fault f; enum ddns_outcome o; } t[] = {
		{ FAULT_NONE, DDNS_OK }, { FAULT_CURRENT, DDNS_NOCHG },
		{ FAULT_NETWORK, DDNS_RETRY }, { FAULT_SERVER, DDNS_RETRY },
		{ FAULT_BUSY, DDNS_RETRY }, { FAULT_CLOCK, DDNS_RETRY },
		{ FAULT_OUTAGE, DDNS_RETRY_LONG }, { FAULT_AUTH, DDNS_STOP },
		{ FAULT_CONFIG, DDNS_STOP }, { FAULT_REFUSED, DDNS_STOP },
		{ FAULT_UNSIGNED_REFUSAL, DDNS_RETRY_FEW },
		{ (enum ddns_fault)99, DDNS_RETRY },
	};
	struct ddns_answer a;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ddns_answer_set(&a, t[i].f, "x", "y");
		assert_int_equal(a.outcome, t[i].o);
	}
	assert_int_equal(ddns_http_fault(401, FAULT_CONFIG), FAULT_AUTH);
	assert_int_equal(ddns_http_fault(403, FAULT_CONFIG), FAULT_AUTH);
	assert_int_equal(ddns_http_fault(429, FAULT_CONFIG), FAULT_BUSY);
	assert_int_equal(ddns_http_fault(503, FAULT_CONFIG), FAULT_SERVER);
	assert_int_equal(ddns_http_fault(404, FAULT_CONFIG), FAULT_CONFIG);
	assert_int_equal(ddns_http_fault(200, FAULT_SERVER), FAULT_SERVER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloudflare_replies),
		cmocka_unit_test(test_cloudflare_first),
		cmocka_unit_test(test_custom_expand),
		cmocka_unit_test(test_custom_judge),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
