/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * State file, version 1:
 *   homereach-state 1
 *   mapping tcp 8080 8080 natpmp 192.168.1.1 5.0.1.2 1763700000 7200 3600 - 0 0 -
 * fields: protocol, internal port, external port, protocol used, gateway,
 * external address, granted at, lifetime, epoch, PCP nonce (hex or -),
 * owner pid, owner start time, and for the upstream layer of a double NAT
 * the internal port of the host's mapping it extends (or -), and for an
 * IPv6 pinhole made over UPnP (IGDv2) the router's UniqueID of it (older
 * files and other records lack it).
 *   ddns home A 5.0.1.2 1763700000 good 1763700000 0 0 0
 * fields: record name, A or AAAA, published address (or -), published at,
 * last result, last attempt, next attempt, failures in a row, the
 * configuration hash (hex) under which it was stopped, or 0, and (for a
 * redirect record; older files lack it) the published port.
 */
#include "agent/config/state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/reason.h"
#include "lib/names.h"


static int
state_nonce(const char *hex, struct map_record *m)
{
	if (strcmp(hex, "-") == 0)
		return 0;
	if (strlen(hex) != 2 * PCP_NONCE_LEN)
		return -1;
	for (int i = 0; i < PCP_NONCE_LEN; i++) {
		unsigned b;
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		m->nonce[i] = (uint8_t)b;
	}
	m->has_nonce = true;
	return 0;
}

static int
state_chain(const char *text, uint16_t *chain)
{
	char *end;
	unsigned long v;

	if (strcmp(text, "-") == 0)
		return 0;
	v = strtoul(text, &end, 10);
	if (*end != '\0' || v == 0 || v > 65535)
		return -1;
	*chain = (uint16_t)v;
	return 0;
}

static int
state_port(const char *text, uint16_t *port)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (*text < '0' || *text > '9' || *end != '\0' || n < 0 || n > 65535)
		return -1;
	*port = (uint16_t)n;
	return 0;
}

/* A router's address; a link-local one carries its interface index as
 * "fe80::1%2", or it could not be asked again. */
static int
state_gateway(char *text, struct netaddr *a)
{
	char *pct = strchr(text, '%'), *end;
	unsigned long scope = 0;

	if (pct != NULL) {
		*pct = '\0';
		scope = strtoul(pct + 1, &end, 10);
		if (pct[1] < '0' || pct[1] > '9' || *end != '\0' ||
		    scope == 0 || scope > 0xffffffffUL)
			return -1;
	}
	if (addr_parse(text, a) < 0 || (scope != 0 && (a->family != AF_INET6 ||
	    a->bytes[0] != 0xfe || (a->bytes[1] & 0xc0) != 0x80)))
		return -1;	/* a scope only on a link-local address */
	a->scope = (uint32_t)scope;
	return 0;
}

static int
state_parse_mapping(char *line, struct map_record *m)
{
	char proto[8], via[8], gw[ADDR_STRLEN + 12], ext[ADDR_STRLEN], nonce[32];
	char chain[8];
	unsigned ip, ep;
	int n = 0;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "mapping %7s %u %u %7s %57s %45s %" SCNd64 " %" SCNu32
	    " %" SCNu32 " %31s %d %" SCNu64 " %7s%n", proto, &ip, &ep, via, gw,
	    ext, &m->granted_at, &m->lifetime, &m->epoch, nonce, &m->owner_pid,
	    &m->owner_start, chain, &n) != 13 || state_chain(chain, &m->chain) < 0)
		return -1;
	if (line[n] == ' ' && state_port(line + n + 1, &m->pinhole_id) == 0 &&
	    m->pinhole_id != 0)
		n = (int)strlen(line);
	if (line[n] != '\0')
		return -1;
	if (strcmp(proto, "tcp") == 0)
		m->protocol = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		m->protocol = IPPROTO_UDP;
	else
		return -1;
	if (ip == 0 || ip > 65535 || ep > 65535 || m->owner_pid < 0 ||
	    via_parse(via, &m->via) < 0 ||	/* "any": pending */
	    state_gateway(gw, &m->gateway) < 0 || state_nonce(nonce, m) < 0 ||
	    (strcmp(ext, "-") != 0 && addr_parse(ext, &m->external) < 0))
		return -1;
	m->internal_port = (uint16_t)ip;
	m->external_port = (uint16_t)ep;
	return 0;
}


/* " PORT" (redirect) and " SRVHASH" (hex) after the fields every line
 * has: older files have neither, or the port alone. */
