/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A registration, on a worker thread. The users file is read for each
 * one (it is small, and `passwd` may have changed it); a password is
 * checked with crypt(3) even for a user that does not exist, so the time
 * an answer takes does not tell which names are there. Then, per host:
 * what DNS holds now (the SRV record and the target's address), and if
 * that differs from what was asked, one signed UPDATE that replaces both.
 */
#include "ddns/redirect/redirreg.h"

#include <crypt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "ddns/provider.h"
#include "ddns/redirect/redirdns.h"
#include "ddns/rfc2136.h"
#include "lib/file.h"
#include "lib/log.h"

#define REDIRREG_MAX_USERS	4096
/* Checked when the user is unknown, so that costs the same. */
#define REDIRREG_DUMMY_HASH \
	"$y$j9T$p267Q2PQQUS3w6Pr3j0La0$7cCQvfQnQcMCHhn9opZpUHUHUeyF4YVLcFhFdO7rEcB"

static bool
redirreg_same(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	unsigned char d = n != m;

	for (size_t i = 0; i < n && i < m; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static bool
redirreg_check(const char *pass, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *out = cd ? crypt_r(pass, hash, cd) : NULL;
	bool ok = out != NULL && out[0] != '*' && redirreg_same(out, hash);

	if (cd != NULL) {
		explicit_bzero(cd, sizeof(*cd));
		free(cd);
	}
	return ok;
}

/* The users file entry of host for user, or -1. */
static int
redirreg_find(const char *path, const char *host, const char *user,
    struct redirparse_user *out)
{
	char line[1024], why[REASON_LEN];
	FILE *f = file_fopen_regular(path, why, sizeof(why));
	int rc = -1;

	if (f == NULL) {
		log_warnx("users_file %s", why);
		return -1;
	}
	while (rc < 0 && fgets(line, sizeof(line), f) != NULL)
		if (redirparse_user(line, out) == 0 &&
		    !strcasecmp(out->host, host) && !strcmp(out->user, user))
			rc = 0;
	fclose(f);
	return rc;
}

/* The redirect server's DNS settings as a record, for rfc2136.c. */
static void
redirreg_shim(const struct redirect_config *c, struct ddns_config *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->server, sizeof(r->server), "%s", c->dns_server);
	snprintf(r->zone, sizeof(r->zone), "%s", c->zone);
	snprintf(r->tsig_key, sizeof(r->tsig_key), "%s", c->tsig_key);
	snprintf(r->tsig_algorithm, sizeof(r->tsig_algorithm), "%s",
	    c->tsig_algorithm);
	r->tsig_secret = c->tsig_secret;
	r->ttl = c->ttl;
}

static void redirreg_look_next(struct redirreg_job *j);

/* Host i is known now: on to the next. */
static void
redirreg_known(struct redirreg_job *j, enum redirreg_state st)
{
	j->host[j->looking].state = st;
	j->looking++;
	j->step = 0;
	redirreg_look_next(j);
}

/* The SRV record _http._tcp.NAME: its port fills one not asked for (the
 * one registered before, or 80). Without an answer, nothing is known (and
 * no port is guessed over one that may be there). */
static void
redirreg_on_srv(struct redirreg_job *j, struct redirreg_host *h,
    const struct redirdns_answer *a)
{
	if (a == NULL || (a->rcode != 0 && a->rcode != 3)) {
		redirreg_known(j, REG_UNKNOWN);
		return;
	}
	if (!a->srv) {
		h->port = h->port ? h->port : 80;
		redirreg_known(j, REG_DIFFERENT);
		return;
	}
	if (h->port == 0)
		h->port = a->port;
	if (a->port != h->port || strcasecmp(a->target, h->target) != 0) {
		redirreg_known(j, REG_DIFFERENT);
		return;
	}
	j->step = 1;
	redirreg_look_next(j);
}

static void
redirreg_on_answer(const struct redirdns_answer *a, void *arg)
{
	struct redirreg_job *j = arg;
	struct redirreg_host *h = &j->host[j->looking];
	int f = j->step - 1;

	if (j->step == 0) {
		redirreg_on_srv(j, h, a);
		return;
	}
	if (a == NULL || !addr_equal(&a->addr, &h->addr[f])) {
		redirreg_known(j, REG_DIFFERENT);
		return;
	}
	j->step++;
	redirreg_look_next(j);
}

/* The next question for the host being looked at: its SRV record, then
 * the target's address of each family to publish. */
static void
redirreg_look_next(struct redirreg_job *j)
{
	struct redirreg_host *h;
	char q[320];

	while (j->looking < j->u.nhosts &&
	    j->host[j->looking].state != REG_LOOKING)
		j->looking++;
	if (j->looking == j->u.nhosts) {
		j->looked(j->looked_arg);
		return;
	}
	h = &j->host[j->looking];
	while (j->step > 0 && j->step <= 2 && h->addr[j->step - 1].family == 0)
		j->step++;
	if (j->step > 2) {
		redirreg_known(j, REG_SAME);
		return;
	}
	if (j->step == 0)
		snprintf(q, sizeof(q), "_http._tcp.%s.", j->u.hosts[j->looking]);
	else
		snprintf(q, sizeof(q), "%s.", h->target);
	if (redirdns_ask(j->dns, q, j->step == 0 ? REDIRDNS_SRV : j->step == 1 ?
	    REDIRDNS_A : REDIRDNS_AAAA, redirreg_on_answer, j) < 0)
		redirreg_on_answer(NULL, j);
}

static ldns_rr *
redirreg_rr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static ldns_rr *
redirreg_rr(const char *fmt, ...)
{
	char text[700];
	ldns_rr *rr = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) == LDNS_STATUS_OK ?
	    rr : NULL;
}

/* One UPDATE: the SRV record and the target's addresses, replaced (or,
 * offline, deleted: visitors are no longer sent where nothing answers). */
static void
redirreg_write(const struct redirreg_job *j, const char *name,
    const struct redirreg_host *h, struct ddns_answer *a)
{
	struct ddns_config r;
	char srv[320], tgt[310], ip[ADDR_STRLEN];
	ldns_rr_list *list = ldns_rr_list_new();
	ldns_rr *rr;
	bool ok = true;

	redirreg_shim(j->cfg, &r);
	snprintf(srv, sizeof(srv), "_http._tcp.%s.", name);
	snprintf(tgt, sizeof(tgt), "%s.", h->target);

	ldns_rr_list_push_rr(list, rfc2136_delete_rr(srv, LDNS_RR_TYPE_SRV));
	if (!j->u.offline &&
	    (rr = redirreg_rr("%s %u IN SRV 0 0 %u %s", srv, r.ttl, h->port, tgt)))
		ldns_rr_list_push_rr(list, rr);
	ok &= j->u.offline || rr != NULL;
	for (int f = 0; f < 2; f++) {
		if (h->addr[f].family == 0 && !j->u.offline)
			continue;
		ldns_rr_list_push_rr(list, rfc2136_delete_rr(tgt, f ?
		    LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A));
		if (j->u.offline)
			continue;
		if ((rr = redirreg_rr("%s %u IN %s %s", tgt, r.ttl, f ? "AAAA" :
		    "A", addr_ntop(&h->addr[f], ip, sizeof(ip)))))
			ldns_rr_list_push_rr(list, rr);
		ok &= rr != NULL;
	}
	if (ok)		/* never the deletions alone, unless offline */
		rfc2136_commit(&r, list, a);
	else
		ddns_answer_set(a, FAULT_CONFIG, "bad-name", "the name is too long "
		    "for its target");
	ldns_rr_list_deep_free(list);
	explicit_bzero(&r, sizeof(r));
}

/* Is name the zone or under it? */
static bool
redirreg_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	while (z > 0 && zone[z - 1] == '.')
		z--;
	return z > 0 && n >= z && !strncasecmp(name + n - z, zone, z) &&
	    (n == z || name[n - z - 1] == '.');
}

