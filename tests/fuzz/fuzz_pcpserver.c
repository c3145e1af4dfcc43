/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer: the PCP server options as DHCP clients keep them (RFC 7291):
 * a DHCPv4 and a DHCPv6 message, ISC dhclient's lease text, option 158. */
#include <stddef.h>
#include <stdint.h>

#include "nat/pcpserver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netaddr out[PCPSERVER_MAX];
	char why[160];

	(void)pcpserver_option158(data, size, out, 0, PCPSERVER_MAX, why,
	    sizeof(why));
	(void)pcpserver_dhcp4(data, size, out, 0, PCPSERVER_MAX, why, sizeof(why));
	(void)pcpserver_dhcp6(data, size, out, 0, PCPSERVER_MAX, why, sizeof(why));
	(void)pcpserver_dhclient((const char *)data, size, out, 0, PCPSERVER_MAX,
	    why, sizeof(why));
	return 0;
}
