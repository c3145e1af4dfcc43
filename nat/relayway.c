/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A relayed port is asked of the relay over the tunnel (PCP MAP to the
 * relay's tunnel address, nat/mapping.c) and kept as any PCP mapping is
 * (nat/mapkeep.c: renewed at half its lease, made again when the relay's
 * epoch goes back); its records say "relay" and name the relay's public
 * address. The tunnel comes up with the first port asked for and goes
 * down with the last keeper; the ports kept are counted here, and one
 * nftables table follows them, written anew (one transaction) at each
 * change. `ip`, `wg` and `nft` run to their end on the loop: milliseconds
 * each, the tunnel's start a few hundred.
 */
#include "nat/relayway.h"

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/names.h"
#include "lib/run.h"

#define RW_TABLE	"homereach_relayhome"
#define RW_MARK		"0x4852"	/* "HR": connections through the tunnel */
#define RW_ROUTES	"4852"		/* their answers' routing table */
#define RW_MAX		64

struct rw_port {		/* a service's port, and its keepers */
	int protocol;
	uint16_t port;
	int refs;
};

static struct relayway_params rw;
static bool rw_set, rw_up;
static pid_t rw_wggo;
static struct rw_port rw_ports[RW_MAX];
static int rw_n;

static void rw_tunnel_down(void);

void
relayway_gateway(struct netaddr *out)
{
	*out = (struct netaddr){ .family = AF_INET };
	memcpy(out->bytes, rw.address, 3);
	out->bytes[3] = 1;	/* the relay is .1 of the tunnel's /24 */
}

/* What a dead agent may have left: nothing said if there is nothing. */
static void
rw_clean(void)
{
	RUN_QUIET("nft", "delete", "table", "ip", RW_TABLE);
	RUN_QUIET("ip", "rule", "del", "fwmark", RW_MARK, "table", RW_ROUTES);
	RUN_QUIET("ip", "route", "flush", "table", RW_ROUTES);
	RUN_QUIET("ip", "link", "del", rw.interface);
}

/* The interface: the kernel's WireGuard, else wireguard-go's. */
static int
rw_interface(void)
{
	char sock[128];

	if (RUN_QUIET("ip", "link", "add", rw.interface, "type", "wireguard") == 0)
		return 0;
	rw_wggo = run_child((char *const[]){ "wireguard-go", "-f", rw.interface,
	    NULL });
	if (rw_wggo <= 0)
		return -1;
	snprintf(sock, sizeof(sock), "/var/run/wireguard/%s.sock", rw.interface);
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	return access(sock, F_OK) == 0 ? 0 : -1;
}

/* The peer (the relay: every address may come from it, as visitors do),
 * and our key on wg's standard input (never on a command line). */
static int
rw_configure_peer(void)
{
	char endpoint[ADDR_PORT_STRLEN], key[RELAYWAY_KEY_LEN + 2];
	int rc;

	addr_ntop_port(&rw.server, rw.server_port, endpoint, sizeof(endpoint));
	snprintf(key, sizeof(key), "%s\n", rw.private_key);
	rc = run_wait((char *const[]){ "wg", "set", rw.interface, "private-key",
	    "/dev/stdin", "peer", rw.server_key, "endpoint", endpoint,
	    "allowed-ips", "0.0.0.0/0", "persistent-keepalive", "25", NULL }, key,
	    false);
	explicit_bzero(key, sizeof(key));
	return rc == 0 ? 0 : -1;
}

/* The peer, our address, and the answers' route. */
static int
rw_configure(void)
{
	char addr[24];

	snprintf(addr, sizeof(addr), "%u.%u.%u.%u/24", rw.address[0],
	    rw.address[1], rw.address[2], rw.address[3]);
	if (rw_configure_peer() < 0 ||
	    RUN("ip", "address", "add", addr, "dev", rw.interface) != 0 ||
	    RUN("ip", "link", "set", rw.interface, "up") != 0 ||
	    RUN("ip", "route", "replace", "default", "dev", rw.interface, "table",
	    RW_ROUTES) != 0 ||
	    RUN("ip", "rule", "add", "fwmark", RW_MARK, "table", RW_ROUTES) != 0)
		return -1;
	return 0;
}

/* Each kept port, as the relay forwards it, to its service at the LAN
 * address; what comes in through the tunnel marked, its answers routed
 * back through it. */
static int
rw_rules(void)
{
	char text[512 + RW_MAX * 120], lan[ADDR_STRLEN];
	const char *i = rw.interface;
	size_t at = 0;

	addr_ntop(&rw.lan, lan, sizeof(lan));
#define ADD(...) at += (size_t)snprintf(text + at, sizeof(text) - at, __VA_ARGS__)
	ADD("table ip %s {}\ndelete table ip %s\ntable ip %s {\n", RW_TABLE,
	    RW_TABLE, RW_TABLE);
	ADD(" chain visitors { type nat hook prerouting priority dstnat;\n");
	for (int k = 0; k < rw_n; k++)
		ADD("  iifname \"%s\" %s dport %u dnat to %s\n", i,
		    proto_name(rw_ports[k].protocol), rw_ports[k].port, lan);
	ADD(" }\n chain tag { type filter hook prerouting priority mangle;\n"
	    "  iifname \"%s\" ct mark set %s\n }\n", i, RW_MARK);
	ADD(" chain answers { type route hook output priority mangle;\n"
	    "  ct mark %s meta mark set %s\n }\n}\n", RW_MARK, RW_MARK);
#undef ADD
	return run_wait((char *const[]){ "nft", "-f", "-", NULL }, text,
	    false) == 0 ? 0 : -1;
}

static int
rw_tunnel_up(void)
{
	char ip[ADDR_STRLEN];

	if (rw_up)
		return 0;
	if (!rw_set)
		return -1;
	rw_clean();
	if (rw_interface() < 0 || rw_configure() < 0 || rw_rules() < 0) {
		rw_tunnel_down();
		return -1;
	}
	rw_up = true;
	log_info("relay: the tunnel to %s is up (%s)", addr_ntop(&rw.server, ip,
	    sizeof(ip)), rw.interface);
	return 0;
}

static void
rw_tunnel_down(void)
{
	if (!rw_up && rw_wggo <= 0)
		return;
	rw_clean();
	if (rw_wggo > 0) {
		kill(rw_wggo, SIGTERM);
		waitpid(rw_wggo, NULL, 0);
	}
	rw_wggo = 0;
	rw_up = false;
}

void
relayway_configure(const struct relayway_params *p)
{
	bool moved = p == NULL || !rw_set || !addr_equal(&p->server, &rw.server) ||
	    strcmp(p->server_key, rw.server_key) != 0 ||
	    memcmp(p->address, rw.address, 4) != 0;

	if (moved && rw_up && (p != NULL || rw_n == 0)) {
		rw_tunnel_down();	/* another relay's takes its place */
		if (p != NULL && rw_n > 0) {
			rw = *p;
			rw_set = true;
			rw_tunnel_up();
		}
	}
	rw_set = p != NULL;	/* none: down with the last keeper */
	if (p != NULL)
		rw = *p;
}

void
relayway_rekey(void)
{
	if (!rw_up)
		return;
	/* A peer made anew has no session: the next packet (a keep-alive
	 * within a second) starts a handshake, where WireGuard alone would
	 * wait out its timers (15 s and more) after the relay restarted. */
	RUN_QUIET("wg", "set", rw.interface, "peer", rw.server_key, "remove");
	if (rw_configure_peer() < 0)
		log_warnx("relay: cannot make its peer anew (wg)");
}

void
relayway_down(void)
{
	rw_tunnel_down();
	rw_n = 0;
}

/* A keeper's port counted in (+1) or out (-1), and the rules anew; the
 * tunnel goes down with the last once no relay is wanted. */
static void
rw_port(int protocol, uint16_t port, int delta)
{
	int k = 0;

	while (k < rw_n && !(rw_ports[k].protocol == protocol &&
	    rw_ports[k].port == port))
		k++;
	if (k == rw_n && delta > 0 && rw_n < RW_MAX)
		rw_ports[rw_n++] = (struct rw_port){ protocol, port, 0 };
	if (k == rw_n)
		return;
	rw_ports[k].refs += delta;
	if (rw_ports[k].refs <= 0)
		rw_ports[k] = rw_ports[--rw_n];
	if (rw_n == 0 && !rw_set)
		rw_tunnel_down();
	else if (rw_up)
		rw_rules();
}

/* --- the kind's operations --- */

/* Asked of the relay over the tunnel; the grant said to be the relay's. */
struct rw_op {
	struct event *timer;		/* an answer without asking */
	struct mapping_op *m;
	struct mapping_grant g;
	struct netaddr public;		/* the relay's, as the agent names it */
	mapping_cb *cb;
	void *arg;
};

static void
rw_op_answer(evutil_socket_t fd, short what, void *arg)
{
	struct rw_op *op = arg;

	(void)fd, (void)what;
	op->cb(&op->g, op->arg);
}

static void
rw_mapped(const struct mapping_grant *g, void *arg)
{
	struct rw_op *op = arg;

	op->g = *g;
	op->g.via = VIA_RELAY;
	op->g.gateway = op->public;
	op->cb(&op->g, op->arg);
}

static void *
rw_ask(struct event_base *base, const struct netaddr *gateway,
    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb, void *arg)
{
	struct rw_op *op = calloc(1, sizeof(*op));
	struct mapping_spec s = *spec;
	struct netaddr relay;
	char ip[ADDR_STRLEN];

	if (op == NULL || (op->timer = evtimer_new(base, rw_op_answer, op)) ==
	    NULL) {
		free(op);
		return NULL;
	}
	op->cb = cb;
	op->arg = arg;
	op->public = *gateway;
	op->g = (struct mapping_grant){ .via = VIA_RELAY, .gateway = *gateway,
	    .ok = spec->remove };	/* no tunnel: nothing of ours is there */
	relayway_gateway(&relay);
	s.via = VIA_PCP;
	if ((spec->remove && !rw_up) || (!spec->remove && rw_tunnel_up() < 0)) {
		if (!op->g.ok)
			snprintf(op->g.error, sizeof(op->g.error), "relay: cannot "
			    "bring the tunnel to %s up (ip, wg, nft, wireguard-go: "
			    "CAP_NET_ADMIN?)", addr_ntop(gateway, ip, sizeof(ip)));
		loop_after(op->timer, 0);	/* answered from the loop */
	} else if ((op->m = mapping_start(base, &relay, &s, timeout_ms, rw_mapped,
	    op)) == NULL) {
		loop_event_free(&op->timer);
		free(op);
		return NULL;
	}
	return op;
}

static void
rw_ask_free(void *arg)
{
	struct rw_op *op = arg;

	if (op == NULL)
		return;
	mapping_free(op->m);
	loop_event_free(&op->timer);
	free(op);
}

/* A relayed port kept: mapkeep's, at the relay's tunnel address over
 * PCP; its records as the agent knows them (relay, its public address). */
struct rw_keep {
	struct mapkeep *mk;
	struct mapkeep_params p;	/* the agent's */
	struct map_record recs[1], shown;
	struct mapping_spec specs[1];
	struct netaddr public;		/* the relay's, in the records */
};

static void
rw_keep_save(enum mapkeep_change what, const struct map_record *m, void *arg)
{
	struct rw_keep *k = arg;
	struct map_record r = *m;

	r.via = VIA_RELAY;
	r.gateway = k->public;
	k->p.save(what, &r, k->p.arg);
}

static void
rw_keep_granted(int layer, bool ok, void *arg)
{
	struct rw_keep *k = arg;

	if (k->p.granted != NULL)
		k->p.granted(layer, ok, k->p.arg);
}

static void
rw_keep_lost(int layer, const char *why, void *arg)
{
	struct rw_keep *k = arg;

	if (k->p.lost != NULL)
		k->p.lost(layer, why, k->p.arg);
}

static void
rw_keep_done(int status, void *arg)
{
	struct rw_keep *k = arg;

	k->p.done(status, k->p.arg);
}

static void *
rw_keep(struct event_base *base, const struct mapkeep_params *p)
{
	struct rw_keep *k = calloc(1, sizeof(*k));
	struct mapkeep_params mp;

	if (k == NULL)
		return NULL;
	k->p = *p;
	k->public = p->recs[0].gateway;
	k->recs[0] = p->recs[0];
	k->recs[0].via = VIA_PCP;
	relayway_gateway(&k->recs[0].gateway);
	k->specs[0] = p->specs[0];
	k->specs[0].via = VIA_PCP;
	mp = (struct mapkeep_params){ .recs = k->recs, .specs = k->specs, .n = 1,
	    .timeout_ms = p->timeout_ms, .check_s = p->check_s,
	    .save = rw_keep_save, .granted = rw_keep_granted,
	    .lost = rw_keep_lost, .done = rw_keep_done, .arg = k };
	if ((k->mk = mapkeep_start(base, &mp)) == NULL) {
		free(k);
		return NULL;
	}
	rw_port(k->recs[0].protocol, k->recs[0].internal_port, +1);
	return k;
}

static void
rw_keep_free(void *arg)
{
	struct rw_keep *k = arg;

	if (k == NULL)
		return;
	mapkeep_free(k->mk);
	rw_port(k->recs[0].protocol, k->recs[0].internal_port, -1);
	free(k);
}

static void
rw_stop(void *arg)
{
	mapkeep_stop(((struct rw_keep *)arg)->mk);
}

static void
rw_refresh(void *arg, const char *why)
{
	mapkeep_refresh(((struct rw_keep *)arg)->mk, why);
}

static const struct map_record *
rw_layer(const void *arg, int i)
{
	struct rw_keep *k = (struct rw_keep *)arg;
	const struct map_record *m = mapkeep_layer(k->mk, i);

	if (m == NULL)
		return NULL;
	k->shown = *m;
	k->shown.via = VIA_RELAY;
	k->shown.gateway = k->public;
	return &k->shown;
}

static bool
rw_busy(const void *arg)
{
	return mapkeep_busy(((const struct rw_keep *)arg)->mk);
}

const struct wayin_ops relay_ops = {
	rw_ask, rw_ask_free, rw_keep, rw_keep_free, rw_stop, rw_refresh,
	rw_layer, rw_busy,
};
