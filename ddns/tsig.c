/* SPDX-License-Identifier: BSD-2-Clause */
#include "ddns/tsig.h"

#include <stdio.h>
#include <strings.h>

static const struct {
	const char *name, *wire;
} tsig_algs[] = {
	{ "hmac-md5", "hmac-md5.sig-alg.reg.int" },	/* RFC 8945 6; RFC 2845 */
	{ "hmac-md5.sig-alg.reg.int", "hmac-md5.sig-alg.reg.int" },
	{ "hmac-sha1", "hmac-sha1" },			/* RFC 4635 */
	{ "hmac-sha256", "hmac-sha256" },		/* RFC 4635, the default */
	{ "hmac-sha512", "hmac-sha512" },		/* RFC 4635 */
};

/* RFC 8945 also lists hmac-sha224 and hmac-sha384, and BIND, Knot and
 * PowerDNS accept them; ldns 1.8 signs with neither (no sha224, and its
 * table misspells sha384 as "hmac-shac384."): every update then failed
 * as bad-key, so they are refused where they are written. */
const char *
tsig_wire_name(const char *algorithm, char *why, size_t len)
{
	for (size_t i = 0; i < sizeof(tsig_algs) / sizeof(tsig_algs[0]); i++)
		if (!strcasecmp(algorithm, tsig_algs[i].name))
			return tsig_algs[i].wire;
	snprintf(why, len, "TSIG algorithm \"%.40s\" cannot be signed with here: "
	    "use hmac-sha256 or hmac-sha512 (tsig-keygen -a hmac-sha256)",
	    algorithm);
	return NULL;
}
