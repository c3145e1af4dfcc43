/* SPDX-License-Identifier: BSD-2-Clause */
/* Custom URL providers (and DuckDNS, which is one). */
#ifndef HOMEREACH_CUSTOM_H
#define HOMEREACH_CUSTOM_H

#include <stddef.h>

#include "ddns/provider.h"

#define DUCKDNS_URL	"https://www.duckdns.org/update?domains={hostname}&token={token}&ip={ip}"

/* Expand {hostname} {ip} {username} {password} {token}, percent-encoding
 * each value; -1 on an unknown placeholder or no room. Pure. */
int custom_expand(const char *template, const struct ddns_config *r,
    const struct netaddr *addr, char *out, size_t len, char *why, size_t wlen);
/* Judge a reply: its first line matched against the success glob. Pure. */
void custom_judge(const char *body, size_t len, long status,
    const char *success, struct ddns_answer *a);
/* GET the template t expanded for r; success: the reply's glob. */
void custom_update(const struct ddns_config *r, const char *t,
    const char *success, const struct netaddr *addr, struct ddns_answer *a);

#endif
