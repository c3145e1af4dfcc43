/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * When to update: never a private, CGNAT or otherwise reserved address
 * (unless the record allows private ones, for split horizon); never the
 * address the provider already has, except for the periodic refresh that
 * keeps free accounts alive; never while backing off; never again after a
 * fatal answer until the record's configuration changes.
 */
#include "ddns/ddns.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ddns/provider.h"
#include "lib/names.h"

#define DDNS_FIRST_BACKOFF	60		/* seconds */
#define DDNS_MAX_BACKOFF	(6 * 3600)
#define DDNS_911_WAIT		(30 * 60)	/* dyndns2: "no sooner than" */

const char *
ddns_action_name(enum ddns_action a)
{
	static const char *const names[] = { "send", "unchanged", "stopped",
	    "waiting", "refused", "withdraw" };
	return NAME_OF(names, a, "unknown");
}

static bool
ddns_publishable(const struct ddns_config *r, const struct netaddr *a,
    int family, bool cgnat, struct ddns_decision *d)
{
	char t[ADDR_STRLEN];
	enum addr_scope scope = addr_classify(a);

	if (a->family == 0) {
		snprintf(d->why, sizeof(d->why), "no public %s address found",
		    family == AF_INET6 ? "IPv6" : "IPv4");
		return false;
	}
	if (cgnat && a->family == AF_INET) {
		snprintf(d->why, sizeof(d->why), "behind carrier-grade NAT: %s is "
		    "shared with other customers and reaches no port of this "
		    "house; `homereach diagnose` says what to do",
		    addr_ntop(a, t, sizeof(t)));
		return false;
	}
	if (scope == ADDR_PUBLIC ||
	    (r->allow_private && (scope == ADDR_PRIVATE || scope == ADDR_SHARED)))
		return true;
	snprintf(d->why, sizeof(d->why), "%s is a %s address (%s): not "
	    "published", addr_ntop(a, t, sizeof(t)), addr_scope_name(scope),
	    addr_rfc(a) ? addr_rfc(a) : "reserved");
	return false;
}

/*
 * Behind a carrier's NAT that lets nobody in (any more), an IPv4 address
 * this record published names a place where nothing answers: the records
 * are deleted, where the provider can (after a back-off like any
 * update); else the refusal says what stays in DNS.
 */
static enum ddns_action
ddns_withdrawn(const struct ddns_config *r, const struct ddns_state *st,
    bool cgnat, int64_t now, bool force, struct ddns_decision *d)
{
	const struct provider *p = provider_of(r->provider);
	char was[ADDR_STRLEN];
	size_t n = strlen(d->why);

	if (!cgnat || st->family != AF_INET || st->published.family != AF_INET)
		return DDNS_REFUSED;
	addr_ntop(&st->published, was, sizeof(was));
	if (p == NULL || !p->withdraws) {
		snprintf(d->why + n, sizeof(d->why) - n, "; %s cannot delete a "
		    "record: it still names %s", p ? p->name : "the provider", was);
		return DDNS_REFUSED;
	}
	if (st->stopped_hash == 0 && now < st->next_attempt && !force) {
		snprintf(d->why + n, sizeof(d->why) - n, "; %s is withdrawn in "
		    "%lld s (backing off)", was, (long long)(st->next_attempt - now));
		return DDNS_WAITING;
	}
	snprintf(d->why + n, sizeof(d->why) - n, "; %s is withdrawn", was);
	return DDNS_WITHDRAW;
}

void
ddns_decide(const struct ddns_config *r, const struct ddns_state *st,
    const struct ddns_target *t, bool cgnat, int64_t now, bool force,
    struct ddns_decision *d)
{
	const struct netaddr *addr = &t->addr;
	char text[ADDR_STRLEN];
	int64_t refresh = (int64_t)r->refresh_days * 86400;

	memset(d, 0, sizeof(*d));
	if (st->stopped_hash != 0 && st->stopped_hash == r->hash) {
		d->action = DDNS_STOPPED;
		snprintf(d->why, sizeof(d->why), "stopped after \"%s\": change the "
		    "record's configuration to try again", st->last_result);
		return;
	}
	if (!ddns_publishable(r, addr, st->family, cgnat, d)) {
		d->action = ddns_withdrawn(r, st, cgnat, now, force, d);
		return;
	}
	if (st->stopped_hash == 0 && now < st->next_attempt && !force) {
		d->action = DDNS_WAITING;
		snprintf(d->why, sizeof(d->why), "backing off after \"%s\" for "
		    "%lld s more", st->last_result, (long long)(st->next_attempt - now));
		return;
	}
	if (!force && addr_equal(addr, &st->published) &&
	    t->port == st->published_port && t->srv_hash == st->published_srv &&
	    now - st->published_at < refresh) {
		d->action = DDNS_UNCHANGED;
		snprintf(d->why, sizeof(d->why), "%s is published already",
		    addr_ntop(addr, text, sizeof(text)));
		return;
	}
	d->action = DDNS_SEND;
}

