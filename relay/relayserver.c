/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relayserver.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/clock.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/names.h"
#include "lib/reason.h"
#include "lib/resolve.h"
#include "nat/pcp.h"
#include "relay/relaygrants.h"
#include "relay/relaynet.h"

#define SWEEP_MS	5000	/* how often ended leases are looked for */
#define GATHER_MS	50	/* changes gathered this long, then nft once:
				 * at most 20 runs a second, whatever homes
				 * ask (the answers wait for it) */
#define GATHER_MAX	64	/* answers waiting; one more: nft at once */

/* An answer that waits for the rules it speaks of. */
struct rs_answer {
	struct sockaddr_storage to;
	socklen_t tolen;
	uint8_t buf[PCP_MAP_LEN];
	size_t len;
};

static const struct file_owner grants_fo = { .mode = 0600, .uid = (uid_t)-1,
	.gid = (gid_t)-1 };

struct relayserver {
	const struct relay_config *c;
	struct event_base *base;
	struct relaynet *net;
	struct netaddr public;		/* told to homes as their external */
	struct relay_home homes[RELAY_MAX_HOMES];
	int nhomes;
	struct relay_grant *grants;	/* one per public port and protocol */
	int ngrants, maxgrants;
	char grants_file[1100];
	struct loop_sock pcp;		/* timer: the sweep; deadline: the
					 * gathered changes */
	bool changed;			/* grants changed, rules not yet */
	struct rs_answer waiting[GATHER_MAX];
	int nwaiting;
	struct event *sigs[3];
	struct timespec started;	/* the PCP epoch's start */
};

int
relayserver_homes(const struct relay_config *c, struct relay_home *homes,
    char *text, size_t *len)
{
	char why[REASON_LEN + 1100], at[REASON_LEN];
	int n;

	if (file_read_small(c->homes_file, text, RELAY_HOMES_FILE_MAX, len, why,
	    sizeof(why)) < 0) {
		log_warnx("%s", why);
		return -1;
	}
	n = relayhomes_parse(text, *len, c, homes, RELAY_MAX_HOMES, at, sizeof(at));
	if (n < 0)
		log_warnx("%s: %s", c->homes_file, at);
	return n;
}

/* The grants file anew (a crash loses at most the grants since). */
static void
rs_save(struct relayserver *s)
{
	size_t len = (size_t)s->maxgrants * 80 + 1;
	char *text = malloc(len), why[REASON_LEN + 1100];
	int n;

	if (text == NULL || (n = relaygrants_format(s->grants, s->ngrants, text,
	    len)) < 0 || file_replace(s->grants_file, text, (size_t)n, &grants_fo,
	    why, sizeof(why)) < 0)
		log_warnx("%s: cannot be written%s%s", s->grants_file,
		    text != NULL ? ": " : "", text != NULL ? why : "");
	free(text);
}

static int
rs_read_grants(struct relayserver *s)
{
	size_t cap = (size_t)s->maxgrants * 80 + 2, len;
	char *text = malloc(cap), why[REASON_LEN + 1100];
	int n = -1;

	if (text != NULL && file_read_small(s->grants_file, text, cap, &len, why,
	    sizeof(why)) == 0)
		n = relaygrants_parse(text, len, s->homes, s->nhomes, s->grants,
		    s->maxgrants, time(NULL), why, sizeof(why));
	if (n < 0)
		log_warnx("%s: %s", s->grants_file, text ? why : "out of memory");
	free(text);
	s->ngrants = n < 0 ? 0 : n;
	return n < 0 ? -1 : 0;
}

static void
rs_rules(struct relayserver *s)
{
	char why[REASON_LEN];

	if (relaynet_rules(s->net, s->grants, s->ngrants, why, sizeof(why)) < 0)
		log_warnx("relay-server: %s", why);
}

static const struct relay_home *
rs_home_at(const struct relayserver *s, const struct netaddr *a)
{
	for (int i = 0; i < s->nhomes; i++)
		if (a->family == AF_INET && !memcmp(s->homes[i].address, a->bytes, 4))
			return &s->homes[i];
	return NULL;
}

/* A MAP from home h: the grant made, kept, or ended (lifetime 0); the
 * result code, the lease and the port into *lt and *port. */
