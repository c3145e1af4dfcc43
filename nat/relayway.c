/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ports relayed now are a list of this process's own; the tunnel and
 * one nftables table follow it, the table written anew (one transaction)
 * at each change. `ip`, `wg` and `nft` run to their end on the loop:
 * milliseconds each, the tunnel's start a few hundred.
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

struct rw_port {
	int protocol;
	uint16_t relay_port, service_port;
};

static struct relayway_params rw;
static bool rw_set, rw_up;
static pid_t rw_wggo;
static struct rw_port rw_ports[RW_MAX];
static int rw_n;

void
relayway_configure(const struct relayway_params *p)
{
	rw_set = p != NULL;
	if (p != NULL)
		rw = *p;
	else
		explicit_bzero(&rw, sizeof(rw));
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
 * our key on wg's standard input (never on a command line), our address,
 * and the answers' route. */
static int
rw_configure(void)
{
	char endpoint[ADDR_PORT_STRLEN], addr[24], key[RELAYWAY_KEY_LEN + 2];
	int rc;

	addr_ntop_port(&rw.server, rw.server_port, endpoint, sizeof(endpoint));
	snprintf(addr, sizeof(addr), "%u.%u.%u.%u/24", rw.address[0],
	    rw.address[1], rw.address[2], rw.address[3]);
	snprintf(key, sizeof(key), "%s\n", rw.private_key);
	rc = run_wait((char *const[]){ "wg", "set", rw.interface, "private-key",
	    "/dev/stdin", "peer", rw.server_key, "endpoint", endpoint,
	    "allowed-ips", "0.0.0.0/0", "persistent-keepalive", "25", NULL }, key,
	    false);
	explicit_bzero(key, sizeof(key));
	if (rc != 0 || RUN("ip", "address", "add", addr, "dev", rw.interface) != 0 ||
	    RUN("ip", "link", "set", rw.interface, "up") != 0 ||
	    RUN("ip", "route", "replace", "default", "dev", rw.interface, "table",
	    RW_ROUTES) != 0 ||
	    RUN("ip", "rule", "add", "fwmark", RW_MARK, "table", RW_ROUTES) != 0)
		return -1;
	return 0;
}

/* Each relayed port to its service at the LAN address; what comes in
 * through the tunnel marked, its answers routed back through it. */
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
		ADD("  iifname \"%s\" %s dport %u dnat to %s:%u\n", i,
		    proto_name(rw_ports[k].protocol), rw_ports[k].relay_port, lan,
		    rw_ports[k].service_port);
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
	if (rw_up)
		return 0;
	if (!rw_set)
		return -1;
	rw_clean();
	if (rw_interface() < 0 || rw_configure() < 0) {
		relayway_down();
		return -1;
	}
	rw_up = true;
	log_info("relay: the tunnel to %s is up (%s)", rw.interface,
	    rw.interface);
	return 0;
}

void
relayway_down(void)
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
	rw_n = 0;
}

/* The port kept (add) or forgotten, and the rules anew; the tunnel goes
 * down with the last. */
static int
rw_port(int protocol, uint16_t relay_port, uint16_t service_port, bool add)
{
	int k = 0;

	while (k < rw_n && !(rw_ports[k].protocol == protocol &&
	    rw_ports[k].relay_port == relay_port))
		k++;
	if (!add && k < rw_n)
		rw_ports[k] = rw_ports[--rw_n];
	else if (add && k == rw_n && rw_n < RW_MAX)
		rw_ports[rw_n++] = (struct rw_port){ protocol, relay_port,
		    service_port };
	if (rw_n == 0) {
		relayway_down();
		return 0;
	}
	if (add && rw_tunnel_up() < 0)
		return -1;
	return rw_up ? rw_rules() : 0;
}

/* --- the kind's operations --- */

struct rw_op {
	struct event *timer;
	struct mapping_grant g;
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

static void *
rw_ask(struct event_base *base, const struct netaddr *gateway,
    const struct mapping_spec *spec, int timeout_ms, mapping_cb *cb, void *arg)
{
	struct rw_op *op = calloc(1, sizeof(*op));
	char ip[ADDR_STRLEN];

	(void)timeout_ms;
	if (op == NULL || (op->timer = evtimer_new(base, rw_op_answer, op)) ==
	    NULL) {
		free(op);
		return NULL;
	}
	op->cb = cb;
	op->arg = arg;
	op->g = (struct mapping_grant){ .via = VIA_RELAY, .gateway = *gateway,
	    .external = *gateway, .internal = rw.lan,
	    .external_port = spec->external_port };
	op->g.ok = rw_port(spec->protocol, spec->external_port,
	    spec->internal_port, !spec->remove) == 0;
	if (!op->g.ok)
		snprintf(op->g.error, sizeof(op->g.error), "relay: cannot bring the "
		    "tunnel to %s up (ip, wg, nft, wireguard-go: CAP_NET_ADMIN?)",
		    addr_ntop(gateway, ip, sizeof(ip)));
	loop_after(op->timer, 0);	/* answered from the loop */
	return op;
}

static void
rw_ask_free(void *arg)
{
	struct rw_op *op = arg;

	if (op == NULL)
		return;
	loop_event_free(&op->timer);
	free(op);
}

/* Nothing to renew: the rule lives as long as this process wants it. */
struct rw_keep {
	struct map_record rec;
	struct mapkeep_params p;
	struct event *done;
};

static void
rw_keep_done(evutil_socket_t fd, short what, void *arg)
{
	struct rw_keep *k = arg;

	(void)fd, (void)what;
	k->p.done(0, k->p.arg);
}

static void *
rw_keep(struct event_base *base, const struct mapkeep_params *p)
{
	struct rw_keep *k = calloc(1, sizeof(*k));

	if (k == NULL || (k->done = evtimer_new(base, rw_keep_done, k)) == NULL) {
		free(k);
		return NULL;
	}
	k->p = *p;
	k->rec = p->recs[0];
	return k;
}

static void
rw_keep_free(void *arg)
{
	struct rw_keep *k = arg;

	if (k == NULL)
		return;
	loop_event_free(&k->done);
	free(k);
}

static void
rw_stop(void *arg)
{
	struct rw_keep *k = arg;

	rw_port(k->rec.protocol, k->rec.external_port, k->rec.internal_port,
	    false);
	k->p.save(MAPKEEP_DROP, &k->rec, k->p.arg);
	loop_after(k->done, 0);
}

static void
rw_refresh(void *arg, const char *why)
{
	(void)arg, (void)why;
	if (rw_up)
		rw_rules();
}

static const struct map_record *
rw_layer(const void *arg, int i)
{
	const struct rw_keep *k = arg;

	return i == 0 ? &k->rec : NULL;
}

static bool
rw_busy(const void *arg)
{
	(void)arg;
	return false;
}

const struct wayin_ops relay_ops = {
	rw_ask, rw_ask_free, rw_keep, rw_keep_free, rw_stop, rw_refresh,
	rw_layer, rw_busy,
};
