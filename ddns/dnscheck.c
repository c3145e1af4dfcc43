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

bool
dnscheck_holds(const char *server, const char *hostname,
    const struct netaddr *addr)
{
	ldns_resolver *res = dnscheck_resolver(server);
	ldns_rdf *name = ldns_dname_new_frm_str(hostname);
	ldns_pkt *ans = NULL;
	ldns_rr_list *rrs;
	bool holds = false;

	if (res != NULL && name != NULL && ldns_resolver_query_status(&ans, res,
	    name, addr->family == AF_INET6 ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A,
	    LDNS_RR_CLASS_IN, 0) == LDNS_STATUS_OK &&
	    (rrs = ldns_pkt_rr_list_by_type(ans, addr->family == AF_INET6 ?
	    LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A, LDNS_SECTION_ANSWER)) != NULL) {
		/* Exactly our address, nothing else. */
		if (ldns_rr_list_rr_count(rrs) == 1) {
			char *text = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(rrs, 0), 0));
			struct netaddr have;
			holds = text && addr_parse(text, &have) == 0 &&
			    addr_equal(&have, addr);
			free(text);
		}
		ldns_rr_list_deep_free(rrs);
	}
	if (ans)
		ldns_pkt_free(ans);
	if (name)
		ldns_rdf_deep_free(name);
	if (res)
		ldns_resolver_deep_free(res);
	return holds;
}
