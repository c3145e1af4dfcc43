/* SPDX-License-Identifier: BSD-2-Clause */
/* SSDP M-SEARCH requests and replies (UPnP Device Architecture 1.1). Pure. */
#ifndef HOMEREACH_SSDP_H
#define HOMEREACH_SSDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSDP_PORT	1900
#define SSDP_MCAST	"239.255.255.250"
#define SSDP_ST_IGD	"urn:schemas-upnp-org:device:InternetGatewayDevice:1"
#define SSDP_MAX_LEN	1500

struct ssdp_reply {
	char location[256];	/* http:// URL of the root description */
	char st[128];
	char server[128];
	char nt[128], nts[32];	/* NOTIFY: its type, ssdp:alive/byebye/update */
	bool has_bootid;
	uint32_t bootid;	/* BOOTID.UPNP.ORG */
};

/* M-SEARCH for an IGD. host is "ADDR:PORT"; mx > 0 for multicast, 0 for
 * unicast (which UDA 1.1 answers at once, without MX). Returns length. */
size_t ssdp_build_msearch(char *buf, size_t len, const char *host, int mx);
/* Copy the host part of an http:// URL ("192.168.1.1" of
 * "http://192.168.1.1:5000/rootDesc.xml") into host. */
int ssdp_url_host(const char *url, char *host, size_t hostlen);
int ssdp_parse_reply(const char *buf, size_t len, struct ssdp_reply *r,
    char *why, size_t whylen);
/* A NOTIFY * HTTP/1.1 (UDA 1.1 section 1.2): NT and NTS needed, LOCATION
 * too unless it is a byebye. */
int ssdp_parse_notify(const char *buf, size_t len, struct ssdp_reply *r,
    char *why, size_t whylen);

#endif
