/* SPDX-License-Identifier: BSD-2-Clause */
/* Cloudflare API v4 for DDNS. */
#ifndef HOMEREACH_CLOUDFLARE_H
#define HOMEREACH_CLOUDFLARE_H

#include <stddef.h>

#include <jansson.h>

#include "ddns/provider.h"

#define CLOUDFLARE_API	"https://api.cloudflare.com/client/v4"

/* Parse a reply: the JSON root when it is a success, else NULL with the
 * answer set (stop, or back off). Pure. */
json_t *cloudflare_reply(const char *body, size_t len, long status,
    struct ddns_answer *a);
/* The first result's id (empty when there is none) and content. */
int cloudflare_first(json_t *root, char *id, size_t idlen, char *content,
    size_t clen, struct ddns_answer *a);
/* The address, and beside an A the SRV and HTTPS records of t. */
void cloudflare_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a);

#endif