static int
state_ddns_tail(const char *tail, struct ddns_state *d)
{
	char port[8], hash[16];
	int n = 0, got = sscanf(tail, " %7[0-9] %15[0-9a-f]%n", port, hash, &n);

	if (got == 1)
		return sscanf(tail, " %7[0-9]%n", port, &n) == 1 &&
		    tail[n] == '\0' ? state_port(port, &d->published_port) : -1;
	if (got != 2 || tail[n] != '\0' || state_port(port,
	    &d->published_port) < 0)
		return -1;
	d->published_srv = (uint32_t)strtoul(hash, NULL, 16);
	return 0;
}

int
state_parse_ddns(const char *line, struct ddns_state *d)
{
	char name[64], fam[8], pub[ADDR_STRLEN], result[48];
	int n = 0;

	memset(d, 0, sizeof(*d));
	if (sscanf(line, "ddns %63s %7s %45s %" SCNd64 " %47s %" SCNd64 " %"
	    SCNd64 " %" SCNu32 " %" SCNx64 "%n", name, fam, pub,
	    &d->published_at, result, &d->last_time, &d->next_attempt,
	    &d->failures, &d->stopped_hash, &n) != 9)
		return -1;
	if (line[n] != '\0' && state_ddns_tail(line + n, d) < 0)
		return -1;
	d->family = !strcmp(fam, "A") ? AF_INET : !strcmp(fam, "AAAA") ? AF_INET6 : 0;
	if (d->family == 0 || (strcmp(pub, "-") != 0 &&
	    (addr_parse(pub, &d->published) < 0 ||
	    d->published.family != d->family)))
		return -1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->last_result, sizeof(d->last_result), "%s",
	    strcmp(result, "-") ? result : "");
	return 0;
}

static int
state_add_ddns(const char *line, struct state *st)
{
	if (st->nddns == STATE_MAX_DDNS ||
	    state_parse_ddns(line, &st->ddns[st->nddns]) < 0)
		return -1;
	st->nddns++;
	return 0;
}

int
state_parse(const char *text, size_t len, struct state *st, char *why,
    size_t whylen)
{
	char line[512];
	size_t at = 0;
	int lineno = 0, version = 0;

	memset(st, 0, sizeof(*st));
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;
		lineno++;
		if (n >= sizeof(line) || memchr(text + at, '\0', n))
			return reason(why, whylen, "line %d: too long or binary", lineno);
		memcpy(line, text + at, n);
		line[n] = '\0';
		at += n + 1;
		if (lineno == 1) {
			if (sscanf(line, "homereach-state %d", &version) != 1)
				return reason(why, whylen, "line 1: not a homereach "
				    "state file");
			if (version != STATE_VERSION)
				return reason(why, whylen, "line 1: state version %d, "
				    "this homereach reads %d", version, STATE_VERSION);
			continue;
		}
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (strncmp(line, "ddns ", 5) == 0) {
			if (state_add_ddns(line, st) < 0)
				return reason(why, whylen, "line %d: bad ddns record",
				    lineno);
			continue;
		}
		if (st->nmaps == STATE_MAX_MAPPINGS)
			return reason(why, whylen, "line %d: more than %d mappings",
			    lineno, STATE_MAX_MAPPINGS);
		if (state_parse_mapping(line, &st->maps[st->nmaps]) < 0)
			return reason(why, whylen, "line %d: bad mapping record",
			    lineno);
		st->nmaps++;
	}
	if (version == 0)
		return reason(why, whylen, "line 1: empty state file");
	return 0;
}

static int
state_format_mapping(const struct map_record *m, char *buf, size_t len)
{
	char gw[ADDR_STRLEN + 12], ext[ADDR_STRLEN] = "-", nonce[32] = "-";
	char chain[8] = "-", pin[8] = "";

	if (m->chain)
		snprintf(chain, sizeof(chain), "%u", m->chain);
	addr_ntop(&m->gateway, gw, sizeof(gw));
	if (m->gateway.scope && m->gateway.family == AF_INET6 &&
	    m->gateway.bytes[0] == 0xfe && (m->gateway.bytes[1] & 0xc0) == 0x80)
		snprintf(gw + strlen(gw), sizeof(gw) - strlen(gw), "%%%u",
		    m->gateway.scope);
	if (m->external.family)
		addr_ntop(&m->external, ext, sizeof(ext));
	if (m->has_nonce)
		for (int i = 0; i < PCP_NONCE_LEN; i++)
			snprintf(nonce + 2 * i, 3, "%02x", m->nonce[i]);
	if (m->pinhole_id)
		snprintf(pin, sizeof(pin), " %u", m->pinhole_id);
	return snprintf(buf, len, "mapping %s %u %u %s %s %s %" PRId64 " %" PRIu32
	    " %" PRIu32 " %s %d %" PRIu64 " %s%s\n",
	    proto_name(m->protocol), m->internal_port,
	    m->external_port, via_name(m->via), gw, ext, m->granted_at,
	    m->lifetime, m->epoch, nonce, m->owner_pid, m->owner_start, chain, pin);
}

