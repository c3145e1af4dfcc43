/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 2136 UPDATE with TSIG (RFC 8945) through ldns: one message deletes
 * the RRset and adds the new record, so the name is never without one.
 * The answer must carry a TSIG that verifies against our request's MAC;
 * BADSIG and BADKEY stop the record (its key is wrong), BADTIME and
 * SERVFAIL back off, REFUSED and NOTAUTH stop. Runs on a worker thread.
 */
#include "ddns/provider.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "ddns/rfc2136.h"
#include "ddns/tsig.h"
#include "lib/base64.h"
#include "lib/resolve.h"
#include "lib/wire.h"

#define RFC2136_FUDGE		300
#define RFC2136_WAIT_MS		500	/* doubling: 0.5, 1, 2 s */
#define RFC2136_TRIES		3
#define TSIG_BADSIG		16	/* RFC 8945 section 4.3 */
#define TSIG_BADKEY		17
#define TSIG_BADTIME		18

/* "home.example.com" under zone: absolute names for ldns. */
static void
rfc2136_fqdn(const char *name, char *out, size_t len)
{
	size_t n = strlen(name);

	snprintf(out, len, "%s%s", name, n && name[n - 1] == '.' ? "" : ".");
}

ldns_rr *
rfc2136_delete_rr(const char *owner, int type)
{
	ldns_rr *rr = ldns_rr_new();

	ldns_rr_set_owner(rr, ldns_dname_new_frm_str(owner));
	ldns_rr_set_type(rr, (ldns_rr_type)type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_ANY);	/* delete the RRset */
	ldns_rr_set_ttl(rr, 0);
	return rr;
}

/* ldns leaks on its error path for a secret that is not base64: check. */
static bool
rfc2136_base64(const char *s)
{
	uint8_t key[sizeof(((struct secret *)0)->value)];
	bool ok = base64_decode(s, key, sizeof(key)) > 0;

	explicit_bzero(key, sizeof(key));
	return ok;
}

/* The UPDATE message of these changes to r's zone, signed; NULL with a
 * reason. */
static ldns_pkt *
rfc2136_sign(const struct ddns_config *r, const ldns_rr_list *updates,
    uint16_t id, struct ddns_answer *a)
{
	char zone[300], key[300], alg[48], why[160];
	const char *wire = tsig_wire_name(r->tsig_algorithm, why, sizeof(why));
	ldns_pkt *pkt;

	if (wire == NULL) {
		ddns_answer_set(a, FAULT_CONFIG, "bad-key", why);
		return NULL;
	}
	if (!rfc2136_base64(r->tsig_secret.value)) {
		ddns_answer_set(a, FAULT_CONFIG, "bad-key", "the TSIG secret is not base64");
		return NULL;
	}
	rfc2136_fqdn(r->zone, zone, sizeof(zone));
	rfc2136_fqdn(wire, alg, sizeof(alg));
	rfc2136_fqdn(r->tsig_key, key, sizeof(key));
	/* ldns copies the list into the packet. */
	pkt = ldns_update_pkt_new(ldns_dname_new_frm_str(zone), LDNS_RR_CLASS_IN,
	    NULL, (ldns_rr_list *)updates, NULL);
	ldns_pkt_set_id(pkt, id);
	if (ldns_pkt_tsig_sign(pkt, key, r->tsig_secret.value,
	    RFC2136_FUDGE, alg, NULL) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		ddns_answer_set(a, FAULT_CONFIG, "bad-key", "cannot sign with this TSIG "
		    "key (is the secret base64? the algorithm known?)");
		return NULL;
	}
	return pkt;
}

/* Delete the RRset of owner and type, and add the one record of text
 * (NULL: none, the RRset is only deleted). */
static int
rfc2136_replace(const char *owner, int type, const char *text,
    ldns_rr_list *updates)
{
	ldns_rr *add = NULL;

	if (text != NULL &&
	    ldns_rr_new_frm_str(&add, text, 0, NULL, NULL) != LDNS_STATUS_OK)
		return -1;
	ldns_rr_list_push_rr(updates, rfc2136_delete_rr(owner, type));
	if (add != NULL)
		ldns_rr_list_push_rr(updates, add);
	return 0;
}

/* Beside the A record, where each service is (RFC 2782), and for a web
 * site over TLS its port in an HTTPS record (RFC 9460: Firefox and Apple
 * honour it): written in the same message, so the name and its ports
 * change together. A service with no way in loses its record, and all
 * lose theirs when the address is withdrawn. */
