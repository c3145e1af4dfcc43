#include "ddns/provider.h"

#include <stdio.h>

void
ddns_answer_set(struct ddns_answer *a, enum ddns_outcome o, const char *result,
    const char *detail)
{
	a->outcome = o;
	snprintf(a->result, sizeof(a->result), "%s", result);
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}
