/*
 * Queries and answers for the redirect server's lookups, through ldns.
 * Only what answers our question counts: the id must match, the QR bit be
 * set; an address is taken from the answer section, or from the
 * additional section when it belongs to the SRV target (RFC 2782 says a
 * server should add it there).
 */
#include "ddns/redirdns.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

int
redirdns_query(const char *name, int type, uint16_t id, uint8_t **wire,
    size_t *len)
{
	ldns_pkt *q = NULL;
	int rc;

	if (ldns_pkt_query_new_frm_str(&q, name, (ldns_rr_type)type,
	    LDNS_RR_CLASS_IN, 0) != LDNS_STATUS_OK)
		return -1;
	ldns_pkt_set_id(q, id);
	rc = ldns_pkt2wire(wire, q, len) == LDNS_STATUS_OK ? 0 : -1;
	ldns_pkt_free(q);
	return rc;
}

static void
redirdns_ttl(struct redirdns_answer *a, uint32_t ttl)
{
	if (a->ttl == 0 || ttl < a->ttl)
		a->ttl = ttl;
}

static void
redirdns_addr(struct redirdns_answer *a, const ldns_rr *rr)
{
	const ldns_rdf *f = ldns_rr_rdf(rr, 0);
	size_t want = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ? 4 : 16;

	if (a->addr.family != 0 || f == NULL || ldns_rdf_size(f) != want)
		return;
	a->addr.family = want == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr.bytes, ldns_rdf_data(f), want);
	redirdns_ttl(a, ldns_rr_ttl(rr));
}

static void
redirdns_srv(struct redirdns_answer *a, const ldns_rr *rr)
{
	char *t;
	size_t n;

	if (a->srv || ldns_rr_rd_count(rr) != 4 ||
	    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 2 ||
	    (t = ldns_rdf2str(ldns_rr_rdf(rr, 3))) == NULL)
		return;
	n = strlen(t);
	if (n > 0 && t[n - 1] == '.')
		t[--n] = '\0';
	if (n > 0 && n < sizeof(a->target)) {
		a->srv = true;
		a->port = ldns_rdf2native_int16(ldns_rr_rdf(rr, 2));
		memcpy(a->target, t, n + 1);
		redirdns_ttl(a, ldns_rr_ttl(rr));
	}
	free(t);
}

static void
redirdns_section(struct redirdns_answer *a, const ldns_rr_list *list,
    bool additional)
{
	for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (t == LDNS_RR_TYPE_SRV && !additional)
			redirdns_srv(a, rr);
		else if ((t == LDNS_RR_TYPE_A || t == LDNS_RR_TYPE_AAAA) &&
		    (!additional || a->srv))
			redirdns_addr(a, rr);
		else if (t == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) == 7 &&
		    ldns_rdf_size(ldns_rr_rdf(rr, 6)) == 4)
			redirdns_ttl(a, ldns_rdf2native_int32(ldns_rr_rdf(rr, 6)));
	}
}

/* An additional address counts only if its owner is the SRV target. */
static bool
redirdns_owner_is(const ldns_rr *rr, const char *target)
{
	char *o = ldns_rdf2str(ldns_rr_owner(rr));
	size_t n = o ? strlen(o) : 0;
	bool same = n > 1 && strlen(target) == n - 1 &&
	    !strncasecmp(o, target, n - 1);

	free(o);
	return same;
}

int
redirdns_parse(const uint8_t *wire, size_t len, uint16_t id,
    struct redirdns_answer *a)
{
	ldns_pkt *p = NULL;
	ldns_rr_list *extra;

	memset(a, 0, sizeof(*a));
	if (ldns_wire2pkt(&p, wire, len) != LDNS_STATUS_OK)
		return -1;
	if (ldns_pkt_id(p) != id || !ldns_pkt_qr(p)) {
		ldns_pkt_free(p);
		return -1;
	}
	a->rcode = ldns_pkt_get_rcode(p);
	redirdns_section(a, ldns_pkt_answer(p), false);
	if (a->addr.family == 0)
		redirdns_section(a, ldns_pkt_authority(p), true);
	extra = ldns_rr_list_new();
	for (size_t i = 0; a->srv && i < ldns_rr_list_rr_count(ldns_pkt_additional(p)); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_additional(p), i);
		if (redirdns_owner_is(rr, a->target))
			ldns_rr_list_push_rr(extra, rr);
	}
	redirdns_section(a, extra, true);
	ldns_rr_list_free(extra);	/* the rrs belong to p */
	ldns_pkt_free(p);
	return 0;
}