static int
rfc2136_srv(const struct ddns_config *r, const struct ddns_target *t,
    const char *host, ldns_rr_list *updates)
{
	char owner[400], text[600], ip[ADDR_STRLEN];
	bool gone = t->withdraw || t->https_port == 0;

	if (t->https_port != 0 || t->https_gone) {
		snprintf(text, sizeof(text), "%s %u IN HTTPS 1 . port=%u "
		    "ipv4hint=%s", host, r->ttl, t->https_port,
		    addr_ntop(&t->addr, ip, sizeof(ip)));
		if (rfc2136_replace(host, LDNS_RR_TYPE_HTTPS, gone ? NULL : text,
		    updates) < 0)
			return -1;
	}
	for (int i = 0; i < t->nsrv; i++) {
		const struct ddns_srv *s = &t->srv[i];
		snprintf(owner, sizeof(owner), "_%s._%s.%s", s->service,
		    s->protocol == IPPROTO_UDP ? "udp" : "tcp", host);
		snprintf(text, sizeof(text), "%s %u IN SRV 0 0 %u %s", owner,
		    r->ttl, s->port, host);
		if (rfc2136_replace(owner, LDNS_RR_TYPE_SRV,
		    t->withdraw || s->port == 0 ? NULL : text, updates) < 0)
			return -1;
	}
	return 0;
}

/* Delete the RRset, add the address (and the SRV records beside an A):
 * r's changes, onto updates; withdrawn: only deleted. */
static int
rfc2136_records(const struct ddns_config *r, const struct ddns_target *t,
    ldns_rr_list *updates, struct ddns_answer *a)
{
	char owner[300], text[600], ip[ADDR_STRLEN];
	const struct netaddr *addr = &t->addr;

	rfc2136_fqdn(r->hostname, owner, sizeof(owner));
	snprintf(text, sizeof(text), "%s %u IN %s %s", owner, r->ttl,
	    addr->family == AF_INET6 ? "AAAA" : "A", addr_ntop(addr, ip, sizeof(ip)));
	if (rfc2136_replace(owner, addr->family == AF_INET6 ? LDNS_RR_TYPE_AAAA :
	    LDNS_RR_TYPE_A, t->withdraw ? NULL : text, updates) < 0 ||
	    (addr->family == AF_INET && rfc2136_srv(r, t, owner, updates) < 0)) {
		ddns_answer_set(a, FAULT_CONFIG, "bad-name", "the host name is not a "
		    "valid DNS name");
		return -1;
	}
	return 0;
}

/* The UPDATE (delete the RRset, add the target) with message id. */
ldns_pkt *
rfc2136_build(const struct ddns_config *r, const struct ddns_target *t,
    uint16_t id, struct ddns_answer *a)
{
	ldns_rr_list *updates = ldns_rr_list_new();
	ldns_pkt *pkt = NULL;

	if (rfc2136_records(r, t, updates, a) == 0)
		pkt = rfc2136_sign(r, updates, id, a);
	ldns_rr_list_deep_free(updates);	/* the packet holds copies */
	return pkt;
}

/* A socket connected to the server (host[:port], port 53 by default). */
static int
rfc2136_connect(const char *server, int type, struct ddns_answer *a)
{
	char host[256], why[REASON_LEN], port[8];
	struct addrinfo hints = { .ai_socktype = type }, *ai = NULL;
	uint16_t p;
	int fd = -1;

	if (resolve_split(server, 53, host, sizeof(host), &p, why, sizeof(why)) < 0) {
		ddns_answer_set(a, FAULT_CONFIG, "bad-server", why);
		return -1;
	}
	snprintf(port, sizeof(port), "%u", p);
	if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL) {
		ddns_answer_set(a, FAULT_NETWORK, "network", "cannot resolve the server");
		return -1;
	}
	fd = socket(ai->ai_family, type | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		ddns_answer_set(a, FAULT_NETWORK, "network", strerror(errno));
	return fd;
}

