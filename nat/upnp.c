/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UPnP-IGD probe. miniupnpc's upnpDiscover() waits at least a second for
 * multicast answers, so the search is ours: a unicast M-SEARCH to the
 * gateway (UDA 1.1 answers those without the MX delay) plus a multicast one
 * on the LAN. The description and the SOAP calls run on a worker thread
 * over upnphttp.c, bounded in size and time and stopped when the probe
 * gives up, only ever to the gateway; miniupnpc parses what they bring.
 */
#include "nat/upnp.h"

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>
#include <miniupnpc/upnpreplyparse.h>

#include "lib/icmperr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/worker.h"
#include "nat/upnphttp.h"

#define UPNP_RESEND_MS	250

/* Owned by the worker thread while it runs, freed by whoever is last. */
struct upnp_job {
	struct upnpprobe *probe;
	struct upnp_map_args args;
	struct upnp_result res;
	struct upnphttp_limits lim;	/* the loop writes lim.cancel_fd */
};

static struct upnp_job *
upnp_job_new(struct upnpprobe *p, const struct netaddr *gateway,
    int timeout_ms)
{
	struct upnp_job *job = calloc(1, sizeof(*job));

	if (job == NULL)
		return NULL;
	job->probe = p;
	job->lim.gateway = *gateway;
	clock_gettime(CLOCK_MONOTONIC, &job->lim.deadline);
	job->lim.deadline.tv_sec += timeout_ms / 1000;
	job->lim.deadline.tv_nsec += timeout_ms % 1000 * 1000000L;
	if (job->lim.deadline.tv_nsec >= 1000000000L) {
		job->lim.deadline.tv_sec++;
		job->lim.deadline.tv_nsec -= 1000000000L;
	}
	job->lim.cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (job->lim.cancel_fd < 0) {
		free(job);
		return NULL;
	}
	return job;
}

static void
upnp_job_release(void *arg)
{
	struct upnp_job *job = arg;

	if (job == NULL)
		return;
	if (job->lim.cancel_fd >= 0)
		close(job->lim.cancel_fd);
	free(job);
}

/* The worker stops reading at once; the thread frees the job. */
static void
upnp_job_cancel(struct worker_job *work, struct upnp_job *job)
{
	uint64_t one = 1;

	(void)!write(job->lim.cancel_fd, &one, sizeof(one));
	worker_cancel(work, upnp_job_release);
}

/* --- SOAP (UPnP Device Architecture 1.1 section 3.2) --- */

struct upnp_call {
	const struct upnphttp_limits *lim;
	const char *control, *service, *proto;
	char client[ADDR_STRLEN], in[8];
	char why[REASON_LEN];		/* a transport failure */
};

/* action with args (name, value, ..., NULL) on the gateway: 0, the UPnP
 * error code, or UPNPCOMMAND_HTTP_ERROR with c->why. Results in pd. */
static int
upnp_call(struct upnp_call *c, const char *action, const char *const *args,
    struct NameValueParserData *pd)
{
	char body[2048], soap_action[300], *reply;
	const char *code;
	size_t o, len;
	int status, n;

	memset(pd, 0, sizeof(*pd));
	o = (size_t)snprintf(body, sizeof(body), "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	    "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:%s xmlns:u=\"%s\">", action, c->service);
	for (; *args != NULL && o < sizeof(body); args += 2)
		o += (size_t)snprintf(body + o, sizeof(body) - o, "<%s>%s</%s>",
		    args[0], args[1], args[0]);
	n = o < sizeof(body) ? snprintf(body + o, sizeof(body) - o,
	    "</u:%s></s:Body></s:Envelope>\r\n", action) : -1;
	if (n < 0 || o + (size_t)n >= sizeof(body) || (size_t)snprintf(soap_action,
	    sizeof(soap_action), "%s#%s", c->service, action) >= sizeof(soap_action)) {
		snprintf(c->why, sizeof(c->why), "%s: the request is too long", action);
		return UPNPCOMMAND_HTTP_ERROR;
	}
	if (upnphttp_fetch(c->lim, c->control, soap_action, body, &status, &reply,
	    &len, c->why, sizeof(c->why)) < 0)
		return UPNPCOMMAND_HTTP_ERROR;
	ParseNameValue(reply, (int)len, pd);
	free(reply);
	if ((code = GetValueFromNameValueList(pd, "errorCode")) != NULL)
		return atoi(code) > 0 ? atoi(code) : UPNPCOMMAND_UNKNOWN_ERROR;
	if (status != 200) {
		snprintf(c->why, sizeof(c->why), "HTTP status %d", status);
		return UPNPCOMMAND_HTTP_ERROR;
	}
	return UPNPCOMMAND_SUCCESS;
}

