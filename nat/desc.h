/* The human-facing fields of a UPnP root device description. Pure. */
#ifndef HOMEREACH_DESC_H
#define HOMEREACH_DESC_H

#include <stddef.h>

struct desc_info {
	char friendly_name[64];
	char manufacturer[64];
	char model_name[64];
};

/* Fill what the XML names; fields not found stay empty. */
void desc_parse_info(const char *xml, size_t len, struct desc_info *out);

#endif
