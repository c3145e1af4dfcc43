/* SPDX-License-Identifier: BSD-2-Clause */
/* The page, its script and its style: bytes made at build time from
 * agent/daemon/page/ (cmake/embed.cmake writes webpage_data.h). */
#include "agent/daemon/webassets.h"

#include <string.h>

#include "agent/daemon/webpage_data.h"	/* generated, in the build tree */

#define ASSET(p, t, d)	{ p, t, d, sizeof(d) }

static const struct web_asset assets[] = {
	ASSET("/", "text/html; charset=utf-8", page_index_html),
	ASSET("/index.html", "text/html; charset=utf-8", page_index_html),
	ASSET("/app.js", "text/javascript; charset=utf-8", page_app_js),
	ASSET("/app.css", "text/css; charset=utf-8", page_app_css),
};

const struct web_asset *
web_asset_find(const char *path, size_t len)
{
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
		if (strlen(assets[i].path) == len &&
		    !memcmp(assets[i].path, path, len))
			return &assets[i];
	return NULL;
}