int
state_format_ddns(const struct ddns_state *d, char *buf, size_t len)
{
	char pub[ADDR_STRLEN] = "-", result[48] = "-";

	if (d->published.family)
		addr_ntop(&d->published, pub, sizeof(pub));
	if (d->last_result[0]) {	/* one token: spaces become dashes */
		snprintf(result, sizeof(result), "%s", d->last_result);
		for (char *c = result; *c; c++)
			if (*c == ' ' || (unsigned char)*c < 0x21)
				*c = '-';
	}
	return snprintf(buf, len, "ddns %s %s %s %" PRId64 " %s %" PRId64 " %"
	    PRId64 " %" PRIu32 " %" PRIx64 " %u %" PRIx32 "\n", d->name,
	    d->family == AF_INET6 ? "AAAA" : "A", pub, d->published_at, result,
	    d->last_time, d->next_attempt, d->failures, d->stopped_hash,
	    d->published_port, d->published_srv);
}

int
state_format(const struct state *st, char *buf, size_t len)
{
	int n = snprintf(buf, len, "homereach-state %d\n", STATE_VERSION);

	for (int i = 0; i < st->nmaps && n >= 0 && (size_t)n < len; i++)
		n += state_format_mapping(&st->maps[i], buf + n, len - (size_t)n);
	for (int i = 0; i < st->nddns && n >= 0 && (size_t)n < len; i++)
		n += state_format_ddns(&st->ddns[i], buf + n, len - (size_t)n);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

char *
state_text(const struct state *st, int *len)
{
	char *buf = NULL;

	/* A few hundred bytes as a rule: no 64 KB buffer for them, on a
	 * stack or off it, in a process that lives for months. */
	for (size_t cap = 2048; cap <= STATE_MAX_BYTES; cap *= 2) {
		char *more = realloc(buf, cap);
		if (more == NULL)
			break;
		buf = more;
		if ((*len = state_format(st, buf, cap)) >= 0)
			return buf;
	}
	free(buf);
	return NULL;
}

int
state_load(const char *path, struct state *st, char *why, size_t whylen)
{
	char inner[REASON_LEN], *text;
	size_t n;
	struct stat sb;
	FILE *f = file_fopen_regular(path, why, whylen);

	memset(st, 0, sizeof(*st));
	if (f == NULL)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fileno(f), &sb) < 0 || sb.st_size > STATE_MAX_BYTES ||
	    (text = malloc((size_t)sb.st_size + 1)) == NULL) {
		fclose(f);
		return reason(why, whylen, "%s: larger than %d bytes, or "
		    "unreadable", path, STATE_MAX_BYTES);
	}
	n = fread(text, 1, (size_t)sb.st_size, f);
	fclose(f);
	if (state_parse(text, n, st, inner, sizeof(inner)) < 0) {
		free(text);
		return reason(why, whylen, "%s: %s", path, inner);
	}
	free(text);
	return 0;
}

int
state_save(const char *path, const struct state *st, char *why, size_t whylen)
{
	int n, rc;
	char *text = state_text(st, &n);

	if (text == NULL)
		return reason(why, whylen, "state too large");
	rc = state_save_text(path, text, (size_t)n, why, whylen);
	free(text);
	return rc;
}

/* The state is the agent's: root (map add, ddns update with no agent
 * running) writes it as the state folder's owner, or the agent, running
 * as that user, could no longer write it. */
static const struct file_owner state_owner = {
	.mode = 0600, .uid = (uid_t)-1, .gid = (gid_t)-1, .as_owner = true,
};

int
state_save_text(const char *path, const char *buf, size_t n, char *why,
    size_t whylen)
{
	return file_replace(path, buf, n, &state_owner, why, whylen);
}

int
state_lock(const char *path, char *why, size_t whylen)
{
	return file_lock(path, &state_owner, why, whylen);
}

int
state_update(const char *path, void (*change)(struct state *, void *),
    void *arg, char *why, size_t whylen)
{
	struct state st;
	int fd = state_lock(path, why, whylen), rc;

	if (fd < 0)
		return -1;
	rc = state_load(path, &st, why, whylen);
	if (rc == 0) {
		change(&st, arg);
		rc = state_save(path, &st, why, whylen);
	}
	close(fd);
	return rc;
}