/* The value of name in pd, copied into out ("" if none). */
static void
upnp_value(struct NameValueParserData *pd, const char *name, char *out,
    size_t len)
{
	const char *v = GetValueFromNameValueList(pd, name);

	snprintf(out, len, "%s", v ? v : "");
}

/* What failed, for a person: the UPnP error, or the transport's. */
static const char *
upnp_error_text(const struct upnp_call *c, int rc)
{
	if (rc == UPNPCOMMAND_HTTP_ERROR && c->why[0])
		return c->why;
	return strupnperror(rc) ? strupnperror(rc) : "error";
}

struct upnpprobe {
	struct event_base *base;
	struct netaddr gateway;
	bool lan;
	int sends;
	struct loop_sock s;	/* timer: the SSDP resend */
	struct worker_job *work;
	struct upnp_job *job;
	upnp_result_cb *cb;
	void *arg;
};

static void
upnp_soap(struct upnp_result *r, struct upnp_call *c)
{
	static const char *const none[] = { NULL };
	struct proto_finding *f = &r->finding;
	struct NameValueParserData pd;
	char status[64], ext[40];
	int rc;

	rc = upnp_call(c, "GetStatusInfo", none, &pd);
	upnp_value(&pd, "NewConnectionStatus", status, sizeof(status));
	ClearNameValueList(&pd);
	r->connected = rc == UPNPCOMMAND_SUCCESS &&
	    strcmp(status, "Connected") == 0;
	rc = upnp_call(c, "GetExternalIPAddress", none, &pd);
	upnp_value(&pd, "NewExternalIPAddress", ext, sizeof(ext));
	ClearNameValueList(&pd);
	if (rc != UPNPCOMMAND_SUCCESS) {
		f->result = rc;
		snprintf(f->detail, sizeof(f->detail), "%s; GetExternalIPAddress "
		    "failed: %s", r->connected ? "connected" : "not connected",
		    upnp_error_text(c, rc));
		return;
	}
	if (addr_parse(ext, &f->external) < 0 || !addr_is_host(&f->external)) {
		memset(&f->external, 0, sizeof(f->external));
		snprintf(f->detail, sizeof(f->detail), "%s; reports %s%.46s%s, "
		    "not an address a router can hold: unknown", r->connected ?
		    "connected" : "not connected", ext[0] ? "\"" : "",
		    ext[0] ? ext : "no external address", ext[0] ? "\"" : "");
		return;
	}
	f->can_map = r->connected && addr_is_public(&f->external);
	snprintf(f->detail, sizeof(f->detail), "%s", r->connected ?
	    "connected" : "not connected");
}

/*
 * Port mapping calls. IGDv2 gets AddAnyPortMapping, which picks a free port
 * itself; IGDv1 gets AddPortMapping, and on 718 (conflict) the next ports.
 * A router that takes only permanent leases (725) gets one; the caller then
 * verifies it periodically instead of renewing.
 * Another program's mapping is never taken over or removed: a router lets
 * a host replace its own mappings (miniupnpd updated another program's
 * 7000 -> 7001 "game" into ours), so an external port is looked up first
 * and one that leads elsewhere, or under another description, is a
 * conflict (RFC 6970's "port is in use" rule, kept by the client).
 */
