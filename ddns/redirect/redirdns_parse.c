/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Answers to the redirect server's lookups (RFC 1035 section 4.1), read
 * here rather than by ldns: ldns_wire2pkt leaks the records of a packet
 * that carries two TSIG records (the fuzzer found it in a second), and
 * these answers come from the network. Every length is checked against
 * the packet, compression pointers are followed at most 16 times, and
 * only what answers our question counts: the id must match, the QR bit
 * be set; an address is taken from the answer section, or from the
 * additional section when it belongs to the SRV target (RFC 2782 says a
 * server should add it there). Pure.
 */
#include "ddns/redirect/redirdns.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "lib/wire.h"

#define DNS_T_A		1
#define DNS_T_SOA	6
#define DNS_T_AAAA	28
#define DNS_T_SRV	33
#define DNS_MAX_JUMPS	16

struct dns_rr {
	char owner[256];
	uint16_t type;
	uint32_t ttl;
	size_t rdata, rdlen;		/* offset and length in the packet */
};

/* Append one label, lowercased; host-name characters only. */
static int
dns_label(const uint8_t *l, size_t n, char *out, size_t *o, size_t cap)
{
	if (*o + n + 2 > cap)
		return -1;
	if (*o > 0)
		out[(*o)++] = '.';
	for (size_t i = 0; i < n; i++) {
		if (!isalnum(l[i]) && l[i] != '-' && l[i] != '_')
			return -1;
		out[(*o)++] = (char)tolower(l[i]);
	}
	return 0;
}

/* The name at *pos, dotted, without the final dot; *pos moves past it. */
static int
dns_name(const uint8_t *w, size_t len, size_t *pos, char *out, size_t cap)
{
	size_t p = *pos, o = 0;
	int jumps = 0;

	out[0] = '\0';
	while (p < len && w[p] != 0) {
		uint8_t c = w[p];
		if ((c & 0xc0) == 0xc0) {	/* a pointer: the rest is there */
			if (p + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return -1;
			if (jumps == 1)
				*pos = p + 2;
			p = (size_t)(c & 0x3f) << 8 | w[p + 1];
			continue;
		}
		if ((c & 0xc0) != 0 || p + 1 + c > len ||
		    dns_label(w + p + 1, c, out, &o, cap) < 0)
			return -1;
		p += 1 + (size_t)c;
	}
	if (p >= len)
		return -1;
	if (jumps == 0)
		*pos = p + 1;
	out[o] = '\0';
	return 0;
}

static int
dns_rr(const uint8_t *w, size_t len, size_t *pos, struct dns_rr *rr)
{
	if (dns_name(w, len, pos, rr->owner, sizeof(rr->owner)) < 0 ||
	    *pos + 10 > len)
		return -1;
	rr->type = wire_get16(w + *pos);
	rr->ttl = wire_get32(w + *pos + 4);
	rr->rdlen = wire_get16(w + *pos + 8);
	rr->rdata = *pos + 10;
	if (rr->rdata + rr->rdlen > len)
		return -1;
	*pos = rr->rdata + rr->rdlen;
	return 0;
}

static void
redirdns_ttl(struct redirdns_answer *a, uint32_t ttl)
{
	if (a->ttl == 0 || ttl < a->ttl)
		a->ttl = ttl;
}

static void
redirdns_addr(struct redirdns_answer *a, const uint8_t *w, const struct dns_rr *rr)
{
	size_t want = rr->type == DNS_T_A ? 4 : 16;

	if (a->addr.family != 0 || rr->rdlen != want)
		return;
	a->addr.family = want == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr.bytes, w + rr->rdata, want);
	redirdns_ttl(a, rr->ttl);
}

static void
redirdns_srv(struct redirdns_answer *a, const uint8_t *w, size_t len,
    const struct dns_rr *rr)
{
	size_t p = rr->rdata + 6;

	if (a->srv || rr->rdlen < 7 ||
	    dns_name(w, len, &p, a->target, sizeof(a->target)) < 0 ||
	    p != rr->rdata + rr->rdlen || a->target[0] == '\0') {
		a->target[0] = '\0';
		return;
	}
	a->srv = true;
	a->port = wire_get16(w + rr->rdata + 4);
	redirdns_ttl(a, rr->ttl);
}

/* RFC 2308 section 5: a negative answer lives min(SOA TTL, MINIMUM). */
static void
redirdns_soa(struct redirdns_answer *a, const uint8_t *w, size_t len,
    const struct dns_rr *rr)
{
	char skip[256];
	size_t p = rr->rdata;

	if (dns_name(w, len, &p, skip, sizeof(skip)) < 0 ||
	    dns_name(w, len, &p, skip, sizeof(skip)) < 0 ||
	    p + 20 != rr->rdata + rr->rdlen)
		return;
	redirdns_ttl(a, rr->ttl);
	redirdns_ttl(a, wire_get32(w + p + 16));
}

static void
redirdns_take(struct redirdns_answer *a, const uint8_t *w, size_t len,
    const struct dns_rr *rr, int section)
{
	bool addr = rr->type == DNS_T_A || rr->type == DNS_T_AAAA;

	if (section == 0 && rr->type == DNS_T_SRV)
		redirdns_srv(a, w, len, rr);
	else if (addr && (section == 0 || (section == 2 && a->srv &&
	    !strcmp(rr->owner, a->target))))
		redirdns_addr(a, w, rr);
	else if (rr->type == DNS_T_SOA && section < 2)
		redirdns_soa(a, w, len, rr);
}

int
redirdns_query(const char *name, int type, uint16_t id, uint8_t *buf,
    size_t cap)
{
	size_t o = 12, n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || cap < 12 + n + 2 + 4)
		return -1;
	memset(buf, 0, 12);
	wire_put16(buf, id);
	buf[5] = 1;			/* one question; RD clear: authoritative */
	for (size_t i = 0; i <= n; ) {
		size_t l = strcspn(name + i, ".");
		if (l > n - i)
			l = n - i;
		if (l == 0 || l > 63)
			return -1;
		buf[o++] = (uint8_t)l;
		memcpy(buf + o, name + i, l);
		o += l;
		i += l + 1;
	}
	buf[o++] = 0;
	wire_put16(buf + o, (uint16_t)type);
	wire_put16(buf + o + 2, 1);	/* IN */
	return (int)(o + 4);
}

int
redirdns_parse(const uint8_t *wire, size_t len, uint16_t id,
    struct redirdns_answer *a)
{
	size_t pos = 12;
	struct dns_rr rr;
	char q[256];

	memset(a, 0, sizeof(*a));
	if (len < 12 || wire_get16(wire) != id || !(wire[2] & 0x80))
		return -1;
	a->rcode = wire[3] & 0x0f;
	for (int i = 0; i < wire_get16(wire + 4); i++)
		if (dns_name(wire, len, &pos, q, sizeof(q)) < 0 || (pos += 4) > len)
			return -1;
	for (int s = 0; s < 3; s++)
		for (int i = 0; i < wire_get16(wire + 6 + 2 * s); i++) {
			if (dns_rr(wire, len, &pos, &rr) < 0)
				return s == 0 ? -1 : 0;	/* keep what was read */
			redirdns_take(a, wire, len, &rr, s);
		}
	return 0;
}
