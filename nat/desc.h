/* SPDX-License-Identifier: BSD-2-Clause */
/* The human-facing fields of a UPnP root device description, and the
 * values of IGD answers that we read ourselves. Pure. */
#ifndef HOMEREACH_DESC_H
#define HOMEREACH_DESC_H

#include <stddef.h>
#include <stdint.h>

struct desc_info {
	char friendly_name[64];
	char manufacturer[64];
	char model_name[64];
};

/* Fill what the XML names; fields not found stay empty. */
void desc_parse_info(const char *xml, size_t len, struct desc_info *out);
/* AddPinhole's UniqueID (IGDv2 WANIPv6FirewallControl: 0 to 65535; 0 is
 * not taken, for it cannot be told from no answer): 0, or -1. */
int desc_pinhole_id(const char *text, uint16_t *id);

#endif