static int64_t
ddns_backoff(uint32_t failures, double jitter)
{
	int64_t wait = DDNS_FIRST_BACKOFF;

	for (uint32_t i = 1; i < failures && wait < DDNS_MAX_BACKOFF; i++)
		wait *= 2;
	if (wait > DDNS_MAX_BACKOFF)
		wait = DDNS_MAX_BACKOFF;
	return wait + (int64_t)(jitter * (double)wait / 4);	/* up to +25% */
}

#define DDNS_FEW	3	/* DDNS_RETRY_FEW answers in a row that stop */

void
ddns_apply(const struct ddns_config *r, struct ddns_state *st,
    const struct ddns_target *sent, enum ddns_outcome outcome,
    const char *result, int64_t now, double jitter)
{
	bool again = strcmp(st->last_result, result) == 0;

	if (outcome == DDNS_RETRY_FEW)
		outcome = again && st->failures + 1 >= DDNS_FEW ? DDNS_STOP :
		    DDNS_RETRY;
	snprintf(st->last_result, sizeof(st->last_result), "%s", result);
	st->last_time = now;
	switch (outcome) {
	case DDNS_OK:
	case DDNS_NOCHG:
		st->published = sent->withdraw ? (struct netaddr){ 0 } : sent->addr;
		st->published_port = sent->withdraw ? 0 : sent->port;
		st->published_srv = sent->withdraw ? 0 : sent->srv_hash;
		st->published_at = now;
		st->failures = 0;
		st->next_attempt = 0;
		st->stopped_hash = 0;
		break;
	case DDNS_STOP:
		st->stopped_hash = r->hash;
		break;
	case DDNS_RETRY:
	case DDNS_RETRY_FEW:	/* made one of the two above */
		st->failures++;
		st->next_attempt = now + ddns_backoff(st->failures, jitter);
		break;
	case DDNS_RETRY_LONG:
		st->failures++;
		st->next_attempt = now + DDNS_911_WAIT +
		    ddns_backoff(st->failures, jitter);
		break;
	}
}

void
ddns_next_text(const struct ddns_config *r, const struct ddns_state *d,
    int64_t now, char *buf, size_t len)
{
	if (d->stopped_hash && d->stopped_hash == r->hash)
		snprintf(buf, len, "stopped after \"%s\": change the record's "
		    "configuration to try again", d->last_result);
	else if (d->next_attempt > now)
		snprintf(buf, len, "backing off: next attempt in %lld s",
		    (long long)(d->next_attempt - now));
	else
		snprintf(buf, len, "update when the address changes");
}

void
ddns_record_addr(const struct ddns_config *r, int family,
    const struct netaddr *v4, const struct netaddr *v6, struct netaddr *out)
{
	*out = family == AF_INET6 ? *v6 : *v4;
	if (family == AF_INET6 && r->has_iid && out->family == AF_INET6)
		memcpy(out->bytes + 8, r->ipv6_iid, 8);
}

int
ddns_iid_from_suffix(const char *text, uint8_t iid[8])
{
	static const uint8_t zero[8] = { 0 };
	struct netaddr a;

	if (addr_parse(text, &a) < 0 || a.family != AF_INET6 ||
	    memcmp(a.bytes, zero, 8) != 0 || memcmp(a.bytes + 8, zero, 8) == 0)
		return -1;
	memcpy(iid, a.bytes + 8, 8);
	return 0;
}

int
ddns_iid_from_mac(const char *text, uint8_t iid[8])
{
	unsigned m[6];
	char end;

	if (strlen(text) != 17 || sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c",
	    &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &end) != 6 ||
	    (m[0] & 1))		/* a multicast address is no interface */
		return -1;
	iid[0] = (uint8_t)(m[0] ^ 0x02);	/* the universal/local bit */
	iid[1] = (uint8_t)m[1];
	iid[2] = (uint8_t)m[2];
	iid[3] = 0xff;
	iid[4] = 0xfe;
	iid[5] = (uint8_t)m[3];
	iid[6] = (uint8_t)m[4];
	iid[7] = (uint8_t)m[5];
	return 0;
}

/* FNV-1a over each record's fields. */
uint32_t
ddns_srv_hash(const struct ddns_srv *srv, int n, uint16_t https)
{
	uint32_t h = 2166136261u;
	bool some = https != 0;

	h = (h ^ https) * 16777619u;
	for (int i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)srv[i].service;
		if (srv[i].port == 0)
			continue;	/* none: as if not there */
		some = true;
		for (; *p; p++)
			h = (h ^ *p) * 16777619u;
		h = (h ^ (uint32_t)srv[i].protocol) * 16777619u;
		h = (h ^ srv[i].port) * 16777619u;
	}
	if (!some)
		return 0;
	return h == 0 ? 1 : h;
}
