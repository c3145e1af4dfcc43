/* SPDX-License-Identifier: BSD-2-Clause */
/* libConfuse's words, for reading inadyn.conf and BIND key files. */
#include "agent/import/lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
lexer_init(struct lexer *lx, const char *text, size_t len)
{
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
}

int
lex_is(const struct lex_token *t, char c)
{
	return t->kind == LEX_MARK && t->text[0] == c;
}

/* White space and comments; -1 for a comment that never ends. */
static int
lexer_skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		const char *p = lx->p;
		if (*p == '\n')
			lx->line++;
		if (isspace((unsigned char)*p)) {
			lx->p++;
		} else if (*p == '#' || (*p == '/' && p + 1 < lx->end &&
		    p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (*p == '/' && p + 1 < lx->end && p[1] == '*') {
			int line = lx->line;
			for (lx->p += 2; lx->p + 1 < lx->end &&
			    !(lx->p[0] == '*' && lx->p[1] == '/'); lx->p++)
				lx->line += *lx->p == '\n';
			if (lx->p + 1 >= lx->end) {
				lx->line = line;	/* where it opened */
				return -1;
			}
			lx->p += 2;
		} else
			return 0;
	}
	return 0;
}

static enum lex_kind
lexer_fail(struct lex_token *t, const char *why)
{
	snprintf(t->text, sizeof(t->text), "%s", why);
	return t->kind = LEX_ERROR;
}

/* "..." with \" \\ \n \t escapes, or '...' as it is. */
static enum lex_kind
lexer_string(struct lexer *lx, struct lex_token *t)
{
	char quote = *lx->p++;
	size_t n = 0;

	while (lx->p < lx->end && *lx->p != quote) {
		char c = *lx->p++;
		if (c == '\n')
			lx->line++;
		if (c == '\\' && quote == '"' && lx->p < lx->end) {
			c = *lx->p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (n + 1 >= sizeof(t->text))
			return lexer_fail(t, "a string longer than 511 characters");
		t->text[n++] = c;
	}
	if (lx->p == lx->end)
		return lexer_fail(t, "a string with no closing quote");
	lx->p++;
	t->text[n] = '\0';
	return t->kind = LEX_STRING;
}

/* A word goes on to white space, a mark, a quote or #: a // inside it
 * (a URL) is no comment, one where a word would start was skipped. */
static int
lexer_is_word(char c)
{
	return !isspace((unsigned char)c) && !strchr("{}=,;()\"'#", c);
}

enum lex_kind
lexer_next(struct lexer *lx, struct lex_token *t)
{
	const char *w;
	int rc = lexer_skip(lx);

	t->line = lx->line;
	if (rc < 0)
		return lexer_fail(t, "a comment that never ends");
	t->text[0] = '\0';
	if (lx->p == lx->end)
		return t->kind = LEX_END;
	if (*lx->p == '\0')
		return lexer_fail(t, "a NUL byte");
	if (*lx->p == '"' || *lx->p == '\'')
		return lexer_string(lx, t);
	if (strchr("{}=,;()", *lx->p)) {
		t->text[0] = *lx->p++;
		t->text[1] = '\0';
		return t->kind = LEX_MARK;
	}
	for (w = lx->p; lx->p < lx->end && lexer_is_word(*lx->p); lx->p++)
		;
	if ((size_t)(lx->p - w) >= sizeof(t->text))
		return lexer_fail(t, "a word longer than 511 characters");
	memcpy(t->text, w, (size_t)(lx->p - w));
	t->text[lx->p - w] = '\0';
	return t->kind = LEX_WORD;
}