#define UPNP_CONFLICT		718	/* ConflictInMappingEntry */
#define UPNP_NO_SUCH_ENTRY	714	/* NoSuchEntryInArray */
#define UPNP_PERMANENT_ONLY	725	/* OnlyPermanentLeasesSupported */
#define UPNP_INVALID_ACTION	401
#define UPNP_CONFLICT_TRIES	8
#define UPNP_DESC		"homereach"

/* The router's entry for an external port. */
struct upnp_entry {
	int rc;				/* 0, UPNP_NO_SUCH_ENTRY, other */
	char client[40], port[8], desc[64];
	uint32_t lease;
};

static void
upnp_entry_get(struct upnp_call *c, uint16_t ext, struct upnp_entry *e)
{
	struct NameValueParserData pd;
	char p[8], lease[16];
	const char *const args[] = { "NewRemoteHost", "", "NewExternalPort", p,
	    "NewProtocol", c->proto, NULL };

	snprintf(p, sizeof(p), "%u", ext);
	e->rc = upnp_call(c, "GetSpecificPortMappingEntry", args, &pd);
	upnp_value(&pd, "NewInternalClient", e->client, sizeof(e->client));
	upnp_value(&pd, "NewInternalPort", e->port, sizeof(e->port));
	upnp_value(&pd, "NewPortMappingDescription", e->desc, sizeof(e->desc));
	upnp_value(&pd, "NewLeaseDuration", lease, sizeof(lease));
	ClearNameValueList(&pd);
	e->lease = (uint32_t)strtoul(lease, NULL, 10);
}

/* Ours: to this host's port, under our description. */
static bool
upnp_entry_ours(const struct upnp_call *c, const struct upnp_entry *e)
{
	return e->rc == UPNPCOMMAND_SUCCESS && strcmp(e->client, c->client) == 0 &&
	    strcmp(e->port, c->in) == 0 && strcmp(e->desc, UPNP_DESC) == 0;
}

/* Another program's: an entry that names a client, not ours (a router
 * that answers with no client has no entry there). */
static bool
upnp_entry_foreign(const struct upnp_call *c, const struct upnp_entry *e)
{
	return e->rc == UPNPCOMMAND_SUCCESS && e->client[0] != '\0' &&
	    !upnp_entry_ours(c, e);
}

static int
upnp_add_once(struct upnp_call *c, bool any, uint16_t ext, uint32_t lease,
    uint16_t *granted)
{
	struct NameValueParserData pd;
	struct upnp_entry there;
	char e[8], l[16], reserved[8];
	const char *const args[] = { "NewRemoteHost", "", "NewExternalPort", e,
	    "NewProtocol", c->proto, "NewInternalPort", c->in,
	    "NewInternalClient", c->client, "NewEnabled", "1",
	    "NewPortMappingDescription", UPNP_DESC, "NewLeaseDuration", l, NULL };
	int rc;

	upnp_entry_get(c, ext, &there);
	if (upnp_entry_foreign(c, &there))
		return UPNP_CONFLICT;	/* another program's: the next port */
	snprintf(e, sizeof(e), "%u", ext);
	snprintf(l, sizeof(l), "%u", lease);
	rc = upnp_call(c, any ? "AddAnyPortMapping" : "AddPortMapping", args, &pd);
	upnp_value(&pd, "NewReservedPort", reserved, sizeof(reserved));
	ClearNameValueList(&pd);
	*granted = any ? (uint16_t)atoi(reserved) : ext;
	return rc;
}

/* Add, moving on to the next port on conflict. */
static int
upnp_add_ports(struct upnp_call *c, bool any, uint16_t ext,
    uint32_t lease, uint16_t *granted)
{
	int rc = UPNP_CONFLICT;

	for (int i = 0; i < UPNP_CONFLICT_TRIES && rc == UPNP_CONFLICT; i++)
		rc = upnp_add_once(c, any, (uint16_t)(ext + i), lease, granted);
	return rc;
}