struct map_record *
state_find(struct state *st, int protocol, uint16_t internal_port,
    const struct netaddr *gateway)
{
	for (int i = 0; i < st->nmaps; i++) {
		struct map_record *m = &st->maps[i];
		if (m->protocol == protocol && m->internal_port == internal_port &&
		    (gateway == NULL || addr_equal(&m->gateway, gateway)))
			return m;
	}
	return NULL;
}

const struct map_record *
state_find_const(const struct state *st, int protocol, uint16_t internal_port,
    const struct netaddr *gateway)
{
	return state_find((struct state *)st, protocol, internal_port, gateway);
}

const struct map_record *
state_public_tcp(const struct state *st)
{
	const struct map_record *best = NULL;

	for (int i = 0; i < st->nmaps; i++) {
		const struct map_record *m = &st->maps[i];
		if (m->protocol != IPPROTO_TCP || m->via == VIA_ANY ||
		    m->gateway.family != AF_INET || !addr_is_public(&m->external))
			continue;
		if (best == NULL || (m->chain != 0 && best->chain == 0))
			best = m;	/* an upstream layer is the outer one */
	}
	return best;
}

struct ddns_state *
state_ddns(struct state *st, const char *name, int family)
{
	struct ddns_state *d;

	for (int i = 0; i < st->nddns; i++)
		if (st->ddns[i].family == family && !strcmp(st->ddns[i].name, name))
			return &st->ddns[i];
	if (st->nddns == STATE_MAX_DDNS)
		return NULL;
	d = &st->ddns[st->nddns++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->family = family;
	return d;
}

void
state_fold_ddns(struct state *st, void *arg)
{
	const struct ddns_state *from = arg;
	struct ddns_state *d = state_ddns(st, from->name, from->family);

	if (d != NULL)
		*d = *from;
}

const struct ddns_state *
state_ddns_peek(const struct state *st, const char *name, int family,
    struct ddns_state *empty)
{
	for (int i = 0; i < st->nddns; i++)
		if (st->ddns[i].family == family && !strcmp(st->ddns[i].name, name))
			return &st->ddns[i];
	memset(empty, 0, sizeof(*empty));
	snprintf(empty->name, sizeof(empty->name), "%s", name);
	empty->family = family;
	return empty;
}

void
state_remove(struct state *st, struct map_record *m)
{
	int i = (int)(m - st->maps);

	memmove(m, m + 1, sizeof(*m) * (size_t)(st->nmaps - i - 1));
	st->nmaps--;
}

/* A process's start time (field 22 of /proc/PID/stat), 0 if it is gone. */

/* m's own record in st: the same port on the same router, and for a
 * pinhole (an IPv6 router) for the same address. */
static struct map_record *
state_find_record(struct state *st, const struct map_record *m)
{
	for (int i = 0; i < st->nmaps; i++) {
		struct map_record *o = &st->maps[i];
		if (o->protocol == m->protocol &&
		    o->internal_port == m->internal_port &&
		    addr_equal(&o->gateway, &m->gateway) &&
		    (m->gateway.family != AF_INET6 ||
		    addr_equal(&o->external, &m->external)))
			return o;
	}
	return NULL;
}

void
state_store_new(struct state *st, void *arg)
{
	const struct map_record *m = arg;

	if (state_find_record(st, m) == NULL &&
	    st->nmaps < STATE_MAX_MAPPINGS)
		st->maps[st->nmaps++] = *m;
}

void
state_store(struct state *st, void *arg)
{
	const struct map_record *m = arg;
	struct map_record *old = state_find_record(st, m);

	if (old == NULL && st->nmaps < STATE_MAX_MAPPINGS)
		old = &st->maps[st->nmaps++];
	if (old != NULL)
		*old = *m;
}

void
state_disown(struct state *st, void *arg)
{
	const struct map_record *m0 = arg;
	struct map_record *m = state_find(st, m0->protocol,
	    m0->internal_port, &m0->gateway);

	if (m != NULL)
		m->owner_pid = 0, m->owner_start = 0;
}

state_change_fn *
state_way_change(enum wayin_change what)
{
	static state_change_fn *const change[] = {
		[WAYIN_INTEND] = state_store_new, [WAYIN_STORE] = state_store,
		[WAYIN_DROP] = state_drop, [WAYIN_DISOWN] = state_disown,
	};

	return change[what];
}

void
state_drop(struct state *st, void *arg)
{
	const struct map_record *m = arg;
	struct map_record *old = state_find_record(st, m);

	if (old != NULL)
		state_remove(st, old);
}
