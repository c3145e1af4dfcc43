/* SPDX-License-Identifier: BSD-2-Clause */
/* The status page's files, built into the binary. */
#ifndef HOMEREACH_WEBASSETS_H
#define HOMEREACH_WEBASSETS_H

#include <stddef.h>

struct web_asset {
	const char *path;		/* "/", "/app.js" */
	const char *type;		/* Content-Type */
	const unsigned char *data;
	size_t len;
};

/* The asset at path[0..len), or NULL. */
const struct web_asset *web_asset_find(const char *path, size_t len);

#endif
