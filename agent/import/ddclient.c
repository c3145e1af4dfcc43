/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ddclient.conf (3.x) read as ddclient reads it (its _read_config and
 * parse_assignment): `opt=value, ... [host[,host...] [login [password]]]`,
 * a trailing backslash continues a line, # starts a comment (except
 * inside a password), values may be quoted or escaped. A line without
 * hosts sets globals for the lines below; a line with hosts gives each of
 * them the globals so far and its own options.
 */
#include "agent/import/ddclient.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct dd_line {
	struct dd_opt opts[DD_MAX_OPTS];
	int nopts;
	char args[3][1024];		/* hosts, login, password */
	int nargs;
	bool comma;			/* a comma since the last bare word */
	bool last_bare;
	int line;
};

struct dd_parser {
	struct imported *im;
	struct dd_opt globals[DD_MAX_OPTS];
	int nglobals;
	struct dd_line cur;
	bool open;			/* cur has tokens */
};

static void
dd_set(struct imported *im, struct dd_opt *opts, int *n, const struct dd_opt *o)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(opts[i].key, o->key) == 0) {
			opts[i] = *o;
			return;
		}
	if (*n == DD_MAX_OPTS) {
		imported_error(im, o->line, "more than %d options", DD_MAX_OPTS);
		return;
	}
	opts[(*n)++] = *o;
}

/* A value's end: ddclient's parse_assignment (quotes and backslashes);
 * a password's value is raw up to white space, or '...' (its special
 * case, so a # in a password is no comment). */
static const char *
dd_value(const char *s, const char *end, bool password, char *out,
    size_t len, bool *bad)
{
	size_t n = 0;
	char quote = 0;
	bool escape = false;

	if (password) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && *s == '\'' && memchr(s + 1, '\'', (size_t)(end - s - 1))) {
			const char *q = memchr(s + 1, '\'', (size_t)(end - s - 1));
			*bad = (size_t)(q - s - 1) >= len;
			if (!*bad)
				memcpy(out, s + 1, (size_t)(q - s - 1)), n = (size_t)(q - s - 1);
			out[*bad ? 0 : n] = '\0';
			return q + 1;
		}
		for (; s < end && !isspace((unsigned char)*s); s++)
			if (n + 1 < len)
				out[n++] = *s;
			else
				*bad = true;
		out[n] = '\0';
		return s;
	}
	for (; s < end; s++) {
		char c = *s;
		if (escape)
			escape = false;
		else if (c == '\\') {
			escape = true;
			continue;
		} else if (quote && c == quote) {
			quote = 0;
			continue;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		} else if (!quote && (isspace((unsigned char)c) || c == ',' ||
		    c == '#'))
			break;
		if (n + 1 < len)
			out[n++] = c;
		else
			*bad = true;
	}
	out[n] = '\0';
	return s;
}

