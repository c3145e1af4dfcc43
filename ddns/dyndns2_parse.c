/* SPDX-License-Identifier: BSD-2-Clause */
/* dyndns2 replies: the first token decides, read exactly; an HTML page
 * that contains "good" is not "good". Pure. */
#include "ddns/provider.h"

#include <stdio.h>
#include <string.h>

#define DYNDNS2_MAX_BODY	4096

static const struct {
	const char *code;
	enum ddns_fault fault;
	const char *meaning;
} dyndns2_codes[] = {		/* tests/vectors/dyndns2-codes.md */
	{ "good", FAULT_NONE, "updated" },
	{ "nochg", FAULT_CURRENT, "already current" },
	{ "badauth", FAULT_AUTH, "bad credentials" },
	{ "!donator", FAULT_REFUSED, "a paid feature was asked for" },
	{ "notfqdn", FAULT_CONFIG, "not a fully qualified host name" },
	{ "nohost", FAULT_CONFIG, "no such host in the account" },
	{ "!yours", FAULT_CONFIG, "the host belongs to another account" },
	{ "numhost", FAULT_CONFIG, "too many hosts, or a round-robin host" },
	{ "abuse", FAULT_REFUSED, "blocked for abuse: unblock it at the provider" },
	{ "badagent", FAULT_REFUSED, "user agent or method refused" },
	{ "badsys", FAULT_CONFIG, "bad system parameter" },
	{ "dnserr", FAULT_SERVER, "the provider's DNS failed" },
	{ "911", FAULT_OUTAGE, "the provider has an outage" },
};

/* Without a known code: the HTTP status is all there is. */
static void
dyndns2_unknown(struct ddns_answer *a, long status, const char *why)
{
	char result[16];

	snprintf(result, sizeof(result), "HTTP-%ld", status);
	if (ddns_http_fault(status, FAULT_SERVER) == FAULT_AUTH)
		why = "refused: check the credentials";
	ddns_answer_set(a, ddns_http_fault(status, FAULT_SERVER), result, why);
}

static void
dyndns2_line(const char *line, long status, struct ddns_answer *a)
{
	char code[16], ip[64] = "", extra[2] = "";
	int n = sscanf(line, "%15s %63s %1s", code, ip, extra);
	struct netaddr addr;

	for (size_t i = 0; n >= 1 && i < sizeof(dyndns2_codes) / sizeof(dyndns2_codes[0]); i++) {
		if (strcmp(code, dyndns2_codes[i].code) != 0)
			continue;
		/* The status first: "good" on an error page is no success. */
		if (dyndns2_codes[i].fault <= FAULT_CURRENT &&
		    (status < 200 || status > 299)) {
			dyndns2_unknown(a, status, "an HTTP error status with "
			    "a success word in the body");
			return;
		}
		if (dyndns2_codes[i].fault <= FAULT_CURRENT &&
		    (extra[0] || (ip[0] && addr_parse(ip, &addr) < 0))) {
			dyndns2_unknown(a, status, "\"good\" or \"nochg\" without "
			    "a plain address after it");
			return;
		}
		ddns_answer_set(a, dyndns2_codes[i].fault, code,
		    dyndns2_codes[i].meaning);
		return;
	}
	dyndns2_unknown(a, status, "the reply is not a dyndns2 answer");
}

void
dyndns2_parse_hosts(const char *body, size_t len, long status, int nhosts,
    struct ddns_answer *a)
{
	char text[DYNDNS2_MAX_BODY + 1], *line, *save = NULL;
	char *lines[DYNDNS2_MAX_HOSTS];
	int n = 0;

	if (len > DYNDNS2_MAX_BODY || memchr(body, '\0', len) != NULL) {
		for (int i = 0; i < nhosts; i++)
			dyndns2_unknown(&a[i], status, "the reply is too long or not text");
		return;
	}
	memcpy(text, body, len);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (*line != '\0' && n++ < DYNDNS2_MAX_HOSTS)
			lines[n - 1] = line;
	}
	for (int i = 0; i < nhosts; i++) {
		char why[64];
		if (n == nhosts) {
			dyndns2_line(lines[i], status, &a[i]);
			continue;
		}
		snprintf(why, sizeof(why), "%d reply lines for %d host name%s", n,
		    nhosts, nhosts == 1 ? "" : "s");
		dyndns2_unknown(&a[i], status, why);
	}
}

void
dyndns2_parse(const char *body, size_t len, long status, struct ddns_answer *a)
{
	dyndns2_parse_hosts(body, len, status, 1, a);
}
