/* SPDX-License-Identifier: BSD-2-Clause */
/* A BIND key file, as nsupdate -k and ddclient's nsupdate take it:
 *   key "NAME" { algorithm hmac-sha256; secret "BASE64"; };
 * The first key of the file. */
#include "agent/import/imported.h"

#include <string.h>

#include "agent/import/lexer.h"
#include "lib/reason.h"

static int
bindkey_copy(char *dst, size_t len, const char *src, const char *what,
    char *why, size_t wlen)
{
	if (strlen(src) >= len)
		return reason(why, wlen, "the key's %s is too long", what);
	strcpy(dst, src);
	return 0;
}

/* algorithm X; or secret "X"; inside the braces. */
static int
bindkey_field(struct lexer *lx, struct lex_token *t, char *algorithm,
    size_t alen, char *secret, size_t slen, char *why, size_t wlen)
{
	char key[32];
	int rc = 0;

	snprintf(key, sizeof(key), "%s", t->text);
	if (lexer_next(lx, t) != LEX_WORD && t->kind != LEX_STRING)
		return reason(why, wlen, "line %d: %s wants a value", t->line, key);
	if (!strcmp(key, "algorithm"))
		rc = bindkey_copy(algorithm, alen, t->text, "algorithm", why, wlen);
	else if (!strcmp(key, "secret"))
		rc = bindkey_copy(secret, slen, t->text, "secret", why, wlen);
	if (rc == 0 && (lexer_next(lx, t) != LEX_MARK || !lex_is(t, ';')))
		return reason(why, wlen, "line %d: want ; after %s", t->line, key);
	return rc;
}

int
import_bind_key(const char *text, size_t len, char *name, size_t nlen,
    char *algorithm, size_t alen, char *secret, size_t slen, char *why,
    size_t wlen)
{
	struct lexer lx;
	struct lex_token t;

	lexer_init(&lx, text, len);
	name[0] = algorithm[0] = secret[0] = '\0';
	if (lexer_next(&lx, &t) != LEX_WORD || strcmp(t.text, "key"))
		return reason(why, wlen, "line %d: want key \"NAME\" { ... }",
		    t.line);
	if ((lexer_next(&lx, &t) != LEX_STRING && t.kind != LEX_WORD) ||
	    bindkey_copy(name, nlen, t.text, "name", why, wlen) < 0 ||
	    lexer_next(&lx, &t) != LEX_MARK || !lex_is(&t, '{'))
		return reason(why, wlen, "line %d: want key \"NAME\" {", t.line);
	while (lexer_next(&lx, &t) == LEX_WORD)
		if (bindkey_field(&lx, &t, algorithm, alen, secret, slen, why,
		    wlen) < 0)
			return -1;
	if (!lex_is(&t, '}'))
		return reason(why, wlen, "line %d: want }", t.line);
	if (!algorithm[0] || !secret[0])
		return reason(why, wlen, "key \"%s\" has no %s", name,
		    algorithm[0] ? "secret" : "algorithm");
	return 0;
}
