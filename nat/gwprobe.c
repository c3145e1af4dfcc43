/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAT-PMP and PCP share port 5351. Each runs as an exchange on its own
 * connected UDP socket (the kernel then drops datagrams from any other
 * source): NAT-PMP asks the external address, PCP sends ANNOUNCE.
 */
#include "nat/gwprobe.h"

#include <errno.h>
#include <natpmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nat/exchange.h"
#include "nat/natpmp.h"
#include "nat/pcp.h"
#include "nat/portsock.h"

#define GW_AGAIN_MS	20
#define GW_PATIENCE	15	/* 300 ms of asking again */

struct gwprobe {
	natpmp_t natpmp;
	bool natpmp_open;
	int pcp_fd;
	struct netaddr client;		/* our address toward the gateway */
	struct exchange *xnatpmp, *xpcp;
	struct proto_finding fnatpmp, fpcp;
	int pending;
	int patience;			/* asks left after "network failure" */
	gwprobe_cb *cb;
	void *arg;
};

static int
gw_natpmp_send(int fd, void *arg)
{
	struct gwprobe *p = arg;

	(void)fd;
	return sendpublicaddressrequest(&p->natpmp) == 2 ? 0 : -EIO;
}

static int
gw_natpmp_parse(const uint8_t *buf, size_t n, void *arg)
{
	struct gwprobe *p = arg;
	struct proto_finding *f = &p->fnatpmp;
	struct natpmp_reply r;
	char ext[ADDR_STRLEN];

	if (natpmp_parse_reply(buf, n, NATPMP_OP_ADDRESS, &r, f->detail,
	    sizeof(f->detail)) < 0)
		return 0;	/* keep waiting; the reason stays recorded */
	if (r.result == NATPMP_NETWORK_FAILURE && p->patience > 0) {
		p->patience--;		/* not ready yet: ask again soon */
		exchange_again(p->xnatpmp, GW_AGAIN_MS);
		return 0;
	}
	f->answered = true;
	f->result = r.result;
	f->epoch = r.epoch;
	snprintf(f->detail, sizeof(f->detail), "%s",
	    natpmp_result_name(r.result));
	if (r.result == 0 && addr_is_host(&r.external)) {
		f->external = r.external;
		f->can_map = addr_is_public(&r.external);
	} else if (r.result == 0) {
		snprintf(f->detail, sizeof(f->detail), "claims %s, which no "
		    "router can hold: unknown", addr_ntop(&r.external, ext,
		    sizeof(ext)));
	}
	return 1;
}

static int
gw_pcp_send(int fd, void *arg)
{
	uint8_t buf[PCP_HEADER_LEN];
	size_t n = pcp_build_announce(buf, &((struct gwprobe *)arg)->client);

	return send(fd, buf, n, 0) == (ssize_t)n ? 0 : -errno;
}

static int
gw_pcp_parse(const uint8_t *buf, size_t n, void *arg)
{
	struct proto_finding *f = &((struct gwprobe *)arg)->fpcp;
	struct pcp_reply r;

	if (pcp_parse_reply(buf, n, PCP_OP_ANNOUNCE, &r, f->detail,
	    sizeof(f->detail)) < 0)
		return 0;
	f->result = r.result;
	f->epoch = r.epoch;
	if (r.version == 0) {
		snprintf(f->detail, sizeof(f->detail), "NAT-PMP only: the "
		    "gateway does not speak PCP");
		return 1;
	}
	f->answered = true;
	f->can_map = r.result == 0;
	snprintf(f->detail, sizeof(f->detail), "%s", pcp_result_name(r.result));
	return 1;
}

static void
gw_done(struct gwprobe *p, struct proto_finding *f, int status)
{
	if (status == -ECONNREFUSED)
		snprintf(f->detail, sizeof(f->detail), "port 5351 closed (ICMP "
		    "port unreachable)");
	else if (status == -ETIMEDOUT && f->detail[0] == '\0')
		snprintf(f->detail, sizeof(f->detail), "no answer");
	if (--p->pending == 0)
		p->cb(&p->fnatpmp, &p->fpcp, p->arg);
}

static void gw_natpmp_done(int status, void *arg)
{
	gw_done(arg, &((struct gwprobe *)arg)->fnatpmp, status);
}

static void gw_pcp_done(int status, void *arg)
{
	gw_done(arg, &((struct gwprobe *)arg)->fpcp, status);
}

static const struct exchange_ops gw_natpmp_ops = {
	gw_natpmp_send, gw_natpmp_parse, gw_natpmp_done,
};
static const struct exchange_ops gw_pcp_ops = {
	gw_pcp_send, gw_pcp_parse, gw_pcp_done,
};

struct gwprobe *
gwprobe_start(struct event_base *base, const struct netaddr *gateway,
    int timeout_ms, bool patient, gwprobe_cb *cb, void *arg)
{
	struct gwprobe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->patience = patient ? GW_PATIENCE : 0;
	p->cb = cb;
	p->arg = arg;
	p->pcp_fd = portsock_open(gateway, NULL, &p->client);
	/* An IPv6 gateway (a firewall with pinholes) speaks PCP alone. */
	p->natpmp_open = gateway->family == AF_INET &&
	    portsock_natpmp(&p->natpmp, gateway) == 0;
	p->fnatpmp.asked = gateway->family == AF_INET;
	p->fpcp.asked = true;
	if (p->natpmp_open)
		p->xnatpmp = exchange_start(base, p->natpmp.s, timeout_ms,
		    &gw_natpmp_ops, p);
	if (p->pcp_fd >= 0)
		p->xpcp = exchange_start(base, p->pcp_fd, timeout_ms,
		    &gw_pcp_ops, p);
	if ((gateway->family == AF_INET && p->xnatpmp == NULL) || p->xpcp == NULL) {
		gwprobe_free(p);
		return NULL;
	}
	p->pending = p->xnatpmp != NULL ? 2 : 1;
	return p;
}

void
gwprobe_free(struct gwprobe *p)
{
	if (p == NULL)
		return;
	exchange_free(p->xnatpmp);
	exchange_free(p->xpcp);
	if (p->natpmp_open)
		closenatpmp(&p->natpmp);
	if (p->pcp_fd >= 0)
		close(p->pcp_fd);
	free(p);
}