static void
upnp_add(struct upnp_result *r, struct upnp_call *c,
    const struct upnp_map_args *a)
{
	bool any = strstr(c->service, "WANIPConnection:2") != NULL;
	uint16_t ext = a->external_port ? a->external_port : a->internal_port;
	uint32_t lease = a->lifetime;
	int rc = upnp_add_ports(c, any, ext, lease, &r->external_port);

	if (any && rc == UPNP_INVALID_ACTION) {	/* v2 in name only */
		any = false;
		rc = upnp_add_ports(c, any, ext, lease, &r->external_port);
	}
	if (rc == UPNP_PERMANENT_ONLY) {
		lease = 0;
		rc = upnp_add_ports(c, any, ext, lease, &r->external_port);
	}
	r->done = rc == UPNPCOMMAND_SUCCESS && r->external_port != 0;
	r->lifetime = lease;
	if (!r->done)
		snprintf(r->map_error, sizeof(r->map_error), "AddPortMapping: "
		    "%s (%d)", upnp_error_text(c, rc), rc);
}

static void
upnp_check(struct upnp_result *r, struct upnp_call *c,
    const struct upnp_map_args *a)
{
	struct upnp_entry e;

	upnp_entry_get(c, a->external_port, &e);
	r->done = upnp_entry_ours(c, &e);
	r->external_port = a->external_port;
	r->lifetime = e.lease;
	if (r->done)
		return;
	if (e.rc == UPNPCOMMAND_SUCCESS)
		snprintf(r->map_error, sizeof(r->map_error), "port %u leads to "
		    "%s:%s (\"%.20s\"), not to us", a->external_port, e.client,
		    e.port, e.desc);
	else
		snprintf(r->map_error, sizeof(r->map_error), "no mapping on "
		    "port %u: %s (%d)", a->external_port, upnp_error_text(c, e.rc),
		    e.rc);
}

/* Only our own entry goes; one that is gone, or another program's, is
 * left as it is (done: we hold nothing there). */
static void
upnp_delete(struct upnp_result *r, struct upnp_call *c,
    const struct upnp_map_args *a)
{
	struct NameValueParserData pd;
	struct upnp_entry there;
	char e[8];
	const char *const args[] = { "NewRemoteHost", "", "NewExternalPort", e,
	    "NewProtocol", c->proto, NULL };
	int rc;

	upnp_entry_get(c, a->external_port, &there);
	if (there.rc == UPNP_NO_SUCH_ENTRY || upnp_entry_foreign(c, &there)) {
		r->done = true;
		if (there.rc == UPNPCOMMAND_SUCCESS)
			snprintf(r->map_error, sizeof(r->map_error), "port %u is "
			    "another program's now (%s:%s, \"%.20s\"): left alone",
			    a->external_port, there.client, there.port, there.desc);
		return;
	}
	snprintf(e, sizeof(e), "%u", a->external_port);
	rc = upnp_call(c, "DeletePortMapping", args, &pd);
	ClearNameValueList(&pd);
	r->done = rc == UPNPCOMMAND_SUCCESS;
	if (!r->done)
		snprintf(r->map_error, sizeof(r->map_error),
		    "DeletePortMapping: %s (%d)", upnp_error_text(c, rc), rc);
}

/* --- IGDv2 pinholes (WANIPv6FirewallControl:1) --- */

#define UPNP_PIN_LEASE_MAX	86400	/* the service's LeaseTime range */