static uint8_t
rs_map(struct relayserver *s, const struct relay_home *h,
    const struct pcp_map_request *m, uint32_t *lt, uint16_t *port)
{
	time_t now = time(NULL);
	uint32_t want = m->lifetime;
	struct relay_grant before;
	int i, n = s->ngrants;

	*lt = want == 0 ? 0 : want < RELAY_LEASE_MIN ? RELAY_LEASE_MIN :
	    want > RELAY_LEASE_MAX ? RELAY_LEASE_MAX : want;
	*port = 0;
	for (i = 0; i < n; i++)
		if (s->grants[i].protocol == m->protocol && !strcmp(s->grants[i].key,
		    h->key) && s->grants[i].internal_port == m->internal_port)
			break;
	before = i < n ? s->grants[i] : (struct relay_grant){ 0 };
	i = relaygrants_ask(s->grants, &s->ngrants, s->maxgrants, h, m->protocol,
	    m->internal_port, m->external_port, *lt ? now + *lt : 0, now);
	if (i == RELAYGRANTS_NONE)
		return PCP_SUCCESS;
	if (i < 0)
		return (uint8_t)-i;
	*port = s->grants[i].public_port;
	if (before.public_port != *port || (before.until != 0) !=
	    (s->grants[i].until != 0)) {
		log_info("home %s: %s %u %s public port %u", h->name,
		    proto_name(m->protocol), m->internal_port, *lt ?
		    "at" : "no longer at", *port);
		s->changed = true;
	}
	if (before.public_port != *port)
		rs_save(s);
	return PCP_SUCCESS;
}

static uint32_t
rs_epoch(const struct relayserver *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint32_t)(clock_ms_between(&s->started, &now) / 1000);
}

/* The rules for the changes gathered, then the answers that waited. */
static void
rs_flush(struct relayserver *s)
{
	if (s->changed)
		rs_rules(s);
	s->changed = false;
	for (int i = 0; i < s->nwaiting; i++)
		sendto(s->pcp.fd, s->waiting[i].buf, s->waiting[i].len, 0,
		    (struct sockaddr *)&s->waiting[i].to, s->waiting[i].tolen);
	s->nwaiting = 0;
	evtimer_del(s->pcp.deadline);
}

static void
rs_on_gathered(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	rs_flush(arg);
}

/* An answer sent now, or (the rules changed) once they are written. */
static void
rs_answer(struct relayserver *s, const uint8_t *buf, size_t len,
    const struct sockaddr_storage *to, socklen_t tolen)
{
	struct rs_answer *w;

	if (!s->changed) {
		sendto(s->pcp.fd, buf, len, 0, (const struct sockaddr *)to, tolen);
		return;
	}
	if (s->nwaiting == GATHER_MAX) {	/* written now, this one too */
		rs_flush(s);
		sendto(s->pcp.fd, buf, len, 0, (const struct sockaddr *)to, tolen);
		return;
	}
	w = &s->waiting[s->nwaiting++];
	memcpy(&w->to, to, sizeof(*to));
	w->tolen = tolen;
	memcpy(w->buf, buf, len);
	w->len = len;
	if (!evtimer_pending(s->pcp.deadline, NULL))
		loop_after(s->pcp.deadline, GATHER_MS);
}

/* One request: answered from the address and port it came from. */
static void
rs_on_pcp(evutil_socket_t fd, short what, void *arg)
{
	struct relayserver *s = arg;
	uint8_t buf[PCP_MAX_LEN + 4], out[PCP_MAP_LEN];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	const struct relay_home *h;
	struct pcp_request q;
	struct netaddr src;
	char why[REASON_LEN];
	uint32_t lt = 0;
	uint16_t sport, port = 0;
	ssize_t n;
	int rc;

	(void)what;
	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fromlen)) < 0)
		return;
	addr_from_sockaddr((struct sockaddr *)&from, &src, &sport);
	if ((h = rs_home_at(s, &src)) == NULL ||
	    (rc = pcp_parse_request(buf, (size_t)n, &q, why, sizeof(why))) < 0)
		return;		/* not a home's, or nothing to answer */
	if (rc == 0 && !addr_equal(&q.map.client, &src))
		rc = PCP_ADDRESS_MISMATCH;
	if (rc == 0 && q.op == PCP_OP_MAP)
		rc = rs_map(s, h, &q.map, &lt, &port);
	n = (ssize_t)pcp_build_response(out, buf, (size_t)n, (uint8_t)rc, lt,
	    rs_epoch(s), &s->public, port);
	rs_answer(s, out, (size_t)n, &from, fromlen);
}

