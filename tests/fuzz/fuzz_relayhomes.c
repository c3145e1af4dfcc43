/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the relay's homes file, and the rules made from what it
 * takes. */
#include <stddef.h>
#include <stdint.h>

#include "relay/relayhomes.h"
#include "relay/relayrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct relay_config c = { .port_lo = 20000,
		.port_hi = 29999, .interface = "hr-relay0",
		.subnet = { 10, 77, 0, 0 }, .quota = 10 };
	static struct relay_home homes[RELAY_MAX_HOMES], next;
	static char rules[RELAY_MAX_HOMES * 200 + 1024];
	char why[160];
	int n = relayhomes_parse((const char *)data, size, &c, homes,
	    RELAY_MAX_HOMES, why, sizeof(why));

	if (n >= 0) {
		(void)relayrules_text(&c, "5.0.2.5", homes, n, rules, sizeof(rules));
		(void)relayhomes_next(homes, n, &c, 10, &next, why, sizeof(why));
	}
	return 0;
}