static bool
rfc2136_wait(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* UDP: send, wait, resend with a doubling wait (a lost first datagram,
 * as when a new address's route is not there yet, costs half a second,
 * not three); the update is idempotent, so a resend is harmless.
 * Returns the answer's length or -1. */
static ssize_t
rfc2136_udp(int fd, const uint8_t *wire, size_t len, uint8_t *buf, size_t cap)
{
	for (int i = 0; i < RFC2136_TRIES; i++) {
		if (send(fd, wire, len, 0) < 0)
			return -1;
		if (rfc2136_wait(fd, RFC2136_WAIT_MS << i))
			return recv(fd, buf, cap, 0);
	}
	return -1;
}

static bool
rfc2136_read_all(int fd, uint8_t *buf, size_t len)
{
	for (size_t got = 0; got < len; ) {
		ssize_t n = rfc2136_wait(fd, 3000) ? recv(fd, buf + got, len - got, 0) : -1;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* TCP, for an answer that did not fit (RFC 1035 section 4.2.2). */
static ssize_t
rfc2136_tcp(int fd, const uint8_t *wire, size_t len, uint8_t *buf, size_t cap)
{
	uint8_t pre[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	size_t n;

	if (send(fd, pre, 2, MSG_MORE) != 2 || send(fd, wire, len, 0) != (ssize_t)len ||
	    !rfc2136_read_all(fd, pre, 2))
		return -1;
	n = wire_get16(pre);
	return n <= cap && rfc2136_read_all(fd, buf, n) ? (ssize_t)n : -1;
}

static ssize_t
rfc2136_exchange(const struct ddns_config *r, const uint8_t *wire, size_t len,
    uint8_t *buf, size_t cap, bool tcp, struct ddns_answer *a)
{
	int fd = rfc2136_connect(r->server, tcp ? SOCK_STREAM : SOCK_DGRAM, a);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = tcp ? rfc2136_tcp(fd, wire, len, buf, cap) :
	    rfc2136_udp(fd, wire, len, buf, cap);
	close(fd);
	if (n < 0)
		ddns_answer_set(a, FAULT_NETWORK, "timeout", "no answer from the DNS server");
	return n;
}

static const char *
rfc2136_tsig_error(uint16_t e)
{
	return e == TSIG_BADSIG ? "BADSIG" : e == TSIG_BADKEY ? "BADKEY" :
	    e == TSIG_BADTIME ? "BADTIME" : "TSIG-error";
}

/* What the server's answer means. */
static void
rfc2136_judge(const struct ddns_config *r, ldns_pkt *ans, const uint8_t *wire,
    size_t len, const ldns_rdf *mac, struct ddns_answer *a)
{
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(ans);
	ldns_rr *tsig = ldns_pkt_tsig(ans);
	char key[300], *name;
	uint16_t terr = tsig && ldns_rr_rd_count(tsig) > 5 ?
	    ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5)) : 0;

	if (terr != 0) {	/* RFC 8945 5.3: such answers are not signed */
		ddns_answer_set(a, terr == TSIG_BADTIME ? FAULT_CLOCK : FAULT_AUTH,
		    rfc2136_tsig_error(terr), terr == TSIG_BADTIME ? "the clocks "
		    "differ by more than the fudge" : "the server does not accept "
		    "this TSIG key or secret");
		return;
	}
	rfc2136_fqdn(r->tsig_key, key, sizeof(key));
	if (tsig == NULL && (rc == LDNS_RCODE_REFUSED || rc == LDNS_RCODE_NOTAUTH)) {
		/* RFC 8945 5.2 wants BADKEY; PowerDNS refuses, unsigned. */
		ddns_answer_set(a, FAULT_UNSIGNED_REFUSAL, "REFUSED-unsigned",
		    "refused, unsigned: the server likely does not know this TSIG "
		    "key (its name, algorithm or secret)");
		return;
	}
	if (tsig == NULL || !ldns_pkt_tsig_verify(ans, wire, len, key,
	    r->tsig_secret.value, mac)) {
		ddns_answer_set(a, FAULT_SERVER, "unsigned", tsig ? "the answer's TSIG "
		    "does not verify" : "the answer is not signed");
		return;
	}
	name = ldns_pkt_rcode2str(rc);
	if (rc == LDNS_RCODE_NOERROR)
		ddns_answer_set(a, FAULT_NONE, "NOERROR", "updated");
	else if (rc == LDNS_RCODE_SERVFAIL)
		ddns_answer_set(a, FAULT_SERVER, name, "the server failed");
	else
		ddns_answer_set(a, FAULT_REFUSED, name, "the server refused the update");
	free(name);
}

/* Send a signed UPDATE and judge the answer. */
static void
rfc2136_send(const struct ddns_config *r, ldns_pkt *pkt, uint16_t id,
    struct ddns_answer *a)
{
	uint8_t buf[65535], *wire = NULL;
	size_t len = 0;
	ssize_t n;
	ldns_pkt *ans = NULL;

	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK) {
		ddns_answer_set(a, FAULT_SERVER, "local-error", "cannot encode the update");
		goto out;
	}
	n = rfc2136_exchange(r, wire, len, buf, sizeof(buf), false, a);
	if (n >= 12 && (buf[2] & 0x02))		/* TC: again over TCP */
		n = rfc2136_exchange(r, wire, len, buf, sizeof(buf), true, a);
	if (n < 0)
		goto out;
	if (ldns_wire2pkt(&ans, buf, (size_t)n) != LDNS_STATUS_OK ||
	    ldns_pkt_id(ans) != id || !ldns_pkt_qr(ans)) {
		ddns_answer_set(a, FAULT_SERVER, "bad-answer", "the answer is not one "
		    "to our update");
		goto out;
	}
	rfc2136_judge(r, ans, buf, (size_t)n,
	    ldns_rr_rdf(ldns_pkt_tsig(pkt), 3), a);
out:
	free(wire);
	if (ans)
		ldns_pkt_free(ans);
}

static uint16_t
rfc2136_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		abort();	/* no CSPRNG: nothing safe to do */
	return id;
}

void
rfc2136_commit(const struct ddns_config *r, const ldns_rr_list *updates,
    struct ddns_answer *a)
{
	uint16_t id = rfc2136_id();
	ldns_pkt *pkt = rfc2136_sign(r, updates, id, a);

	if (pkt != NULL) {
		rfc2136_send(r, pkt, id, a);
		ldns_pkt_free(pkt);
	}
}

void
rfc2136_update(const struct ddns_config *r, const struct ddns_target *t,
    struct ddns_answer *a)
{
	ldns_rr_list *updates = ldns_rr_list_new();

	if (rfc2136_records(r, t, updates, a) == 0)
		rfc2136_commit(r, updates, a);
	ldns_rr_list_deep_free(updates);
}
