/* SPDX-License-Identifier: BSD-2-Clause */
/* The words of libConfuse's syntax (inadyn.conf) and of a BIND key file:
 * bare words, quoted strings, and the marks { } = , ; ( ). Comments run
 * from #, or //, to the line's end, and between slash-star and star-slash. */
#ifndef HOMEREACH_IMPORT_LEXER_H
#define HOMEREACH_IMPORT_LEXER_H

#include <stddef.h>

enum lex_kind { LEX_END, LEX_WORD, LEX_STRING, LEX_MARK, LEX_ERROR };

struct lexer {
	const char *p, *end;
	int line;
};

struct lex_token {
	enum lex_kind kind;
	char text[512];		/* the word, the string unquoted, the mark, or
				 * for LEX_ERROR why */
	int line;
};

void lexer_init(struct lexer *lx, const char *text, size_t len);
enum lex_kind lexer_next(struct lexer *lx, struct lex_token *t);
/* Whether t is the mark c. */
int lex_is(const struct lex_token *t, char c);

#endif
