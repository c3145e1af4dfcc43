/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Before an update, ask the authoritative server what the record holds:
 * if it is the address already, there is nothing to send (a lost state
 * file must not turn into needless updates). Blocking: worker thread only.
 */
#include "ddns/provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <ldns/ldns.h>

#include "lib/resolve.h"

/* The server's address as ldns takes it: a literal as it is, a name
 * (server = ns1.example.org, as in the example config) looked up, as the
 * update itself does (rfc2136.c); the first address answers. */
static ldns_rdf *
dnscheck_address(const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;
	char text[NI_MAXHOST];
	ldns_rdf *ns;

	if ((ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, host)) != NULL ||
	    (ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, host)) != NULL)
		return ns;
	if (getaddrinfo(host, NULL, &hints, &ai) != 0 || ai == NULL)
		return NULL;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof(text), NULL,
	    0, NI_NUMERICHOST) == 0)
		ns = ldns_rdf_new_frm_str(ai->ai_family == AF_INET6 ?
		    LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, text);
	freeaddrinfo(ai);
	return ns;
}

static ldns_resolver *
dnscheck_resolver(const char *server)
{
	char host[256], why[REASON_LEN];
	ldns_resolver *res = ldns_resolver_new();
	ldns_rdf *ns = NULL;
	uint16_t port;

	if (res == NULL || resolve_split(server, 53, host, sizeof(host), &port,
	    why, sizeof(why)) < 0 || (ns = dnscheck_address(host)) == NULL) {
		if (res)
			ldns_resolver_deep_free(res);
		return NULL;
	}
	ldns_resolver_push_nameserver(res, ns);
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, port);
	ldns_resolver_set_recursive(res, false);
	/* Three tries of half a second: a first query lost (a route not up
	 * yet) costs 0.5 s. */
	ldns_resolver_set_retry(res, 3);
	ldns_resolver_set_timeout(res, (struct timeval){ 0, 500000 });
	return res;
}

/* The answer's records of type at owner (NULL if none or no answer). */
static ldns_rr_list *
dnscheck_query(ldns_resolver *res, const char *owner, ldns_rr_type type)
{
	ldns_rdf *name = ldns_dname_new_frm_str(owner);
	ldns_pkt *ans = NULL;
	ldns_rr_list *rrs = NULL;

	if (name != NULL && ldns_resolver_query_status(&ans, res, name, type,
	    LDNS_RR_CLASS_IN, 0) == LDNS_STATUS_OK)
		rrs = ldns_pkt_rr_list_by_type(ans, type, LDNS_SECTION_ANSWER);
	if (ans)
		ldns_pkt_free(ans);
	if (name)
		ldns_rdf_deep_free(name);
	return rrs;
}

/* Exactly our address at hostname, nothing else. */
static bool
dnscheck_addr(ldns_resolver *res, const char *hostname,
    const struct netaddr *addr)
{
	ldns_rr_type type = addr->family == AF_INET6 ? LDNS_RR_TYPE_AAAA :
	    LDNS_RR_TYPE_A;
	ldns_rr_list *rrs = dnscheck_query(res, hostname, type);
	bool holds = false;

	if (rrs != NULL && ldns_rr_list_rr_count(rrs) == 1) {
		char *text = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(rrs, 0), 0));
		struct netaddr have;
		holds = text && addr_parse(text, &have) == 0 &&
		    addr_equal(&have, addr);
		free(text);
	}
	ldns_rr_list_deep_free(rrs);
	return holds;
}

/* No record of type at owner, by an answer that says so. */
static bool
dnscheck_absent(ldns_resolver *res, const char *owner, ldns_rr_type type)
{
	ldns_rdf *name = ldns_dname_new_frm_str(owner);
	ldns_pkt *ans = NULL;
	ldns_rr_list *rrs = NULL;
	bool absent = false;

	if (name != NULL && ldns_resolver_query_status(&ans, res, name, type,
	    LDNS_RR_CLASS_IN, 0) == LDNS_STATUS_OK &&
	    (ldns_pkt_get_rcode(ans) == LDNS_RCODE_NOERROR ||
	    ldns_pkt_get_rcode(ans) == LDNS_RCODE_NXDOMAIN)) {
		rrs = ldns_pkt_rr_list_by_type(ans, type, LDNS_SECTION_ANSWER);
		absent = rrs == NULL || ldns_rr_list_rr_count(rrs) == 0;
	}
	ldns_rr_list_deep_free(rrs);
	if (ans)
		ldns_pkt_free(ans);
	if (name)
		ldns_rdf_deep_free(name);
	return absent;
}

/* Exactly one SRV record at _SERVICE._PROTO.hostname, with our port and
 * hostname as its target; for a service with no way in (port 0), none. */
static bool
dnscheck_srv(ldns_resolver *res, const char *hostname,
    const struct ddns_srv *srv)
{
	char owner[400];
	ldns_rr_list *rrs;
	ldns_rdf *want;
	bool holds = false;

	snprintf(owner, sizeof(owner), "_%s._%s.%s", srv->service,
	    srv->protocol == IPPROTO_UDP ? "udp" : "tcp", hostname);
	if (srv->port == 0)
		return dnscheck_absent(res, owner, LDNS_RR_TYPE_SRV);
	want = ldns_dname_new_frm_str(hostname);
	rrs = dnscheck_query(res, owner, LDNS_RR_TYPE_SRV);
	if (rrs != NULL && want != NULL && ldns_rr_list_rr_count(rrs) == 1) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, 0);
		holds = ldns_rr_rd_count(rr) == 4 &&
		    ldns_rdf2native_int16(ldns_rr_rdf(rr, 2)) == srv->port &&
		    ldns_dname_compare(ldns_rr_rdf(rr, 3), want) == 0;
	}
	if (want)
		ldns_rdf_deep_free(want);
	ldns_rr_list_deep_free(rrs);
	return holds;
}

/* Exactly one HTTPS record at hostname, naming our port and address. */
static bool
dnscheck_https(ldns_resolver *res, const char *hostname,
    const struct ddns_target *t)
{
	ldns_rr_list *rrs = dnscheck_query(res, hostname, LDNS_RR_TYPE_HTTPS);
	char want[80], ip[ADDR_STRLEN], *text = NULL;
	bool holds = false;

	snprintf(want, sizeof(want), " port=%u ipv4hint=%s\n", t->https_port,
	    addr_ntop(&t->addr, ip, sizeof(ip)));
	if (rrs != NULL && ldns_rr_list_rr_count(rrs) == 1 &&
	    (text = ldns_rr2str(ldns_rr_list_rr(rrs, 0))) != NULL)
		holds = strstr(text, want) != NULL;
	free(text);
	ldns_rr_list_deep_free(rrs);
	return holds;
}

bool
dnscheck_holds(const char *server, const char *hostname,
    const struct ddns_target *t)
{
	ldns_resolver *res = dnscheck_resolver(server);
	bool holds = res != NULL && dnscheck_addr(res, hostname, &t->addr);

	for (int i = 0; holds && t->addr.family == AF_INET && i < t->nsrv; i++)
		holds = dnscheck_srv(res, hostname, &t->srv[i]);
	if (holds && t->addr.family == AF_INET && t->https_port != 0)
		holds = dnscheck_https(res, hostname, t);
	if (holds && t->addr.family == AF_INET && t->https_gone)
		holds = dnscheck_absent(res, hostname, LDNS_RR_TYPE_HTTPS);
	if (res)
		ldns_resolver_deep_free(res);
	return holds;
}