/* May pinholes be opened? 0, or -1 with the reason in r. */
static int
upnp_pin_allowed(struct upnp_result *r, struct upnp_call *c)
{
	static const char *const none[] = { NULL };
	struct NameValueParserData pd;
	char on[8], allowed[8];
	int rc = upnp_call(c, "GetFirewallStatus", none, &pd);

	upnp_value(&pd, "FirewallEnabled", on, sizeof(on));
	upnp_value(&pd, "InboundPinholeAllowed", allowed, sizeof(allowed));
	ClearNameValueList(&pd);
	if (rc != UPNPCOMMAND_SUCCESS)
		return reason(r->map_error, sizeof(r->map_error), "GetFirewall"
		    "Status: %s (%d)", upnp_error_text(c, rc), rc);
	if (strcmp(on, "1") == 0 && strcmp(allowed, "1") != 0)
		return reason(r->map_error, sizeof(r->map_error), "the router's "
		    "IPv6 firewall allows no pinholes (InboundPinholeAllowed 0)");
	return 0;
}

/* UpdatePinhole: 0 renewed; otherwise (704 NoSuchEntry after a router
 * restart, or any error) the caller adds it anew. */
static int
upnp_pin_update(struct upnp_call *c, uint16_t uid, const char *lease)
{
	struct NameValueParserData pd;
	char id[8];
	const char *const args[] = { "UniqueID", id, "NewLeaseTime", lease, NULL };
	int rc;

	snprintf(id, sizeof(id), "%u", uid);
	rc = upnp_call(c, "UpdatePinhole", args, &pd);
	ClearNameValueList(&pd);
	return rc == UPNPCOMMAND_SUCCESS ? 0 : -1;
}

static void
upnp_pin_add(struct upnp_result *r, struct upnp_call *c,
    const struct upnp_map_args *a)
{
	struct NameValueParserData pd;
	char lease[16], id[8];
	const char *proto = a->protocol == IPPROTO_TCP ? "6" : "17";
	const char *const args[] = { "RemoteHost", "", "RemotePort", "0",
	    "InternalClient", c->client, "InternalPort", c->in,
	    "Protocol", proto, "LeaseTime", lease, NULL };
	uint32_t l = a->lifetime == 0 || a->lifetime > UPNP_PIN_LEASE_MAX ?
	    UPNP_PIN_LEASE_MAX : a->lifetime;
	int rc;

	if (upnp_pin_allowed(r, c) < 0)
		return;
	snprintf(lease, sizeof(lease), "%u", l);
	if (a->pinhole_id != 0 && upnp_pin_update(c, a->pinhole_id, lease) == 0) {
		r->done = true;		/* renewed in place */
		r->pinhole_id = a->pinhole_id;
		r->external_port = a->internal_port;
		r->lifetime = l;
		return;
	}
	rc = upnp_call(c, "AddPinhole", args, &pd);
	upnp_value(&pd, "UniqueID", id, sizeof(id));
	ClearNameValueList(&pd);
	if (rc != UPNPCOMMAND_SUCCESS || desc_pinhole_id(id, &r->pinhole_id) < 0) {
		snprintf(r->map_error, sizeof(r->map_error), rc ==
		    UPNPCOMMAND_SUCCESS ? "AddPinhole: no usable UniqueID" :
		    "AddPinhole: %s (%d)", upnp_error_text(c, rc), rc);
		return;
	}
	r->done = true;
	r->external_port = a->internal_port;
	r->lifetime = l;
}

static void
upnp_pin_delete(struct upnp_result *r, struct upnp_call *c,
    const struct upnp_map_args *a)
{
	struct NameValueParserData pd;
	char id[8];
	const char *const args[] = { "UniqueID", id, NULL };
	int rc;

	snprintf(id, sizeof(id), "%u", a->pinhole_id);
	rc = upnp_call(c, "DeletePinhole", args, &pd);
	ClearNameValueList(&pd);
	r->done = rc == UPNPCOMMAND_SUCCESS;
	if (!r->done)
		snprintf(r->map_error, sizeof(r->map_error),
		    "DeletePinhole %s: %s (%d)", id, upnp_error_text(c, rc), rc);
}