static void
redirreg_say(struct redirreg_job *j, const char *line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
redirreg_say(struct redirreg_job *j, const char *line, const char *fmt, ...)
{
	size_t n = strlen(j->reply), m = strlen(j->log);
	va_list ap;

	snprintf(j->reply + n, sizeof(j->reply) - n, "%s\n", line);
	va_start(ap, fmt);
	if (m < sizeof(j->log) - 1) {
		vsnprintf(j->log + m, sizeof(j->log) - m - 1, fmt, ap);
		strcat(j->log, "\n");
	}
	va_end(ap);
}

/* The addresses to publish: myip, else where the request came from. */
static bool
redirreg_addrs(const struct redirreg_job *j, struct redirreg_host *h)
{
	h->addr[0] = j->u.myip[0];
	h->addr[1] = j->u.myip[1];
	if (!h->addr[0].family && !h->addr[1].family)
		h->addr[j->source.family == AF_INET6] = j->source;
	for (int f = 0; f < 2; f++)
		if (h->addr[f].family && !addr_is_public(&h->addr[f]))
			return false;
	return true;
}

void
redirreg_auth(void *arg)
{
	struct redirreg_job *j = arg;

	j->auth_failed = true;
	for (int i = 0; i < j->u.nhosts; i++) {
		struct redirparse_user u;
		bool found = redirreg_find(j->cfg->users_file, j->u.hosts[i],
		    j->user, &u) == 0;
		bool ok = redirreg_check(j->pass, found ? u.hash :
		    REDIRREG_DUMMY_HASH) && found;
		j->host[i].state = ok ? REG_LOOKING : REG_NOAUTH;
		j->auth_failed &= !ok;
	}
	explicit_bzero(j->pass, sizeof(j->pass));
}

void
redirreg_look(struct redirreg_job *j, struct redirdns *dns,
    void (*looked)(void *), void *arg)
{
	j->dns = dns;
	j->looked = looked;
	j->looked_arg = arg;
	j->looking = j->step = 0;
	for (int i = 0; i < j->u.nhosts; i++) {
		struct redirreg_host *h = &j->host[i];
		if (h->state != REG_LOOKING)
			continue;
		h->port = j->u.port;
		snprintf(h->target, sizeof(h->target), "%s.%s",
		    j->cfg->target_prefix, j->u.hosts[i]);
		if (!redirreg_in_zone(j->u.hosts[i], j->cfg->zone))
			h->state = REG_NOZONE;
		else if (!redirreg_addrs(j, h) && !j->u.offline)
			h->state = REG_NOTPUBLIC;
		else if (j->u.offline)
			h->state = REG_DIFFERENT;	/* deleted, whatever is there */
	}
	redirreg_look_next(j);
}

bool
redirreg_writes(const struct redirreg_job *j)
{
	for (int i = 0; i < j->u.nhosts; i++)
		if (j->host[i].state == REG_DIFFERENT)
			return true;
	return false;
}

/* Host i's line of the reply, and of the log; its UPDATE if it needs one. */
static void
redirreg_finish_host(struct redirreg_job *j, int i)
{
	const char *name = j->u.hosts[i];
	struct redirreg_host *h = &j->host[i];
	struct ddns_answer a = { 0 };
	char ip[ADDR_STRLEN], line[80];

	addr_ntop(h->addr[0].family ? &h->addr[0] : &h->addr[1], ip, sizeof(ip));
	switch (h->state) {
	case REG_NOAUTH:
		redirreg_say(j, "nohost", "%s: not a host of user %s", name,
		    j->user);
		return;
	case REG_NOZONE:
		redirreg_say(j, "nohost", "%s: not under zone %s", name,
		    j->cfg->zone);
		return;
	case REG_NOTPUBLIC:
		redirreg_say(j, "dnserr", "%s: refused: not a public address",
		    name);
		return;
	case REG_SAME:
		snprintf(line, sizeof(line), "nochg %s", ip);
		redirreg_say(j, line, "%s: nochg %s port %u", name, ip, h->port);
		return;
	case REG_DIFFERENT:
		break;
	default:
		redirreg_say(j, "dnserr", "%s: the DNS server did not answer",
		    name);
		return;
	}
	redirreg_write(j, name, h, &a);
	snprintf(line, sizeof(line), a.outcome == DDNS_OK ? "good %s" : "dnserr", ip);
	if (j->u.offline)
		redirreg_say(j, line, "%s: %s (%s)", name, a.outcome == DDNS_OK ?
		    "offline: its records deleted" : "not written:", a.result);
	else
		redirreg_say(j, line, "%s: %s %s port %u (%s)", name, a.outcome ==
		    DDNS_OK ? "good" : "not written:", ip, h->port, a.result);
}

void
redirreg_finish(void *arg)
{
	struct redirreg_job *j = arg;

	if (j->auth_failed) {
		redirreg_say(j, "badauth", "user %s: bad credentials", j->user);
		return;
	}
	for (int i = 0; i < j->u.nhosts; i++)
		redirreg_finish_host(j, i);
}

int
redirreg_entry(const char *host, const char *user, const char *password,
    char *line, size_t len, char *why, size_t wlen)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	const char *hash = cd && salt ? crypt_r(password, salt, cd) : NULL;
	int rc = -1;

	if (hash == NULL || hash[0] == '*')
		snprintf(why, wlen, "cannot hash the password: %s", strerror(errno));
	else if (snprintf(line, len, "%s:%s:%s", host, user, hash) >= (int)len)
		snprintf(why, wlen, "the entry is too long");
	else
		rc = 0;
	free(salt);
	if (cd != NULL) {
		explicit_bzero(cd, sizeof(*cd));
		free(cd);
	}
	return rc;
}
