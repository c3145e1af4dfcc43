/* SPDX-License-Identifier: BSD-2-Clause */
#include "nat/maprec.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/proc.h"

void
maprec_of_grant(const struct mapping_grant *g, const struct mapping_spec *s,
    uint16_t chain, struct map_record *m)
{
	memset(m, 0, sizeof(*m));
	m->protocol = s->protocol;
	m->internal_port = s->internal_port;
	m->external_port = g->external_port;
	m->via = g->via;
	m->gateway = g->gateway;
	m->external = g->external;
	m->granted_at = (int64_t)time(NULL);
	m->lifetime = g->lifetime;
	m->epoch = g->epoch;
	m->has_nonce = g->via == VIA_PCP;
	memcpy(m->nonce, g->nonce, sizeof(m->nonce));
	m->pinhole_id = g->pinhole_id;
	m->chain = chain;
}

void
maprec_pending(const struct mapping_spec *s, const struct netaddr *gateway,
    uint16_t chain, struct map_record *m)
{
	memset(m, 0, sizeof(*m));
	m->protocol = s->protocol;
	m->internal_port = s->internal_port;
	m->external_port = s->external_port ? s->external_port : s->internal_port;
	m->via = VIA_ANY;
	m->gateway = *gateway;
	if (gateway->family == AF_INET6)	/* a pinhole: for its address */
		m->external = s->client;
	m->granted_at = (int64_t)time(NULL);	/* forgotten when it would end */
	m->lifetime = s->lifetime;
	m->has_nonce = s->has_nonce;
	memcpy(m->nonce, s->nonce, sizeof(m->nonce));
	m->chain = chain;
	m->owner_pid = getpid();
	m->owner_start = proc_start_time(m->owner_pid);
}

/* How to remove (or renew) a recorded mapping. */
void
maprec_spec(const struct map_record *m, struct mapping_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->protocol = m->protocol;
	s->internal_port = m->internal_port;
	s->external_port = m->external_port;
	s->lifetime = m->lifetime;
	s->via = m->via;
	s->upstream = m->chain != 0;
	s->has_nonce = m->has_nonce;
	memcpy(s->nonce, m->nonce, sizeof(s->nonce));
	if (m->gateway.family == AF_INET6)	/* a pinhole: for its address */
		s->client = m->external;
	s->pinhole_id = m->pinhole_id;
}

bool
maprec_owner_alive(const struct map_record *m)
{
	/* Not kept by anyone: it lives by its lease. */
	return m->owner_pid == 0 || proc_start_time(m->owner_pid) == m->owner_start;
}
