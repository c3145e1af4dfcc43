/* SPDX-License-Identifier: BSD-2-Clause */
/* The services the agent keeps mapped: one entry per [service] section. */
#ifndef HOMEREACH_SERVICE_H
#define HOMEREACH_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "agent/config/config.h"
#include "lib/addr.h"

struct event_base;
struct services;
typedef void services_cb(void *arg);

struct store;
struct timeline;
/* Losses and restorations go to timeline. */
struct services *services_new(struct event_base *base, struct store *store,
    struct timeline *timeline, int timeout_ms);
/* Where each service is kept open: a mapping on the IPv4 gateway (and on
 * the router in front of it, if that one maps too: a cascade, or the
 * carrier's NAT), and a pinhole on the router's IPv6 address for this
 * host's stable address (family 0: none). */
struct services_ways {
	struct netaddr gateway, upstream;
	struct netaddr hold;		/* a carrier NAT that lets anyone in to
					 * a held port: the STUN server each
					 * service's flow goes to (family 0:
					 * none) */
	bool behind;			/* a NAT in front of the gateway that
					 * maps nothing: its mappings alone
					 * open nothing to strangers */
	struct netaddr relay;		/* the relay's public address, when
					 * nothing better opens IPv4 (family
					 * 0: none) */
	struct netaddr relay_dead;	/* one that stopped answering: its
					 * ports are left to their leases */
	struct netaddr gateway6, host6;
};

/* Make the kept set equal to cfg's services on those ways: map the new
 * ones, remove the gone ones, leave the unchanged ones alone. A mapping
 * that a dead agent left is taken over, not made twice; one that no
 * service wants any more (or a pinhole for an address the host no longer
 * has) is removed from its router. */
void services_apply(struct services *s, const struct config *cfg,
    const struct services_ways *w);
/* Remove from the router what a dead process left that no service of
 * cfg wants (a mapping that one wants is taken over instead), of one
 * family: pinholes wait until this host's IPv6 address is confirmed. */
void services_reclaim(struct services *s, const struct config *cfg,
    const struct services_ways *w, int family);
/* Map every service again now; done runs when all have answered. */
void services_refresh(struct services *s, const char *why, services_cb *done,
    void *arg);
/* Remove every mapping (or, with !remove, leave them to their leases and
 * the next agent), then done. */
void services_stop(struct services *s, bool remove, services_cb *done,
    void *arg);
/* The external port a service holds now on the way of family (AF_INET:
 * its mapping; AF_INET6: its pinhole), or 0 if it holds none. */
uint16_t services_port(const struct services *s, const char *name,
    int family);
/* The external port a service's way of family is kept at, open or not
 * yet (a held port the outside check is to try first); 0: none. */
uint16_t services_port_kept(const struct services *s, const char *name,
    int family);
/* With check_url: a held port is open only once the outside check reached
 * it at the port it is held at now (and until a check does not). */
void services_outside_first(struct services *s, bool first);
/* The outside check of name's way of family at port: open or not. True
 * if that changed what is open. */
bool services_outside_said(struct services *s, const char *name, int family,
    uint16_t port, bool open);
/* A held port the outside check has not tried at the port it is held at
 * now: nothing is published meanwhile (neither it nor its withdrawal). */
bool services_outside_due(const struct services *s);
/* Whether the carrier's last test says strangers get in to a held port:
 * until it does, held ports count for nothing below (no record names
 * them); a held port that moved is not trusted until tested again. */
void services_trust_holds(struct services *s, bool trusted);
/* moved(name, arg): a held port moved (the carrier gave the flow another
 * public address or port): test again before publishing it. */
typedef void services_moved_cb(const char *name, void *arg);
void services_on_hold_moved(struct services *s, services_moved_cb *cb,
    void *arg);
/* Does a kept way's outer layer open addr (a mapping at the carrier's
 * NAT opens its shared public address)? */
bool services_open_on(const struct services *s, const struct netaddr *addr);
/* changed(name, family, arg) runs after a service got a mapping or a
 * pinhole (the first, or again after a reboot or a refresh), from the
 * loop. */
typedef void services_changed_cb(const char *name, int family, void *arg);
void services_on_change(struct services *s, services_changed_cb *cb,
    void *arg);
/* settled(name, arg) runs when a way in of the service was granted or
 * failed, from the loop. */
typedef void services_settled_cb(const char *name, void *arg);
void services_on_settle(struct services *s, services_settled_cb *cb,
    void *arg);
/* The service's ways in, each as ctlmsg_way (layers, or why it failed),
 * once every one is granted or failed; NULL while one is being made. */
json_t *services_ways_json(const struct services *s, const char *name);
/* Delete the service's mapping (or pinhole) from the router and make it
 * anew (the router lists it, but it does not answer from outside). */
void services_remake(struct services *s, const char *name, int family);
/* For status: one object a service. */
json_t *services_json(const struct services *s, int64_t now);
void services_free(struct services *s);

#endif