/* name=value at s (white space around '=' allowed): the end, or NULL. */
static const char *
dd_assignment(struct dd_parser *p, const char *s, const char *end, int line)
{
	const char *k = s, *e;
	struct dd_opt o = { .line = line };
	bool bad = false;

	if (!isalpha((unsigned char)*s))
		return NULL;
	while (s < end && (isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
		s++;
	e = s;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s != '=' || (size_t)(e - k) >= sizeof(o.key))
		return NULL;
	memcpy(o.key, k, (size_t)(e - k));
	for (char *c = o.key; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	s = dd_value(s + 1, end, strstr(o.key, "password") != NULL, o.value,
	    sizeof(o.value), &bad);
	if (bad)
		imported_error(p->im, line, "the value of %s is longer than %zu "
		    "characters", o.key, sizeof(o.value) - 1);
	else if (strcmp(o.key, "host") == 0 && p->cur.nargs == 0)
		snprintf(p->cur.args[p->cur.nargs++], sizeof(p->cur.args[0]), "%s",
		    o.value);
	else if (strcmp(o.key, "host") == 0)
		strncat(p->cur.args[0], ",", sizeof(p->cur.args[0]) -
		    strlen(p->cur.args[0]) - 1), strncat(p->cur.args[0], o.value,
		    sizeof(p->cur.args[0]) - strlen(p->cur.args[0]) - 1);
	else
		dd_set(p->im, p->cur.opts, &p->cur.nopts, &o);
	p->cur.last_bare = false;
	return s;
}

/* A bare word: a host (joined to the one before by a comma), a login or
 * a password, in that order. */
static const char *
dd_word(struct dd_parser *p, const char *s, const char *end, int line)
{
	struct dd_line *l = &p->cur;
	const char *w = s;
	size_t n;

	while (s < end && !isspace((unsigned char)*s) && *s != ',' && *s != '#')
		s++;
	n = (size_t)(s - w);
	if (l->last_bare && l->comma && l->nargs > 0) {
		char *a = l->args[l->nargs - 1];
		if (strlen(a) + 1 + n < sizeof(l->args[0]))
			strcat(a, ","), strncat(a, w, n);
	} else if (l->nargs == 3 || n >= sizeof(l->args[0]))
		imported_error(p->im, line, "\"%.*s\": more than hosts, login and "
		    "password, or too long", (int)(n > 40 ? 40 : n), w);
	else {
		memcpy(l->args[l->nargs], w, n);
		l->args[l->nargs++][n] = '\0';
	}
	l->last_bare = true;
	l->comma = false;
	return s;
}

/* One physical line's tokens into p->cur; true when it continues. */
static bool
dd_tokens(struct dd_parser *p, const char *s, const char *end, int line)
{
	const char *t;

	if (!p->open) {
		memset(&p->cur, 0, sizeof(p->cur));
		p->cur.line = line;
		p->open = true;
	}
	while (s < end) {
		if (isspace((unsigned char)*s)) {
			s++;
		} else if (*s == ',') {
			p->cur.comma = true;
			s++;
		} else if (*s == '#') {
			return false;
		} else if (*s == '\\') {
			for (t = s + 1; t < end && isspace((unsigned char)*t); t++)
				;
			if (t == end || *t == '#')
				return true;
			s = dd_word(p, s, end, line);
		} else if ((t = dd_assignment(p, s, end, line)) != NULL) {
			s = t;
		} else
			s = dd_word(p, s, end, line);
	}
	return false;
}

/* An option with no equivalent, its value hidden if secret. */
static void
dd_unknown(struct imported *im, const struct dd_opt *o)
{
	imported_note(im, o->line, "%s=%s", o->key,
	    imported_is_secret_key(o->key) ? "(secret)" : o->value);
}

/* What homereach does itself, or reads elsewhere: no key of its own. */
static const char *const dd_known[] = {
	"protocol", "server", "login", "password", "zone", "ttl", "ssl",
	"ssl_ca_file", "use", "usev4", "usev6", "web", "webv4", "webv6", "if",
	"ifv4", "ifv6", "ipv6", "daemon", "syslog", "script", "web-skip",
	"webv4-skip", "webv6-skip", "fw", "fwv4", "fwv6", "cmd", "cmdv4",
	"cmdv6", "ip", "ipv4", "fw-login", "fw-password", "fw-skip",
};

static bool
dd_is_known(const char *key)
{
	for (size_t i = 0; i < sizeof(dd_known) / sizeof(dd_known[0]); i++)
		if (strcmp(dd_known[i], key) == 0)
			return true;
	return false;
}

static void
dd_line_done(struct dd_parser *p)
{
	struct dd_line *l = &p->cur;
	struct dd_opt eff[DD_MAX_OPTS];
	int neff = p->nglobals;
	char *save, *h;

	p->open = false;
	for (int i = 0; i < l->nopts; i++)
		if (!dd_is_known(l->opts[i].key))
			dd_unknown(p->im, &l->opts[i]);
	if (l->nargs == 0) {
		for (int i = 0; i < l->nopts; i++)
			dd_set(p->im, p->globals, &p->nglobals, &l->opts[i]);
		dd_agent(p->im, l->opts, l->nopts);
		return;
	}
	memcpy(eff, p->globals, sizeof(eff[0]) * (size_t)neff);
	for (int i = 0; i < l->nopts; i++)
		dd_set(p->im, eff, &neff, &l->opts[i]);
	for (int i = 1; i < l->nargs; i++) {
		struct dd_opt o = { .line = l->line };
		strcpy(o.key, i == 1 ? "login" : "password");
		snprintf(o.value, sizeof(o.value), "%s", l->args[i]);
		dd_set(p->im, eff, &neff, &o);
	}
	for (h = strtok_r(l->args[0], ",", &save); h != NULL;
	    h = strtok_r(NULL, ",", &save))
		dd_host(p->im, h, l->line, eff, neff);
}

void
import_ddclient(const char *text, size_t len, struct imported *im)
{
	struct dd_parser *p = calloc(1, sizeof(*p));
	const char *s = text, *end = text + len, *nl;
	int line = 0;

	if (p == NULL) {
		imported_error(im, 0, "out of memory");
		return;
	}
	p->im = im;
	for (; s < end; s = nl + 1) {
		const char *e;
		line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		e = nl;
		while (e > s && e[-1] == '\r')
			e--;
		if (!dd_tokens(p, s, e, line))
			dd_line_done(p);
		if (nl == end)
			break;
	}
	if (p->open) {
		imported_note(im, line, "the file ends in a continued line");
		dd_line_done(p);
	}
	free(p);
}
