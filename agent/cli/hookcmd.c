/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach hook post|ping: the agent's helper for webhooks and the
 * heartbeat, so that libcurl stays out of the agent (as for DNS).
 *
 *   hook post --url URL [--timeout S] [--plain-http]
 *	reads one line, {"secret": S or null, "event": {...}}, and POSTs the
 *	event as JSON, signed when there is a secret (X-Homereach-Signature:
 *	sha256=HEX, an HMAC-SHA256 of the body, as GitHub's webhooks); up to
 *	HOOK_ATTEMPTS attempts, 1 s then 2 s apart. Exit 0 delivered, 1
 *	dropped.
 *   hook ping --url URL [--timeout S]
 *	one GET (the healthchecks.io convention). Exit 0 or 1.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "agent/cli/cli.h"
#include "ddns/http.h"

#define HOOK_ATTEMPTS	3
#define HOOK_LINE	8192

struct hook_opts {
	const char *url;
	long timeout_s;
	bool plain_http;
};

static int
hook_usage(void)
{
	fprintf(stderr, "Usage: homereach hook post --url URL [--timeout S] "
	    "[--plain-http] < {\"secret\":...,\"event\":...}\n"
	    "       homereach hook ping --url URL [--timeout S]\n"
	    "The agent's helper for [hook] url and heartbeat_url.\n");
	return EXIT_USAGE;
}

static int
hook_options(int argc, char *argv[], struct hook_opts *o)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "plain-http", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, ms;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': o->url = optarg; break;
		case 't':
			if (cli_seconds("hook", optarg, &ms) < 0)
				return -1;
			o->timeout_s = ms / 1000 > 0 ? ms / 1000 : 1;
			break;
		case 'p': o->plain_http = true; break;
		default: return -1;
		}
	}
	return o->url != NULL && optind == argc ? 0 : -1;
}

/* "X-Homereach-Signature: sha256=HEX" of body under secret. */
static void
hook_sign(const char *secret, const char *body, char *header, size_t len)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int o = snprintf(header, len, "X-Homereach-Signature: sha256=");

	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)body, strlen(body), mac, &n);
	for (unsigned int i = 0; i < n && (size_t)o + 3 < len; i++)
		o += snprintf(header + o, len - (size_t)o, "%02x", mac[i]);
	OPENSSL_cleanse(mac, sizeof(mac));
}

/* One attempt: 0 when the receiver took it (2xx). */
static int
hook_attempt(const struct hook_opts *o, const char *method, const char *body,
    const char *const *headers, int n)
{
	struct http_request q = { .method = method, .url = o->url, .body = body,
		.ca_file = "", .plain_http = o->plain_http, .headers = headers,
		.timeout_s = o->timeout_s };
	struct http_reply r;
	int rc = http_request(&q, &r);

	if (rc == 0 && r.status >= 200 && r.status < 300)
		printf("attempt %d: %ld\n", n, r.status);
	else if (rc == 0)
		printf("attempt %d: HTTP %ld\n", n, r.status);
	else
		printf("attempt %d: %s\n", n, r.error);
	fflush(stdout);
	rc = rc == 0 && r.status >= 200 && r.status < 300 ? 0 : -1;
	http_reply_free(&r);
	return rc;
}

static int
hook_post(const struct hook_opts *o)
{
	char line[HOOK_LINE], sig[128] = "", kind[80];
	const char *headers[3] = { NULL };
	json_t *in, *event;
	const char *secret;
	char *body;
	int rc = -1;

	if (fgets(line, sizeof(line), stdin) == NULL ||
	    (in = json_loads(line, 0, NULL)) == NULL) {
		fprintf(stderr, "homereach hook: standard input: want one JSON "
		    "line {\"secret\", \"event\"}\n");
		return EXIT_USAGE;
	}
	explicit_bzero(line, sizeof(line));
	event = json_object_get(in, "event");
	secret = json_string_value(json_object_get(in, "secret"));
	body = event ? json_dumps(event, JSON_COMPACT) : NULL;
	if (body != NULL) {
		const char *k = json_string_value(json_object_get(event, "event"));
		snprintf(kind, sizeof(kind), "X-Homereach-Event: %s", k ? k : "");
		headers[0] = kind;
		if (secret != NULL && secret[0]) {
			hook_sign(secret, body, sig, sizeof(sig));
			headers[1] = sig;
		}
		for (int n = 1; n <= HOOK_ATTEMPTS && rc < 0; n++) {
			if (n > 1)
				sleep(1u << (n - 2));	/* 1 s, then 2 s */
			rc = hook_attempt(o, "POST", body, headers, n);
		}
	}
	free(body);
	json_decref(in);	/* the secret's copy goes with it */
	return rc == 0 ? 0 : 1;
}

int
hook_main(int argc, char *argv[])
{
	struct hook_opts o = { .timeout_s = 10 };
	int rc;

	if (argc < 2 || (strcmp(argv[1], "post") && strcmp(argv[1], "ping")) ||
	    hook_options(argc - 1, argv + 1, &o) < 0)
		return hook_usage();
	if (argv[1][1] == 'i')	/* a heartbeat URL may be http:// */
		o.plain_http = !strncmp(o.url, "http://", 7);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = argv[1][1] == 'o' ? hook_post(&o) :
	    hook_attempt(&o, NULL, NULL, NULL, 1) == 0 ? 0 : 1;
	curl_global_cleanup();
	return rc;
}
