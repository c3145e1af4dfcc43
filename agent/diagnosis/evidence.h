/* SPDX-License-Identifier: BSD-2-Clause */
/* What the probes found: the input of the verdict. Plain data. */
#ifndef HOMEREACH_EVIDENCE_H
#define HOMEREACH_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/netif.h"
#include "lib/reason.h"
#include "nat/desc.h"
#include "nat/finding.h"
#include "probes/hairpin.h"
#include "probes/hop.h"
#include "probes/stunprobe.h"

#define EV_MAX_GATEWAYS	6
#define EV_MAX_OBS	32
#define EV_MAX_HOPS	HOP_MAX
#define EV_MAX_ADDR6	8
#define EV_LINE		256	/* one sentence of what led to a verdict */

enum obs_source { OBS_STUN, OBS_HTTP, OBS_UPNP, OBS_NATPMP, OBS_PCP,
	OBS_INTERFACE };

struct observation {
	enum obs_source source;
	char server[128];	/* who was asked: host:port, URL, gateway, ifname */
	bool over_ipv6;		/* an outside observer asked over IPv6 */
	bool ok;
	struct netaddr address;	/* when ok */
	char error[REASON_LEN];	/* when not */
};

/* The home router (default gateway), the router after it (an ISP box or
 * the carrier), and the carrier's NAT when it is further out (behind an
 * ISP box). */
/* GW_PCP: the carrier's PCP server where the lease files or the anycast
 * address say (nat/pcpserver.c), not a hop of the path. */
enum gw_role { GW_HOME, GW_UPSTREAM, GW_CARRIER, GW_PCP };

struct gateway {
	struct netaddr address;
	enum gw_role role;
	struct proto_finding upnp, natpmp, pcp;
	struct desc_info desc;
};

/* Whether a port answers from outside, asked of a check server. */
struct inbound_check {
	bool asked;
	uint16_t port;
	int proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	char result[32];		/* "open", "closed", "no-answer", "error" */
	char detail[96];
};

/* The IPv6 way in (diagnose only): this host's global addresses, the
 * router in front of them, what it offers for pinholes, and whether a
 * port answers from outside. Observers' IPv6 answers are in obs. */
struct ipv6_evidence {
	bool asked;
	struct netif_addr6 addrs[EV_MAX_ADDR6];
	int naddrs;
	struct netaddr router;		/* the IPv6 default route's gateway */
	struct proto_finding pcp;	/* PCP at the router, over IPv6 */
	struct proto_finding igd;	/* IGDv2 firewall control; can_map:
					 * it allows pinholes */
	struct inbound_check inbound;	/* over IPv6, to the stable address */
};

/* NAT loopback for a mapping this host holds (diagnose only). */
struct hairpin_evidence {
	bool asked;
	enum hairpin_kind kind;
	struct netaddr public;
	uint16_t port;
	char detail[64];		/* what the public address answered */
	char name[254];			/* the A record's name, if any */
};

/* The carrier's NAT, tested through the home router (carriertest.c). */
enum carrier_behaviour { CARRIER_UNTESTED, CARRIER_FULL_CONE,
	CARRIER_PER_DESTINATION, CARRIER_FILTERS };
struct carrier_finding {
	enum carrier_behaviour kind;
	struct netaddr server;		/* the STUN server it was tested with */
	char words[80];			/* "full cone: a port can be held" */
};

struct evidence {
	struct gateway gateways[EV_MAX_GATEWAYS];
	int ngateways;
	struct observation obs[EV_MAX_OBS];
	int nobs;
	struct netaddr hops[EV_MAX_HOPS];	/* hops[i]: TTL i + 1 */
	int nhops;
	enum nat_behaviour mapping, filtering;
	struct netaddr lan_address;	/* this host's source address */
	bool has_global_ipv6;
	struct netaddr global_ipv6;	/* this host's stable one */
	struct ipv6_evidence v6;
	struct hairpin_evidence hairpin;
	struct carrier_finding carrier_test;	/* diagnose and the agent */
	char no_srv[120];		/* the configured records that cannot
					 * carry a port: "home (dyndns2)" */
};

/* dst = src, writing only the gateways and observations in use (a kept
 * copy then holds no page of the unused ones). */
void evidence_copy(struct evidence *dst, const struct evidence *src);
struct observation *evidence_add_obs(struct evidence *ev,
    enum obs_source source, const char *server);
/* The gateway at address, added with role if not there yet; NULL if full. */
struct gateway *evidence_gateway(struct evidence *ev,
    const struct netaddr *address, enum gw_role role);
struct gateway *evidence_role(const struct evidence *ev, enum gw_role role);
/* The router in front of the home router that maps: the next hop, else
 * the carrier's PCP server found without a hop; NULL if none maps. */
const struct gateway *evidence_front_mapper(const struct evidence *ev);
/* The first hop of the carrier's network (shared space, RFC 6598, or a
 * DS-Lite AFTR) before the first public hop, or -1. */
int evidence_carrier_hop(const struct netaddr *hops, int nhops);
const char *evidence_source_name(enum obs_source source);
const char *evidence_behaviour_name(enum nat_behaviour b);
/* WAN address the gateway claims (NAT-PMP first, then UPnP), or NULL. */
const struct netaddr *evidence_gateway_wan(const struct gateway *gw);
bool evidence_gateway_can_map(const struct gateway *gw);
/* Does it name a public WAN address (NAT-PMP, UPnP): one it holds, was
 * told, or found by STUN? Then it maps whatever its WAN really is. */
bool evidence_gateway_names_public(const struct gateway *gw);
/* It says it has no public address to map on: NAT-PMP "network failure"
 * (miniupnpd with a private or shared WAN address, while its PCP still
 * answers ANNOUNCE). */
bool evidence_gateway_refuses(const struct gateway *gw);
/* One more sentence into lines (n of max used), if there is room. */
void evidence_line(char (*lines)[EV_LINE], int *n, int max,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
