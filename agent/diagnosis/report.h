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

#endif
