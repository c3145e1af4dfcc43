/* SPDX-License-Identifier: BSD-2-Clause */
/* UPnP-IGD probe of one gateway: SSDP on the loop, SOAP on a worker. */
#ifndef HOMEREACH_UPNP_H
#define HOMEREACH_UPNP_H

#include <stdbool.h>
#include <stdint.h>

#include "nat/desc.h"
#include "nat/finding.h"
#include "nat/ssdp.h"

struct event_base;
struct upnpprobe;

/* What to do once the gateway's IGD is found. The pinhole operations speak
 * IGDv2's WANIPv6FirewallControl to a gateway found over IPv6; PIN_STATUS
 * asks whether pinholes may be opened (done: yes; map_error: why not). */
enum upnp_op { UPNP_OP_STATUS, UPNP_OP_ADD, UPNP_OP_DELETE, UPNP_OP_CHECK,
	UPNP_OP_PIN_STATUS, UPNP_OP_PIN_ADD, UPNP_OP_PIN_DELETE };

struct upnp_map_args {
	enum upnp_op op;
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t internal_port;
	uint16_t external_port;		/* wanted (ADD) or mapped (DELETE, CHECK) */
	uint32_t lifetime;		/* wanted lease; 0 asks for a permanent one */
	struct netaddr internal_client;	/* this host */
	uint16_t pinhole_id;		/* PIN_DELETE: the router's UniqueID;
					 * PIN_ADD: renew this one if it is
					 * still there (UpdatePinhole) */
};

struct upnp_result {
	struct proto_finding finding;	/* result: UPnP error code, if any */
	struct desc_info desc;
	struct ssdp_reply ssdp;
	bool connected;
	bool done;		/* ADD made it, DELETE removed it, CHECK found it */
	uint16_t external_port;	/* granted (ADD) */
	uint32_t lifetime;	/* granted lease, 0 permanent (ADD, CHECK) */
	uint16_t pinhole_id;	/* PIN_ADD: the router's UniqueID */
	char map_error[REASON_LEN];
};

typedef void upnp_result_cb(const struct upnp_result *r, void *arg);

/* Search gateway (unicast; also multicast on the LAN when lan is true and
 * the gateway is an IPv4 one),
 * ask its status, then do args (NULL: nothing more). */
struct upnpprobe *upnpprobe_start(struct event_base *base,
    const struct netaddr *gateway, bool lan, int timeout_ms,
    const struct upnp_map_args *args, upnp_result_cb *cb, void *arg);
void upnpprobe_free(struct upnpprobe *p);

#endif
