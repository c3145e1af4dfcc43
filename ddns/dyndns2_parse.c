/* dyndns2 replies: the first token decides, read exactly; an HTML page
 * that contains "good" is not "good". Pure. */
#include "ddns/provider.h"

#include <stdio.h>
#include <string.h>

#define DYNDNS2_MAX_BODY	4096

static const struct {
	const char *code;
	enum ddns_outcome outcome;
	const char *meaning;
} dyndns2_codes[] = {		/* tests/vectors/dyndns2-codes.md */
	{ "good", DDNS_OK, "updated" },
	{ "nochg", DDNS_NOCHG, "already current" },
	{ "badauth", DDNS_STOP, "bad credentials" },
	{ "!donator", DDNS_STOP, "a paid feature was asked for" },
	{ "notfqdn", DDNS_STOP, "not a fully qualified host name" },
	{ "nohost", DDNS_STOP, "no such host in the account" },
	{ "!yours", DDNS_STOP, "the host belongs to another account" },
	{ "numhost", DDNS_STOP, "too many hosts, or a round-robin host" },
	{ "abuse", DDNS_STOP, "blocked for abuse: unblock it at the provider" },
	{ "badagent", DDNS_STOP, "user agent or method refused" },
	{ "badsys", DDNS_STOP, "bad system parameter" },
	{ "dnserr", DDNS_RETRY, "the provider's DNS failed" },
	{ "911", DDNS_RETRY_LONG, "the provider has an outage" },
};

/* Without a known code: the HTTP status is all there is. */
static void
dyndns2_unknown(struct ddns_answer *a, long status, const char *why)
{
	char result[16];

	snprintf(result, sizeof(result), "HTTP-%ld", status);
	if (status == 401 || status == 403)
		ddns_answer_set(a, DDNS_STOP, result, "refused: check the credentials");
	else
		ddns_answer_set(a, DDNS_RETRY, result, why);
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
		if (dyndns2_codes[i].outcome <= DDNS_NOCHG &&
		    (status < 200 || status > 299)) {
			dyndns2_unknown(a, status, "an HTTP error status with "
			    "a success word in the body");
			return;
		}
		if (dyndns2_codes[i].outcome <= DDNS_NOCHG &&
		    (extra[0] || (ip[0] && addr_parse(ip, &addr) < 0))) {
			dyndns2_unknown(a, status, "\"good\" or \"nochg\" without "
			    "a plain address after it");
			return;
		}
		ddns_answer_set(a, dyndns2_codes[i].outcome, code,
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
