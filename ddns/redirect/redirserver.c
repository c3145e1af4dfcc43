/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The redirect server whole: its parts built in order (DNS, the sources'
 * table, the TLS context, the front on both ports) and torn down in the
 * reverse order. The front calls down into the parts; nothing calls up.
 */
#include "ddns/redirect/redirserver.h"

#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ddns/redirect/redirdns.h"
#include "lib/sources.h"
#include "ddns/redirect/redirsrv_int.h"
#include "lib/log.h"

/* --- TLS --- */

static SSL_CTX *
redirsrv_tls(const struct redirect_config *c, char *why, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(why, len, "TLS: %s or %s: %s", c->tls_cert, c->tls_key,
		    ERR_reason_error_string(ERR_peek_last_error()) ?
		    ERR_reason_error_string(ERR_peek_last_error()) : "unusable");
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* The front resends what a write left from its own copy. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}

struct redirsrv *
redirsrv_new(struct event_base *base, const struct redirect_config *cfg,
    char *why, size_t len)
{
	struct redirsrv *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->base = base;
	s->cfg = cfg;
	if ((s->dns = redirdns_new(base, cfg->dns_server, why, len)) == NULL ||
	    (s->sources = sources_new(base, 4096)) == NULL)
		goto fail;
	if (cfg->ntls && (s->tls = redirsrv_tls(cfg, why, len)) == NULL)
		goto fail;
	if ((s->front = redirfront_new(s, why, len)) == NULL)
		goto fail;
	return s;
fail:
	redirsrv_free(s);
	return NULL;
}

void
redirsrv_free(struct redirsrv *s)
{
	struct redirdns_stats st = { 0 };

	if (s == NULL)
		return;
	if (s->dns != NULL) {
		redirdns_stats(s->dns, &st);
		log_info("visitors: %llu lookups, %llu from the cache, %llu DNS "
		    "queries", (unsigned long long)st.lookups,
		    (unsigned long long)st.hits, (unsigned long long)st.queries);
	}
	redirsrv_jobs_free(s);
	redirfront_free(s->front);	/* before the sources it counts */
	SSL_CTX_free(s->tls);
	sources_free(s->sources);
	redirdns_free(s->dns);
	free(s);
}
