/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the relay's homes file and its grants file, and the rules
 * made from what they take. */
#include <stddef.h>
#include <stdint.h>

#include "relay/relaygrants.h"
#include "relay/relayhomes.h"
#include "relay/relayrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEYS	"QqO0VICYsflCQDgjc8LL3vMsvG/W4kfLNeJ1xbaUxUc= 10.77.0.2 " \
		"20000-20009\nb 2XPWv2hDGp5LjVp+xGOTWWZlX0f/C1rJmZ3M3pU/R3A= " \
		"10.77.0.3 20010-20019\n"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct relay_config c = { .port_lo = 20000,
		.port_hi = 29999, .interface = "hr-relay0",
		.subnet = { 10, 77, 0, 0 }, .quota = 10 };
	static struct relay_home homes[RELAY_MAX_HOMES], next, two[2];
	static struct relay_grant g[64];
	static char rules[RELAYRULES_LEN(64) + RELAY_MAX_HOMES * 200];
	char why[160];
	int n = relayhomes_parse((const char *)data, size, &c, homes,
	    RELAY_MAX_HOMES, why, sizeof(why)), ng;

	if (n >= 0) {
		(void)relayrules_text(&c, "5.0.2.5", homes, n, g, 0, rules,
		    sizeof(rules));
		(void)relayhomes_next(homes, n, &c, 10, &next, why, sizeof(why));
	}
	(void)relayhomes_parse("a " KEYS, sizeof("a " KEYS) - 1, &c, two, 2, why,
	    sizeof(why));
	ng = relaygrants_parse((const char *)data, size, two, 2, g, 64, 1, why,
	    sizeof(why));
	if (ng >= 0) {
		relaygrants_ask(g, &ng, 64, &two[0], 6, 8080, 20001, 10, 1);
		(void)relayrules_text(&c, "5.0.2.5", two, 2, g, ng, rules,
		    sizeof(rules));
		(void)relaygrants_format(g, ng, rules, sizeof(rules));
	}
	return 0;
}
