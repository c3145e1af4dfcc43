/* SPDX-License-Identifier: BSD-2-Clause */
/* Evidence bookkeeping: bounded arrays, no allocation. */
#include "agent/diagnosis/evidence.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lib/names.h"

struct observation *
evidence_add_obs(struct evidence *ev, enum obs_source source,
    const char *server)
{
	struct observation *o;

	if (ev->nobs == EV_MAX_OBS)
		return NULL;
	o = &ev->obs[ev->nobs++];
	memset(o, 0, sizeof(*o));
	o->source = source;
	snprintf(o->server, sizeof(o->server), "%s", server);
	return o;
}

void
evidence_copy(struct evidence *dst, const struct evidence *src)
{
	size_t tail = offsetof(struct evidence, nobs);

	memcpy(dst->gateways, src->gateways,
	    sizeof(src->gateways[0]) * (size_t)src->ngateways);
	dst->ngateways = src->ngateways;
	memcpy(dst->obs, src->obs, sizeof(src->obs[0]) * (size_t)src->nobs);
	memcpy((char *)dst + tail, (const char *)src + tail,
	    sizeof(*src) - tail);
}

struct gateway *
evidence_gateway(struct evidence *ev, const struct netaddr *address,
    enum gw_role role)
{
	struct gateway *gw;

	for (int i = 0; i < ev->ngateways; i++)
		if (addr_equal(&ev->gateways[i].address, address))
			return &ev->gateways[i];
	if (ev->ngateways == EV_MAX_GATEWAYS)
		return NULL;
	gw = &ev->gateways[ev->ngateways++];
	memset(gw, 0, sizeof(*gw));
	gw->address = *address;
	gw->role = role;
	return gw;
}

struct gateway *
evidence_role(const struct evidence *ev, enum gw_role role)
{
	for (int i = 0; i < ev->ngateways; i++)
		if (ev->gateways[i].role == role)
			return (struct gateway *)&ev->gateways[i];
	return NULL;
}

const struct gateway *
evidence_front_mapper(const struct evidence *ev)
{
	const struct gateway *up = evidence_role(ev, GW_UPSTREAM);
	const struct gateway *pcp = evidence_role(ev, GW_PCP);

	if (up != NULL && evidence_gateway_can_map(up))
		return up;
	if (up != NULL && pcp != NULL && evidence_gateway_can_map(pcp))
		return pcp;	/* only with a router in front to map on */
	return NULL;
}

int
evidence_carrier_hop(const struct netaddr *hops, int nhops)
{
	for (int i = 1; i < nhops; i++) {
		if (hops[i].family == 0)
			continue;
		if (addr_is_public(&hops[i]))
			return -1;
		if (addr_classify(&hops[i]) == ADDR_SHARED ||
		    addr_is_dslite(&hops[i]))
			return i;
	}
	return -1;
}

const char *
evidence_source_name(enum obs_source source)
{
	static const char *const names[] = { "stun", "http", "upnp", "natpmp",
	    "pcp", "interface" };
	return NAME_OF(names, source, "unknown");
}

const char *
evidence_behaviour_name(enum nat_behaviour b)
{
	static const char *const names[] = { "unknown", "endpoint-independent",
	    "address-dependent", "address-and-port-dependent" };
	return NAME_OF(names, b, "unknown");
}

const struct netaddr *
evidence_gateway_wan(const struct gateway *gw)
{
	if (gw->natpmp.answered && gw->natpmp.external.family != 0)
		return &gw->natpmp.external;
	if (gw->upnp.answered && gw->upnp.external.family != 0)
		return &gw->upnp.external;
	return NULL;
}

bool
evidence_gateway_names_public(const struct gateway *gw)
{
	return gw->natpmp.can_map || gw->upnp.can_map;
}

bool
evidence_gateway_can_map(const struct gateway *gw)
{
	return gw->upnp.can_map || gw->natpmp.can_map || gw->pcp.can_map;
}

bool
evidence_gateway_refuses(const struct gateway *gw)
{
	return gw->natpmp.answered && gw->natpmp.result == 3;
}

void
evidence_line(char (*lines)[EV_LINE], int *n, int max, const char *fmt,
    ...)
{
	va_list ap;

	if (*n == max)
		return;
	va_start(ap, fmt);
	vsnprintf(lines[(*n)++], EV_LINE, fmt, ap);
	va_end(ap);
}
