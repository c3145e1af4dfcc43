/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: control socket requests (a local user's line) and the way
 * objects of the agent's replies. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/daemon/ctlmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct ctl_request r;
	struct map_record layers[2];
	const char *error;
	char back[80];
	json_t *j;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (ctlmsg_parse(line, &r) == 0) {
		struct ctl_request again;
		ctlmsg_format(&r, back, sizeof(back));
		if (ctlmsg_parse(back, &again) < 0 ||
		    memcmp(&r, &again, sizeof(r)) != 0)
			abort();	/* what it writes, it reads back */
	}
	if ((j = json_loadb((const char *)data, size, 0, NULL)) != NULL) {
		ctlmsg_way_parse(j, layers, 2, &error);
		ctlmsg_code(j);
		json_decref(j);
	}
	free(line);
	return 0;
}
