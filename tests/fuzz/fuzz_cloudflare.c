/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: Cloudflare API replies, and the custom provider's judge. */
#include <stddef.h>
#include <stdint.h>

#include "ddns/cloudflare.h"
#include "ddns/custom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ddns_answer a;
	char id[64], content[64];
	json_t *root = cloudflare_reply((const char *)data, size, 200, &a);

	if (root != NULL)
		cloudflare_first(root, id, sizeof(id), content, sizeof(content), &a);
	json_decref(root);
	custom_judge((const char *)data, size, 200, "good *", &a);
	return 0;
}
