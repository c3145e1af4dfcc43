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
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "ddns/provider.h"
#include "ddns/redirect/redirdns.h"
#include "ddns/rfc2136.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/resolve.h"

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
    struct redirect_user *out)
{
	char line[1024], why[REASON_LEN];
	FILE *f = file_fopen_regular(path, why, sizeof(why));
	int rc = -1;

	if (f == NULL) {
		log_warnx("users_file %s", why);
		return -1;
	}
	while (rc < 0 && fgets(line, sizeof(line), f) != NULL)
		if (redirect_user_parse(line, out) == 0 &&
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

/* One blocking question to the authoritative server. */
static int
redirreg_ask(const char *server, const char *qname, int type,
    struct redirdns_answer *a)
{
	char host[256], port[8];
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;
	uint8_t wire[512], buf[4096];
	uint16_t p, id;
	int fd, len = -1, rc = -1;

	if (resolve_split(server, 53, host, sizeof(host), &p, NULL, 0) < 0)
		return -1;
	snprintf(port, sizeof(port), "%u", p);
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
	    getrandom(&id, sizeof(id), 0) == sizeof(id) &&
	    (len = redirdns_query(qname, type, id, wire, sizeof(wire))) > 0) {
		for (int i = 0; i < 3 && rc < 0; i++) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };
			ssize_t n;
			if (send(fd, wire, (size_t)len, 0) < 0 || poll(&pf, 1, 500 << i) != 1)
				continue;
			if ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
				rc = redirdns_parse(buf, (size_t)n, id, a);
		}
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

struct redirreg_host {
	const char *name;
	char target[300];
	uint16_t port;
	struct netaddr addr[2];		/* to publish: v4, v6 */
};

enum redirreg_now { REG_SAME, REG_DIFFERENT, REG_UNKNOWN };

/* Does DNS hold this already? Also fills the port when none was asked:
 * the one registered before, or 80. Without an answer, nothing is known
 * (and no port is guessed over one that may be there). */
static enum redirreg_now
redirreg_current(const struct redirreg_job *j, struct redirreg_host *h)
{
	char q[320];
	struct redirdns_answer a;
	bool same;

	snprintf(q, sizeof(q), "_http._tcp.%s.", h->name);
	if (redirreg_ask(j->cfg->dns_server, q, REDIRDNS_SRV, &a) < 0 ||
	    (a.rcode != 0 && a.rcode != 3))
		return REG_UNKNOWN;
	if (!a.srv) {
		h->port = h->port ? h->port : 80;
		return REG_DIFFERENT;
	}
	if (h->port == 0)
		h->port = a.port;
	same = a.port == h->port && !strcasecmp(a.target, h->target);
	for (int f = 0; f < 2 && same; f++) {
		if (h->addr[f].family == 0)
			continue;
		snprintf(q, sizeof(q), "%s.", h->target);
		same = redirreg_ask(j->cfg->dns_server, q, f ? REDIRDNS_AAAA :
		    REDIRDNS_A, &a) == 0 && addr_equal(&a.addr, &h->addr[f]);
	}
	return same ? REG_SAME : REG_DIFFERENT;
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

/* One UPDATE: the SRV record and the target's addresses, replaced. */
static void
redirreg_write(const struct redirreg_job *j, const struct redirreg_host *h,
    struct ddns_answer *a)
{
	struct ddns_config r;
	char srv[320], tgt[310], ip[ADDR_STRLEN];
	ldns_rr_list *list = ldns_rr_list_new();
	ldns_rr *rr;
	bool ok = true;

	redirreg_shim(j->cfg, &r);
	snprintf(srv, sizeof(srv), "_http._tcp.%s.", h->name);
	snprintf(tgt, sizeof(tgt), "%s.", h->target);

	ldns_rr_list_push_rr(list, rfc2136_delete_rr(srv, LDNS_RR_TYPE_SRV));
	if ((rr = redirreg_rr("%s %u IN SRV 0 0 %u %s", srv, r.ttl, h->port, tgt)))
		ldns_rr_list_push_rr(list, rr);
	ok &= rr != NULL;
	for (int f = 0; f < 2; f++) {
		if (h->addr[f].family == 0)
			continue;
		ldns_rr_list_push_rr(list, rfc2136_delete_rr(tgt, f ?
		    LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A));
		if ((rr = redirreg_rr("%s %u IN %s %s", tgt, r.ttl, f ? "AAAA" :
		    "A", addr_ntop(&h->addr[f], ip, sizeof(ip)))))
			ldns_rr_list_push_rr(list, rr);
		ok &= rr != NULL;
	}
	if (ok)		/* never the deletions alone */
		rfc2136_commit(&r, list, a);
	else
		ddns_answer_set(a, DDNS_STOP, "bad-name", "the name is too long "
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

static void
redirreg_host(struct redirreg_job *j, const char *name)
{
	struct redirreg_host h = { .name = name, .port = j->u.port };
	struct ddns_answer a = { 0 };
	char ip[ADDR_STRLEN], line[80];

	snprintf(h.target, sizeof(h.target), "%s.%s", j->cfg->target_prefix, name);
	if (!redirreg_in_zone(name, j->cfg->zone)) {
		redirreg_say(j, "nohost", "%s: not under zone %s", name, j->cfg->zone);
		return;
	}
	if (!redirreg_addrs(j, &h)) {
		redirreg_say(j, "dnserr", "%s: refused: not a public address", name);
		return;
	}
	addr_ntop(h.addr[0].family ? &h.addr[0] : &h.addr[1], ip, sizeof(ip));
	switch (redirreg_current(j, &h)) {
	case REG_SAME:
		snprintf(line, sizeof(line), "nochg %s", ip);
		redirreg_say(j, line, "%s: nochg %s port %u", name, ip, h.port);
		return;
	case REG_UNKNOWN:
		redirreg_say(j, "dnserr", "%s: the DNS server did not answer", name);
		return;
	default:
		break;
	}
	redirreg_write(j, &h, &a);
	snprintf(line, sizeof(line), a.outcome == DDNS_OK ? "good %s" : "dnserr", ip);
	redirreg_say(j, line, "%s: %s %s port %u (%s)", name, a.outcome ==
	    DDNS_OK ? "good" : "not written:", ip, h.port, a.result);
}

void
redirreg_work(void *arg)
{
	struct redirreg_job *j = arg;
	bool ok[REDIRECT_MAX_HOSTS] = { false }, any = false;

	for (int i = 0; i < j->u.nhosts; i++) {
		struct redirect_user u;
		bool found = redirreg_find(j->cfg->users_file, j->u.hosts[i],
		    j->user, &u) == 0;
		ok[i] = redirreg_check(j->pass, found ? u.hash : REDIRREG_DUMMY_HASH)
		    && found;
		any |= ok[i];
	}
	explicit_bzero(j->pass, sizeof(j->pass));
	j->auth_failed = !any;
	if (!any) {
		redirreg_say(j, "badauth", "user %s: bad credentials", j->user);
		return;
	}
	for (int i = 0; i < j->u.nhosts; i++) {
		if (ok[i])
			redirreg_host(j, j->u.hosts[i]);
		else
			redirreg_say(j, "nohost", "%s: not a host of user %s",
			    j->u.hosts[i], j->user);
	}
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
