/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A check server's answer: {"result": "open", ...}. What it says is shown
 * to the user and steers the agent (a mapping that does not answer is made
 * again), so only the known words are taken; anything else is an error
 * naming what came.
 */
#include "probes/reach.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

static const char *const reach_words[] = { "open", "closed", "no-answer",
	"unreachable" };

/* Printable ASCII only: it goes to the log and a terminal. */
static bool
reach_printable(const char *v)
{
	for (; *v; v++)
		if (*v < 0x20 || *v > 0x7e)
			return false;
	return true;
}

static bool
reach_known(const char *v)
{
	for (size_t i = 0; i < sizeof(reach_words) / sizeof(reach_words[0]); i++)
		if (!strcmp(v, reach_words[i]))
			return true;
	return false;
}

void
reach_parse(int code, const char *body, size_t n, struct reach_result *res)
{
	json_t *j = NULL;
	const char *v = NULL;

	snprintf(res->result, sizeof(res->result), "error");
	res->detail[0] = '\0';
	if (code == 200 && body != NULL && n > 0)
		j = json_loadb(body, n, JSON_REJECT_DUPLICATES, NULL);
	if (j != NULL)
		v = json_string_value(json_object_get(j, "result"));
	if (v == NULL)
		snprintf(res->detail, sizeof(res->detail), "the check server "
		    "answered HTTP %d without a result", code);
	else if (!reach_known(v))
		snprintf(res->detail, sizeof(res->detail), "the check server "
		    "answered an unknown result \"%.32s\"", reach_printable(v) ?
		    v : "(not printable)");
	else
		snprintf(res->result, sizeof(res->result), "%s", v);
	json_decref(j);
}