static void
upnp_map_op(struct upnp_job *job, struct upnp_call *c)
{
	const struct upnp_map_args *a = &job->args;

	c->proto = a->protocol == IPPROTO_TCP ? "TCP" : "UDP";
	addr_ntop(&a->internal_client, c->client, sizeof(c->client));
	snprintf(c->in, sizeof(c->in), "%u", a->internal_port);
	if (a->op == UPNP_OP_PIN_STATUS)
		job->res.done = upnp_pin_allowed(&job->res, c) == 0;
	else if (a->op == UPNP_OP_PIN_ADD)
		upnp_pin_add(&job->res, c, a);
	else if (a->op == UPNP_OP_PIN_DELETE)
		upnp_pin_delete(&job->res, c, a);
	else if (a->op == UPNP_OP_ADD)
		upnp_add(&job->res, c, a);
	else if (a->op == UPNP_OP_CHECK)
		upnp_check(&job->res, c, a);
	else
		upnp_delete(&job->res, c, a);
}

/* The description: its service, and a control URL on the gateway. */
static int
upnp_describe(struct upnp_job *job, struct IGDdatas *data,
    struct UPNPUrls *urls)
{
	struct upnp_result *r = &job->res;
	struct upnphttp_url u;
	char why[REASON_LEN], *xml;
	size_t size;
	int status;

	if (upnphttp_fetch(&job->lim, r->ssdp.location, NULL, NULL, &status,
	    &xml, &size, why, sizeof(why)) < 0)
		return reason(r->finding.detail, sizeof(r->finding.detail),
		    "%.100s: %s", r->ssdp.location, why);
	if (status != 200) {
		free(xml);
		return reason(r->finding.detail, sizeof(r->finding.detail),
		    "%.100s: HTTP status %d", r->ssdp.location, status);
	}
	desc_parse_info(xml, size, &r->desc);
	memset(data, 0, sizeof(*data));
	parserootdesc(xml, (int)size, data);
	free(xml);
	if (data->first.servicetype[0] == '\0')
		return reason(r->finding.detail, sizeof(r->finding.detail),
		    "%.100s describes no WANIPConnection service", r->ssdp.location);
	GetUPNPUrls(urls, data, r->ssdp.location, 0);
	/* URLBase or controlURL may name any host: only the gateway is asked. */
	if (urls->controlURL == NULL || upnphttp_parse_url(urls->controlURL, &u,
	    why, sizeof(why)) < 0 || !addr_equal(&u.host, &job->lim.gateway))
		return reason(r->finding.detail, sizeof(r->finding.detail),
		    "its control URL %.100s is not on the gateway",
		    urls->controlURL ? urls->controlURL : "(none)");
	return 0;
}

/* The pinhole service instead of WANIPConnection: its control URL must be
 * on the gateway too (c->control NULL, with the reason, if there is none). */
static void
upnp_pinhole(struct upnp_job *job, struct upnp_call *c,
    const struct IGDdatas *data, const struct UPNPUrls *urls)
{
	struct upnp_result *r = &job->res;
	struct upnphttp_url u;
	char why[REASON_LEN];

	c->control = NULL;
	if (data->IPv6FC.servicetype[0] == '\0' || urls->controlURL_6FC == NULL) {
		snprintf(r->map_error, sizeof(r->map_error), "the router offers "
		    "no IPv6 pinholes (no WANIPv6FirewallControl service)");
		return;
	}
	if (upnphttp_parse_url(urls->controlURL_6FC, &u, why, sizeof(why)) < 0 ||
	    !addr_equal(&u.host, &job->lim.gateway)) {
		snprintf(r->map_error, sizeof(r->map_error), "its pinhole control "
		    "URL %.100s is not on the gateway", urls->controlURL_6FC);
		return;
	}
	c->control = urls->controlURL_6FC;
	c->service = data->IPv6FC.servicetype;
	snprintf(r->finding.detail, sizeof(r->finding.detail), "IGDv2 pinholes");
}