static void
rs_on_sweep(evutil_socket_t fd, short what, void *arg)
{
	struct relayserver *s = arg;

	(void)fd, (void)what;
	if (relaygrants_expire(s->grants, s->ngrants, time(NULL)) > 0) {
		s->changed = true;
		rs_flush(s);
	}
	loop_after(s->pcp.timer, SWEEP_MS);
}

/* SIGHUP: the homes again; grants of homes gone are dropped. */
static void
rs_reload(struct relayserver *s)
{
	static struct relay_home homes[RELAY_MAX_HOMES];
	static char text[RELAY_HOMES_FILE_MAX];
	char why[REASON_LEN];
	size_t len;
	int n = relayserver_homes(s->c, homes, text, &len), kept;

	if (n < 0)
		return;		/* said; the running homes stay */
	/* Grants of homes the file no longer has go, whatever comes next
	 * (the array is compacted in place). */
	kept = relaygrants_keep_homes(s->grants, s->ngrants, homes, n);
	if (kept != s->ngrants) {
		s->ngrants = kept;
		rs_save(s);
	}
	if (relaynet_homes(s->net, homes, n, s->grants, kept, why,
	    sizeof(why)) < 0) {
		log_warnx("SIGHUP: %s", why);
		return;
	}
	memcpy(s->homes, homes, sizeof(*homes) * (size_t)n);
	s->nhomes = n;
	log_info("SIGHUP: %d homes", n);
}

static void
rs_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct relayserver *s = arg;

	(void)what;
	if (sig == SIGHUP) {
		rs_reload(s);
		return;
	}
	log_info("signal %d: taking the relay down", (int)sig);
	event_base_loopbreak(s->base);
}

/* The PCP socket on the relay's tunnel address, and the sweep. */
static int
rs_listen(struct relayserver *s)
{
	static const struct loop_sock_cbs cbs = { .io = rs_on_pcp,
		.timer = rs_on_sweep, .deadline = rs_on_gathered };
	struct netaddr at = { .family = AF_INET };
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	memcpy(at.bytes, s->c->subnet, 3);
	at.bytes[3] = 1;
	len = addr_to_sockaddr(&at, RELAY_PCP_PORT, &ss);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
		log_warn("relay-server: PCP on %u.%u.%u.1:%d", at.bytes[0],
		    at.bytes[1], at.bytes[2], RELAY_PCP_PORT);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (loop_sock_open(&s->pcp, s->base, fd, true, &cbs, s) < 0)
		return -1;
	loop_after(s->pcp.timer, SWEEP_MS);
	return 0;
}

static int
rs_setup(struct relayserver *s, const struct relay_config *c)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	static char text[RELAY_HOMES_FILE_MAX];
	char host[256], why[REASON_LEN];
	uint16_t port;
	size_t len;

	s->c = c;
	s->pcp.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	snprintf(s->grants_file, sizeof(s->grants_file), "%s.ports", c->homes_file);
	s->maxgrants = 2 * (c->port_hi - c->port_lo + 1);
	if ((s->grants = calloc((size_t)s->maxgrants, sizeof(*s->grants))) == NULL ||
	    (s->base = loop_base_new()) == NULL ||
	    loop_signals(s->base, sigs, 3, rs_on_signal, s, s->sigs) < 0 ||
	    resolve_split(c->listen, 51820, host, sizeof(host), &port, why,
	    sizeof(why)) < 0 || addr_parse(host, &s->public) < 0 ||
	    (s->nhomes = relayserver_homes(c, s->homes, text, &len)) < 0 ||
	    rs_read_grants(s) < 0)
		return -1;
	if ((s->net = relaynet_up(c, s->homes, s->nhomes, s->grants, s->ngrants,
	    why, sizeof(why))) == NULL) {
		log_warnx("relay-server: %s", why);
		return -1;
	}
	return rs_listen(s);
}

int
relayserver_run(const struct relay_config *c, const char *relay_pub)
{
	static struct relayserver s;
	int rc = 1;

	if (rs_setup(&s, c) == 0) {
		log_info("relay-server on %s (key %s): %d homes, ports %u-%u, "
		    "PCP on %u.%u.%u.1", c->listen, relay_pub, s.nhomes, c->port_lo,
		    c->port_hi, c->subnet[0], c->subnet[1], c->subnet[2]);
		event_base_dispatch(s.base);
		rc = 0;
	}
	loop_sock_close(&s.pcp);
	relaynet_down(s.net);
	loop_signals_free(s.sigs, 3);
	if (s.base != NULL)
		event_base_free(s.base);
	free(s.grants);
	return rc;
}
