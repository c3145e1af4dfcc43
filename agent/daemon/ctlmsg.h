/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's control vocabulary, declared once for both ends: the
 * requests (the command line's own words, one line: "status", "check",
 * "ddns update", "map add 8080/tcp [--external 9000]", "map del 53/udp"),
 * parsed by one parser; the replies, JSON with a code beside the
 * sentence, so that no end matches English; and the way in a map add
 * got, as one object.
 */
#ifndef HOMEREACH_CTLMSG_H
#define HOMEREACH_CTLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "nat/maprec.h"

enum ctl_verb { CTL_STATUS, CTL_CHECK, CTL_DDNS_UPDATE, CTL_MAP_ADD,
	CTL_MAP_DEL };

struct ctl_request {
	enum ctl_verb verb;
	int protocol;			/* map: IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port, external_port;	/* external: 0 for the port */
};

/* The reply codes; ctlmsg_code_name gives each its word on the wire. */
enum ctl_code {
	CTL_OK,
	CTL_UNKNOWN,		/* not a request of this vocabulary */
	CTL_NOT_ALLOWED,	/* only root and the agent's user change things */
	CTL_NO_SUCH_PORT,	/* del: the agent keeps no such port */
	CTL_CONFIGURED,		/* del: a [service] section keeps it */
	CTL_FULL,		/* add: as many services as it can keep */
	CTL_PENDING,		/* add: kept, but not granted within the wait */
};

/* "map add 8080/tcp --external 9000"; the length, as snprintf. */
int ctlmsg_format(const struct ctl_request *r, char *buf, size_t len);
/* One line of the vocabulary; -1 if it is none. */
int ctlmsg_parse(const char *line, struct ctl_request *r);

const char *ctlmsg_code_name(enum ctl_code code);
/* {"ok": code == CTL_OK, "code": NAME, "error": sentence (not for OK)}. */
json_t *ctlmsg_reply(enum ctl_code code, const char *sentence);
/* The same as text to send (malloc'd). */
char *ctlmsg_reply_text(enum ctl_code code, const char *sentence);
/* A reply's code; CTL_UNKNOWN for a reply without one we know. */
enum ctl_code ctlmsg_code(const json_t *reply);

/* A way in, as a map add's reply carries it: its kind and each layer's
 * record; or its kind and why it failed. */
json_t *ctlmsg_way(const char *kind, const struct map_record *layers,
    int n, const char *error);
/* Back into records (at most max): the number of layers, 0 with *error
 * set for a failed way, -1 if the object is not a way. */
int ctlmsg_way_parse(const json_t *way, struct map_record *layers, int max,
    const char **error);

#endif