/* Worker thread: description, status and external address, then args. */
static void
upnp_fetch(void *arg)
{
	struct upnp_job *job = arg;
	struct IGDdatas data;
	struct UPNPUrls urls;
	struct upnp_call c = { .lim = &job->lim };

	memset(&urls, 0, sizeof(urls));
	if (upnp_describe(job, &data, &urls) == 0) {
		c.control = urls.controlURL;
		c.service = data.first.servicetype;
		job->res.finding.answered = true;
		if (job->args.op >= UPNP_OP_PIN_STATUS)
			upnp_pinhole(job, &c, &data, &urls);
		else
			upnp_soap(&job->res, &c);
		if (job->args.op != UPNP_OP_STATUS && c.control != NULL)
			upnp_map_op(job, &c);
	}
	FreeUPNPUrls(&urls);
}

static void
upnp_report(struct upnpprobe *p)
{
	event_del(p->s.io);
	event_del(p->s.timer);
	event_del(p->s.deadline);
	p->cb(&p->job->res, p->arg);
}

static void
upnp_fetched(void *arg)
{
	struct upnpprobe *p = ((struct upnp_job *)arg)->probe;

	p->work = NULL;
	upnp_report(p);
}

static void
upnp_send(struct upnpprobe *p)
{
	char msg[512], host[ADDR_PORT_STRLEN], a[ADDR_STRLEN];
	struct sockaddr_storage ss;
	socklen_t sl;
	size_t n;

	addr_ntop(&p->gateway, a, sizeof(a));
	addr_ntop_port(&p->gateway, SSDP_PORT, host, sizeof(host));
	n = ssdp_build_msearch(msg, sizeof(msg), host, 0);
	sl = addr_to_sockaddr(&p->gateway, SSDP_PORT, &ss);
	if (sendto(p->s.fd, msg, n, 0, (struct sockaddr *)&ss, sl) < 0)
		log_debug("ssdp: unicast to %s: %s", a, strerror(errno));
	if (p->lan && p->sends == 0 && p->gateway.family == AF_INET) {
		struct netaddr m;
		addr_parse(SSDP_MCAST, &m);
		n = ssdp_build_msearch(msg, sizeof(msg), SSDP_MCAST ":1900", 1);
		sl = addr_to_sockaddr(&m, SSDP_PORT, &ss);
		if (sendto(p->s.fd, msg, n, 0, (struct sockaddr *)&ss, sl) < 0)
			log_debug("ssdp: multicast: %s", strerror(errno));
	}
	p->sends++;
}

static void
upnp_on_resend(evutil_socket_t fd, short what, void *arg)
{
	struct upnpprobe *p = arg;
	int wait_ms = UPNP_RESEND_MS << p->sends;

	(void)fd, (void)what;
	upnp_send(p);
	if (p->sends < 4)
		loop_after(p->s.timer, wait_ms);
}

/* IP_RECVERR queues ICMP errors: port unreachable from the gateway means
 * nothing listens for SSDP there, so there is no need to wait. */
static bool
upnp_port_closed(struct upnpprobe *p)
{
	struct icmperr e;
	char a[ADDR_STRLEN];

	while (icmperr_next(p->s.fd, &e)) {
		if (e.type != ICMP_UNREACHABLE || !addr_equal(&e.offender, &p->gateway))
			continue;
		snprintf(p->job->res.finding.detail,
		    sizeof(p->job->res.finding.detail), "SSDP port 1900 closed on "
		    "%s (ICMP port unreachable)", addr_ntop(&p->gateway, a,
		    sizeof(a)));
		p->job->res.finding.asked = true;
		upnp_report(p);
		return true;
	}
	return false;
}

/* Fetch descriptions only from the gateway that answered: a LOCATION naming
 * another host would make us connect wherever a LAN device points us. */
static bool
upnp_location_ok(struct upnpprobe *p, const char *location)
{
	struct proto_finding *f = &p->job->res.finding;
	struct netaddr h;
	char host[ADDR_STRLEN];

	if (ssdp_url_host(location, host, sizeof(host)) == 0 &&
	    addr_parse(host, &h) == 0 && addr_equal(&h, &p->gateway))
		return true;
	snprintf(f->detail, sizeof(f->detail), "SSDP LOCATION %.80s is not "
	    "on the gateway that answered", location);
	return false;
}

