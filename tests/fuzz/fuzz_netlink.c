/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: netlink datagrams (the kernel's address messages). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t buf[2048];	/* aligned, as the receive buffer is */
	struct netaddr known;

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	addr_parse("2a05:5:1::10", &known);
	(void)netlink_parse_stirs(buf, size, &known);
	return 0;
}
