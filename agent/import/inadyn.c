/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inadyn.conf (2.x, libConfuse's syntax) read into the options inadyn
 * knows: `key = value` at the top (period, allow-ipv6, ...), and
 * `provider NAME { ... }` / `custom NAME { ... }` sections whose keys are
 * username, password, hostname (one or a { "list" }), ssl, checkip-*,
 * ddns-server, ddns-path ... inadyn_map.c turns each section into records.
 */
#include "agent/import/inadyn.h"

#include <stdlib.h>
#include <string.h>

#include "agent/import/lexer.h"

struct in_parser {
	struct lexer lx;
	struct lex_token t;
	struct imported *im;
	struct in_globals g;
	struct in_section secs[IN_MAX_SECTIONS];
	int nsecs;
};

static int
in_fail(struct in_parser *p, const char *what)
{
	if (p->t.kind == LEX_ERROR)
		imported_error(p->im, p->t.line, "%s", p->t.text);
	else
		imported_error(p->im, p->t.line, "%s, not \"%.40s\"", what,
		    p->t.kind == LEX_END ? "the end" : p->t.text);
	return -1;
}

static enum lex_kind
in_next(struct in_parser *p)
{
	return lexer_next(&p->lx, &p->t);
}

/* A value: a word, a string, or { v, v, ... } (joined by ", "; each
 * host of a hostname list kept apart). */
static int
in_value(struct in_parser *p, struct in_opt *o, struct in_section *s)
{
	bool hosts = s != NULL && strcmp(o->key, "hostname") == 0;

	if (in_next(p) == LEX_WORD || p->t.kind == LEX_STRING) {
		snprintf(o->value, sizeof(o->value), "%s", p->t.text);
		if (hosts)
			in_section_host(p->im, s, p->t.text);
		return 0;
	}
	if (!lex_is(&p->t, '{'))
		return in_fail(p, "want a value");
	for (;;) {
		if (in_next(p) != LEX_WORD && p->t.kind != LEX_STRING)
			return in_fail(p, "want a value in the list");
		if (hosts)
			in_section_host(p->im, s, p->t.text);
		snprintf(o->value + strlen(o->value), sizeof(o->value) -
		    strlen(o->value), "%s%s", o->value[0] ? ", " : "", p->t.text);
		if (in_next(p) == LEX_MARK && lex_is(&p->t, '}'))
			return 0;
		if (!lex_is(&p->t, ','))
			return in_fail(p, "want , or } in the list");
	}
}

/* key = value, the key's word already read. */
static int
in_option(struct in_parser *p, struct in_section *s, struct in_opt *o)
{
	memset(o, 0, sizeof(*o));
	o->line = p->t.line;
	snprintf(o->key, sizeof(o->key), "%s", p->t.text);
	if (in_next(p) != LEX_MARK || !lex_is(&p->t, '='))
		return in_fail(p, "want =");
	return in_value(p, o, s);
}

/* provider|custom TITLE { key = value ... } */
static int
in_section(struct in_parser *p, const char *kind)
{
	struct in_section *s = &p->secs[p->nsecs];

	if (p->nsecs == IN_MAX_SECTIONS)
		return in_fail(p, "more than " IN_MAX_SECTIONS_TEXT " sections");
	p->nsecs++;
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	s->line = p->t.line;
	if (in_next(p) != LEX_WORD && p->t.kind != LEX_STRING)
		return in_fail(p, "want the section's name");
	snprintf(s->title, sizeof(s->title), "%s", p->t.text);
	if (in_next(p) != LEX_MARK || !lex_is(&p->t, '{'))
		return in_fail(p, "want {");
	while (in_next(p) == LEX_WORD) {
		if (s->nopts == IN_MAX_OPTS)
			return in_fail(p, "too many options in a section");
		if (in_option(p, s, &s->opts[s->nopts++]) < 0)
			return -1;
	}
	if (!lex_is(&p->t, '}'))
		return in_fail(p, "want an option or }");
	return 0;
}

/* include("file") and the like: noted, skipped. */
static int
in_call(struct in_parser *p, const char *name)
{
	int line = p->t.line;

	while (in_next(p) != LEX_END && p->t.kind != LEX_ERROR &&
	    !lex_is(&p->t, ')'))
		;
	if (!lex_is(&p->t, ')'))
		return in_fail(p, "want )");
	imported_note(p->im, line, "%s(...) -- the files it names are not read",
	    name);
	return 0;
}

static int
in_top(struct in_parser *p)
{
	char word[64];
	struct in_opt o;

	snprintf(word, sizeof(word), "%s", p->t.text);
	if (!strcmp(word, "provider") || !strcmp(word, "custom"))
		return in_section(p, word);
	if (in_next(p) == LEX_MARK && lex_is(&p->t, '('))
		return in_call(p, word);
	if (!lex_is(&p->t, '='))
		return in_fail(p, "want = or a section");
	memset(&o, 0, sizeof(o));
	o.line = p->t.line;
	snprintf(o.key, sizeof(o.key), "%s", word);
	if (in_value(p, &o, NULL) < 0)
		return -1;
	in_map_global(p->im, &p->g, &o);
	return 0;
}

void
import_inadyn(const char *text, size_t len, struct imported *im)
{
	struct in_parser *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		imported_error(im, 0, "out of memory");
		return;
	}
	p->im = im;
	lexer_init(&p->lx, text, len);
	while (in_next(p) == LEX_WORD)
		if (in_top(p) < 0)
			break;
	if (p->t.kind != LEX_END && im->nerrors == 0)
		in_fail(p, "want an option or a section");
	/* Sections last: a global may come after them. */
	for (int i = 0; i < p->nsecs && im->nerrors == 0; i++)
		in_map_section(im, &p->g, &p->secs[i]);
	in_map_done(im, &p->g);
	free(p);
}
