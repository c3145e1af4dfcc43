/* SPDX-License-Identifier: BSD-2-Clause */
/* Printing a diagnosis: human text or one JSON object. */
#ifndef HOMEREACH_REPORT_H
#define HOMEREACH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "agent/diagnosis/verdict.h"

void report_text(FILE *out, const struct evidence *ev,
    const struct verdict *v, bool color);
int report_json(FILE *out, const struct evidence *ev,
    const struct verdict *v, int elapsed_ms);
/* The same as an object (the agent's status carries it), or NULL. */
struct json_t;
struct json_t *report_json_object(const struct evidence *ev,
    const struct verdict *v, int elapsed_ms);
/* Its verdict, path, evidence and advice only (the agent's status: the
 * whole evidence is diagnose's). */
struct json_t *report_json_summary(const struct evidence *ev,
    const struct verdict *v);

#endif