static void
upnp_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct upnpprobe *p = arg;
	struct upnp_result *r = &p->job->res;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct netaddr src;
	char buf[SSDP_MAX_LEN + 1], why[REASON_LEN];
	ssize_t n;

	(void)what;
	if (upnp_port_closed(p))
		return;
	while ((n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &fl)) >= 0) {
		addr_from_sockaddr((struct sockaddr *)&from, &src, NULL);
		fl = sizeof(from);
		if (!addr_equal(&src, &p->gateway))
			continue;	/* another LAN device, not our gateway */
		if (ssdp_parse_reply(buf, (size_t)n, &r->ssdp, why,
		    sizeof(why)) < 0) {
			snprintf(r->finding.detail, sizeof(r->finding.detail),
			    "%s", why);
			continue;
		}
		if (!upnp_location_ok(p, r->ssdp.location))
			continue;
		r->finding.asked = true;
		event_del(p->s.io);
		event_del(p->s.timer);
		p->work = worker_run(p->base, upnp_fetch, upnp_fetched, p->job);
		if (p->work == NULL)
			upnp_report(p);
		return;
	}
}

static void
upnp_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct upnpprobe *p = arg;
	struct proto_finding *f = &p->job->res.finding;
	char a[ADDR_STRLEN];

	(void)fd, (void)what;
	if (p->work != NULL) {
		struct upnp_job *fresh = calloc(1, sizeof(*fresh));
		if (fresh == NULL)
			abort();
		fresh->probe = p;
		fresh->lim.cancel_fd = -1;	/* no more work */
		fresh->args = p->job->args;
		fresh->res.ssdp = p->job->res.ssdp;
		upnp_job_cancel(p->work, p->job);	/* the thread frees it */
		p->work = NULL;
		p->job = fresh;
		f = &p->job->res.finding;
		snprintf(f->detail, sizeof(f->detail), "no answer to SOAP "
		    "requests in time");
	} else if (f->detail[0] == '\0') {
		snprintf(f->detail, sizeof(f->detail), "no SSDP answer from %s",
		    addr_ntop(&p->gateway, a, sizeof(a)));
	}
	f->asked = true;
	upnp_report(p);
}

static int
upnp_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unsigned char ttl = 2;

	if (fd >= 0 && family == AF_INET) {
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
		icmperr_enable(fd);
	}
	return fd;
}

struct upnpprobe *
upnpprobe_start(struct event_base *base, const struct netaddr *gateway,
    bool lan, int timeout_ms, const struct upnp_map_args *args,
    upnp_result_cb *cb, void *arg)
{
	static const struct loop_sock_cbs cbs = {
		.io = upnp_on_read, .timer = upnp_on_resend,
		.deadline = upnp_on_deadline
	};
	struct upnpprobe *p = calloc(1, sizeof(*p));
	int fd = -1;

	if (p == NULL || (p->job = upnp_job_new(p, gateway, timeout_ms)) == NULL ||
	    (fd = upnp_socket(gateway->family)) < 0 ||
	    loop_sock_open(&p->s, base, fd, true, &cbs, p) < 0) {
		upnp_job_release(p ? p->job : NULL);
		free(p);
		return NULL;
	}
	if (args != NULL)
		p->job->args = *args;
	p->base = base;
	p->gateway = *gateway;
	p->lan = lan;
	p->cb = cb;
	p->arg = arg;
	loop_after(p->s.deadline, timeout_ms);
	upnp_on_resend(-1, 0, p);
	return p;
}

void
upnpprobe_free(struct upnpprobe *p)
{
	if (p == NULL)
		return;
	if (p->work != NULL)
		upnp_job_cancel(p->work, p->job);
	else
		upnp_job_release(p->job);
	loop_sock_close(&p->s);
	free(p);
}
