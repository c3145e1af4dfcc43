/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relaynet.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netif.h"
#include "lib/resolve.h"
#include "lib/run.h"
#include "relay/relayrules.h"

#define RELAY_UAPI	"/var/run/wireguard"

struct relaynet {
	struct relay_config c;
	char public_ip[ADDR_STRLEN];
	uint16_t wg_port;
	pid_t wggo;			/* wireguard-go, or 0: the kernel's */
	struct relay_home homes[RELAY_MAX_HOMES];
	int nhomes;
};

/* Does IF forward IPv4? (The relay leaves the host's settings alone:
 * net.ipv4.ip_forward = 1 is its administrator's to set.) */
static bool
rn_forwards(const char *ifname)
{
	char path[96], v = '0';
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding",
	    ifname);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}

/* The interface holding the public address (visitors come in there). */
static int
rn_public_if(const char *ip, char *name)
{
	struct netif_addr a[NETIF_MAX];
	struct netaddr want;
	int n = netif_ipv4(a, NETIF_MAX);

	if (addr_parse(ip, &want) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (addr_equal(&a[i].address, &want)) {
			snprintf(name, IF_NAMESIZE, "%s", a[i].name);
			return 0;
		}
	return -1;
}

/* The kernel's WireGuard, else wireguard-go (in the foreground, our
 * child), until its UAPI socket is there. */
static int
rn_interface(struct relaynet *r, char *why, size_t len)
{
	char sock[128];
	char *argv[] = { "wireguard-go", "-f", r->c.interface, NULL };

	if (RUN_QUIET("ip", "link", "add", r->c.interface, "type", "wireguard") == 0)
		return 0;	/* the kernel's */
	r->wggo = run_child(argv);
	if (r->wggo <= 0) {
		snprintf(why, len, "no WireGuard in this kernel, and wireguard-go "
		    "cannot be started (apt install wireguard-go)");
		return -1;
	}
	snprintf(sock, sizeof(sock), "%s/%s.sock", RELAY_UAPI, r->c.interface);
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	if (access(sock, F_OK) != 0) {
		snprintf(why, len, "wireguard-go made no %s", sock);
		return -1;
	}
	return 0;
}

/* Each home a peer allowed its own address only; a peer of the old
 * homes no longer a home is removed. */
static int
rn_peers(struct relaynet *r, const struct relay_home *old, int nold)
{
	char allowed[32];
	int rc = 0;

	for (int i = 0; i < nold; i++) {
		bool kept = false;
		for (int k = 0; k < r->nhomes && !kept; k++)
			kept = !strcmp(old[i].key, r->homes[k].key);
		if (!kept)
			rc |= RUN("wg", "set", r->c.interface, "peer",
			    (char *)old[i].key, "remove");
	}
	for (int i = 0; i < r->nhomes; i++) {
		const uint8_t *a = r->homes[i].address;
		snprintf(allowed, sizeof(allowed), "%u.%u.%u.%u/32", a[0], a[1],
		    a[2], a[3]);
		rc |= RUN("wg", "set", r->c.interface, "peer", r->homes[i].key,
		    "allowed-ips", allowed);
	}
	return rc == 0 ? 0 : -1;
}

int
relaynet_rules(struct relaynet *r, const struct relay_grant *g, int ng,
    char *why, size_t whylen)
{
	size_t len = RELAYRULES_LEN(ng);
	char *rules = malloc(len);
	int rc = -1;

	if (rules == NULL)
		snprintf(why, whylen, "out of memory");
	else if (relayrules_text(&r->c, r->public_ip, r->homes, r->nhomes, g, ng,
	    rules, len) < 0)
		snprintf(why, whylen, "too many grants for the rules");
	else if (run_wait((char *const[]){ "nft", "-f", "-", NULL }, rules,
	    false) != 0)
		snprintf(why, whylen, "nft took not the relay's rules");
	else
		rc = 0;
	free(rules);
	return rc;
}

int
relaynet_homes(struct relaynet *r, const struct relay_home *homes, int n,
    const struct relay_grant *g, int ng, char *why, size_t whylen)
{
	struct relay_home old[RELAY_MAX_HOMES];
	int nold = r->nhomes;

	memcpy(old, r->homes, sizeof(*homes) * (size_t)nold);
	memcpy(r->homes, homes, sizeof(*homes) * (size_t)n);
	r->nhomes = n;
	if (relaynet_rules(r, g, ng, why, whylen) < 0) {
		memcpy(r->homes, old, sizeof(*homes) * (size_t)nold);
		r->nhomes = nold;
		return -1;
	}
	if (rn_peers(r, old, nold) < 0) {
		snprintf(why, whylen, "wg took not every home as a peer");
		return -1;
	}
	return 0;
}

/* The interface's key, port, address, and up. */
static int
rn_configure(struct relaynet *r, char *why, size_t len)
{
	char port[8], addr[24], pub[IF_NAMESIZE];
	const uint8_t *s = r->c.subnet;

	snprintf(port, sizeof(port), "%u", r->wg_port);
	snprintf(addr, sizeof(addr), "%u.%u.%u.1/24", s[0], s[1], s[2]);
	if (RUN("wg", "set", r->c.interface, "private-key", r->c.key_file,
	    "listen-port", port) != 0 ||
	    RUN("ip", "address", "add", addr, "dev", r->c.interface) != 0 ||
	    RUN("ip", "link", "set", r->c.interface, "up") != 0) {
		snprintf(why, len, "cannot set up %s (wg, ip)", r->c.interface);
		return -1;
	}
	if (rn_public_if(r->public_ip, pub) < 0) {
		snprintf(why, len, "no interface of this host holds %s (listen)",
		    r->public_ip);
		return -1;
	}
	if (!rn_forwards(pub) || !rn_forwards(r->c.interface)) {
		snprintf(why, len, "IPv4 forwarding is off (%s, %s): set "
		    "net.ipv4.ip_forward = 1 (sysctl)", pub, r->c.interface);
		return -1;
	}
	return 0;
}

struct relaynet *
relaynet_up(const struct relay_config *c, const struct relay_home *homes,
    int n, const struct relay_grant *g, int ng, char *why, size_t whylen)
{
	struct relaynet *r = calloc(1, sizeof(*r));
	char host[256];

	if (r == NULL) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	r->c = *c;
	if (resolve_split(c->listen, 51820, host, sizeof(host), &r->wg_port, why,
	    whylen) < 0) {
		free(r);
		return NULL;
	}
	snprintf(r->public_ip, sizeof(r->public_ip), "%s", host);
	if (rn_interface(r, why, whylen) < 0 || rn_configure(r, why, whylen) < 0 ||
	    relaynet_homes(r, homes, n, g, ng, why, whylen) < 0) {
		relaynet_down(r);
		return NULL;
	}
	return r;
}

void
relaynet_down(struct relaynet *r)
{
	if (r == NULL)
		return;
	RUN("nft", "delete", "table", "ip", RELAY_TABLE);
	if (r->wggo > 0) {
		kill(r->wggo, SIGTERM);
		waitpid(r->wggo, NULL, 0);
	} else
		RUN("ip", "link", "del", r->c.interface);
	free(r);
}
