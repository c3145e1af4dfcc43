/* UPnP-IGD probe of one gateway: SSDP on the loop, SOAP on a worker. */
#ifndef HOMEREACH_UPNP_H
#define HOMEREACH_UPNP_H

#include <stdbool.h>

#include "nat/ssdp.h"
#include "probes/evidence.h"

struct event_base;
struct upnpprobe;

struct upnp_result {
	struct proto_finding finding;	/* result: UPnP error code, if any */
	struct desc_info desc;
	struct ssdp_reply ssdp;
	bool connected;
};

typedef void upnp_result_cb(const struct upnp_result *r, void *arg);

/* Search gateway (unicast; also multicast on the LAN when lan is true). */
struct upnpprobe *upnpprobe_start(struct event_base *base,
    const struct netaddr *gateway, bool lan, int timeout_ms,
    upnp_result_cb *cb, void *arg);
void upnpprobe_free(struct upnpprobe *p);

#endif
