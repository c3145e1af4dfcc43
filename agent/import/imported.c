/* SPDX-License-Identifier: BSD-2-Clause */
/* An imported configuration: its records and notes, and homereach.conf
 * written from them. */
#include "agent/import/imported.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "agent/config/config.h"

void
imported_init(struct imported *im, const char *client)
{
	memset(im, 0, sizeof(*im));
	im->client = client;
}

static void __attribute__((format(printf, 5, 0)))
imported_vadd(char *line, size_t len, const char *head, int n,
    const char *fmt, va_list ap)
{
	int o = n > 0 ? snprintf(line, len, "%s%d: ", head, n) : 0;

	vsnprintf(line + o, len - (size_t)o, fmt, ap);
}

/* Each note once: a global option is seen by every host below it. */
void
imported_note(struct imported *im, int line, const char *fmt, ...)
{
	va_list ap;

	if (im->nnotes == IMPORT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	imported_vadd(im->notes[im->nnotes], sizeof(im->notes[0]), "line ",
	    line, fmt, ap);
	va_end(ap);
	for (int i = 0; i < im->nnotes; i++)
		if (strcmp(im->notes[i], im->notes[im->nnotes]) == 0)
			return;
	im->nnotes++;
}

void
imported_error(struct imported *im, int line, const char *fmt, ...)
{
	va_list ap;

	if (im->nerrors == IMPORT_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	imported_vadd(im->errors[im->nerrors++], sizeof(im->errors[0]), "",
	    line, fmt, ap);
	va_end(ap);
}

bool
imported_is_secret_key(const char *key)
{
	static const char *words[] = { "pass", "token", "secret", "key" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(key, words[i]) != NULL)
			return true;
	return false;
}

void
imported_copy(struct imported *im, int line, char *dst, size_t len,
    const char *src, const char *what)
{
	if (strlen(src) >= len)
		imported_error(im, line, "%s is longer than %zu characters", what,
		    len - 1);
	else
		strcpy(dst, src);
}

/* A section name from a host name: its letters and digits, the rest as
 * hyphens ("nas.example.net" -> "nas-example-net"), unique. */
static void
imported_name(const struct imported *im, const char *hostname, char *out,
    size_t len)
{
	char base[48];
	size_t n = 0;
	bool taken;

	for (const char *c = hostname; *c && n + 1 < sizeof(base); c++)
		base[n++] = isalnum((unsigned char)*c) && (unsigned char)*c < 0x80 ?
		    (char)tolower((unsigned char)*c) : '-';
	base[n] = '\0';
	if (n == 0)
		strcpy(base, "record");
	for (int k = 1;; k++) {
		if (k == 1)
			snprintf(out, len, "%s", base);
		else
			snprintf(out, len, "%s-%d", base, k);
		taken = false;
		for (int i = 0; i < im->nrec; i++)
			taken |= strcmp(im->rec[i].name, out) == 0;
		if (!taken)
			return;
	}
}

struct imported_record *
imported_record(struct imported *im, const char *hostname, int line)
{
	struct imported_record *r;

	if (!config_dns_name(hostname)) {
		imported_note(im, line, "host \"%.60s\" -- not a DNS name (letters, "
		    "digits, hyphens, dots); give the whole name", hostname);
		return NULL;
	}
	if (im->nrec == IMPORT_MAX_RECORDS) {
		imported_error(im, line, "more than %d records", IMPORT_MAX_RECORDS);
		return NULL;
	}
	r = &im->rec[im->nrec];
	memset(r, 0, sizeof(*r));
	imported_name(im, hostname, r->name, sizeof(r->name));
	imported_copy(im, line, r->hostname, sizeof(r->hostname), hostname,
	    "a host name");
	r->record = "A";
	r->line = line;
	im->nrec++;
	return r;
}

/* A and AAAA of one name, alike in all else: one record of both. */
static bool
imported_alike(const struct imported_record *a, const struct imported_record *b)
{
	return !strcmp(a->provider, b->provider) &&
	    !strcmp(a->hostname, b->hostname) && !strcmp(a->server, b->server) &&
	    !strcmp(a->username, b->username) && !strcmp(a->zone, b->zone) &&
	    !strcmp(a->secret, b->secret) && !strcmp(a->url, b->url) &&
	    strcmp(a->record, b->record) != 0;
}

void
imported_merge_families(struct imported *im)
{
	for (int i = 0; i < im->nrec; i++)
		for (int j = i + 1; j < im->nrec; j++) {
			if (!imported_alike(&im->rec[i], &im->rec[j]))
				continue;
			im->rec[i].record = "both";
			memmove(&im->rec[j], &im->rec[j + 1], sizeof(im->rec[0]) *
			    (size_t)(im->nrec - j - 1));
			im->nrec--;
			j--;
		}
}

void
imported_echo(struct imported *im, const char *url, int line)
{
	for (int i = 0; i < im->necho; i++)
		if (strcmp(im->echo[i], url) == 0)
			return;
	if (im->necho == IMPORT_MAX_ECHO)
		imported_note(im, line, "address from %s: homereach takes %d "
		    "observers; this one is left out", url, IMPORT_MAX_ECHO);
	else
		imported_copy(im, line, im->echo[im->necho++], sizeof(im->echo[0]),
		    url, "an address URL");
}

int
imported_secret_path(const struct imported_record *r, const char *dir,
    char *out, size_t len)
{
	const char *kind = r->secret_key == NULL ? "secret" :
	    !strcmp(r->secret_key, "tsig_secret") ? "tsig" : r->secret_key;
	int n = snprintf(out, len, "%s/%s.%s", dir, r->name, kind);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
imported_write_record(const struct imported_record *r, const char *dir,
    FILE *out)
{
	char path[1200];

	fprintf(out, "\n# from line %d\n[ddns %s]\nprovider = %s\n", r->line,
	    r->name, r->provider);
#define S(k, v) do { if ((v)[0]) fprintf(out, "%s = %s\n", k, v); } while (0)
	S("server", r->server);
	S("zone", r->zone);
	S("hostname", r->hostname);
	S("username", r->username);
	S("tsig_key", r->tsig_key);
	S("tsig_algorithm", r->tsig_algorithm);
	S("url", r->url);
	S("success", r->success);
	S("ca_file", r->ca_file);
#undef S
	if (r->secret_key != NULL && r->secret[0] &&
	    imported_secret_path(r, dir, path, sizeof(path)) == 0)
		fprintf(out, "%s_file = %s\n", r->secret_key, path);
	if (strcmp(r->record, "A") != 0)
		fprintf(out, "record = %s\n", r->record);
	if (r->ttl)
		fprintf(out, "ttl = %d\n", r->ttl);
	if (r->refresh_days)
		fprintf(out, "refresh_days = %d\n", r->refresh_days);
	if (r->plain_http)
		fprintf(out, "plain_http = yes\n");
}

void
imported_write(const struct imported *im, const char *source,
    const char *secret_dir, FILE *out)
{
	fprintf(out, "# homereach.conf, imported from %s's %s by `homereach "
	    "import %s`.\n# Each secret is in a file of its own (mode 0600) "
	    "named below, written by --write.\n", im->client, source,
	    im->client);
	fprintf(out, "\n[agent]\n");
	if (im->interval)
		fprintf(out, "interval = %d\n", im->interval);
	if (im->syslog)
		fprintf(out, "log = syslog\n");
	fprintf(out, "\n[probes]\n");
	if (im->necho == 0)
		fprintf(out, "# No observer was named: homereach asks public STUN "
		    "servers and HTTP echoes,\n# and the router itself.\n");
	for (int i = 0; i < im->necho; i++)
		fprintf(out, "http_echo = %s\n", im->echo[i]);
	for (int i = 0; i < im->nrec; i++)
		imported_write_record(&im->rec[i], secret_dir, out);
	if (im->nnotes > 0)
		fprintf(out, "\n# Not imported (no equivalent in homereach):\n");
	for (int i = 0; i < im->nnotes; i++)
		fprintf(out, "# %s\n", im->notes[i]);
}
