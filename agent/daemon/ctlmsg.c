/* SPDX-License-Identifier: BSD-2-Clause */
#include "agent/daemon/ctlmsg.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/names.h"

#define CTLMSG_MAX_WORDS	6

static const char *const ctl_codes[] = {
	[CTL_OK] = "ok",
	[CTL_UNKNOWN] = "unknown-request",
	[CTL_NOT_ALLOWED] = "not-allowed",
	[CTL_NO_SUCH_PORT] = "no-such-port",
	[CTL_CONFIGURED] = "configured",
	[CTL_FULL] = "full",
	[CTL_PENDING] = "pending",
};

int
ctlmsg_format(const struct ctl_request *r, char *buf, size_t len)
{
	switch (r->verb) {
	case CTL_STATUS: return snprintf(buf, len, "status");
	case CTL_CHECK: return snprintf(buf, len, "check");
	case CTL_DDNS_UPDATE: return snprintf(buf, len, "ddns update");
	case CTL_MAP_DEL:
		return snprintf(buf, len, "map del %u/%s", r->port,
		    proto_name(r->protocol));
	case CTL_MAP_ADD:
		if (r->external_port == 0)
			return snprintf(buf, len, "map add %u/%s", r->port,
			    proto_name(r->protocol));
		return snprintf(buf, len, "map add %u/%s --external %u", r->port,
		    proto_name(r->protocol), r->external_port);
	}
	return -1;
}

/* "8080" or "8080/tcp" or "53/udp"; 1 to 65535 */
static int
ctlmsg_port(const char *word, uint16_t *port, int *protocol)
{
	char *end;
	unsigned long v = strtoul(word, &end, 10);

	if (protocol != NULL) {
		*protocol = IPPROTO_TCP;
		if (!strcmp(end, "/udp"))
			*protocol = IPPROTO_UDP;
		else if (*end != '\0' && strcmp(end, "/tcp") != 0)
			return -1;
	} else if (*end != '\0')
		return -1;
	if (word[0] < '0' || word[0] > '9' || v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
ctlmsg_split(char *line, char *words[])
{
	char *save = NULL;
	int n = 0;

	for (char *w = strtok_r(line, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		if (n == CTLMSG_MAX_WORDS)
			return -1;
		else
			words[n++] = w;
	return n;
}

static int
ctlmsg_parse_map(char *words[], int n, struct ctl_request *r)
{
	if (n < 3 || ctlmsg_port(words[2], &r->port, &r->protocol) < 0)
		return -1;
	if (!strcmp(words[1], "del") && n == 3) {
		r->verb = CTL_MAP_DEL;
		return 0;
	}
	if (strcmp(words[1], "add") != 0)
		return -1;
	r->verb = CTL_MAP_ADD;
	if (n == 3)
		return 0;
	if (n != 5 || strcmp(words[3], "--external") != 0)
		return -1;
	return ctlmsg_port(words[4], &r->external_port, NULL);
}

int
ctlmsg_parse(const char *line, struct ctl_request *r)
{
	char buf[80], *words[CTLMSG_MAX_WORDS];
	int n;

	if (strlen(line) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", line);
	memset(r, 0, sizeof(*r));
	if ((n = ctlmsg_split(buf, words)) <= 0)
		return -1;
	if (n == 1 && !strcmp(words[0], "status"))
		r->verb = CTL_STATUS;
	else if (n == 1 && !strcmp(words[0], "check"))
		r->verb = CTL_CHECK;
	else if (n == 2 && !strcmp(words[0], "ddns") &&
	    !strcmp(words[1], "update"))
		r->verb = CTL_DDNS_UPDATE;
	else if (!strcmp(words[0], "map"))
		return ctlmsg_parse_map(words, n, r);
	else
		return -1;
	return 0;
}

const char *
ctlmsg_code_name(enum ctl_code code)
{
	return ctl_codes[code];
}

json_t *
ctlmsg_reply(enum ctl_code code, const char *sentence)
{
	json_t *o = json_pack("{s:b, s:s}", "ok", code == CTL_OK, "code",
	    ctl_codes[code]);

	if (o != NULL && code != CTL_OK && sentence != NULL)
		json_object_set_new(o, "error", json_string(sentence));
	return o;
}

char *
ctlmsg_reply_text(enum ctl_code code, const char *sentence)
{
	json_t *o = ctlmsg_reply(code, sentence);
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return text;
}

enum ctl_code
ctlmsg_code(const json_t *reply)
{
	const char *name = json_string_value(json_object_get(reply, "code"));

	for (size_t i = 0; name != NULL &&
	    i < sizeof(ctl_codes) / sizeof(ctl_codes[0]); i++)
		if (!strcmp(name, ctl_codes[i]))
			return (enum ctl_code)i;
	return CTL_UNKNOWN;
}

/* --- a way in --- */

static json_t *
ctlmsg_addr(const struct netaddr *a)
{
	char t[ADDR_STRLEN];

	return json_string(a->family ? addr_ntop(a, t, sizeof(t)) : "");
}

json_t *
ctlmsg_way(const char *kind, const struct map_record *layers, int n,
    const char *error)
{
	json_t *o = json_pack("{s:s}", "kind", kind), *list = json_array();

	if (error != NULL)
		json_object_set_new(o, "error", json_string(error));
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:o, s:i, s:I}",
		    "gateway", ctlmsg_addr(&layers[i].gateway), "via",
		    via_name(layers[i].via), "external_address",
		    ctlmsg_addr(&layers[i].external), "external_port",
		    layers[i].external_port, "lifetime",
		    (json_int_t)layers[i].lifetime));
	json_object_set_new(o, "layers", list);
	return o;
}

static int
ctlmsg_layer_parse(const json_t *l, struct map_record *m)
{
	const char *gw = json_string_value(json_object_get(l, "gateway"));
	const char *ext = json_string_value(json_object_get(l, "external_address"));
	const char *via = json_string_value(json_object_get(l, "via"));
	json_int_t port = json_integer_value(json_object_get(l, "external_port"));

	memset(m, 0, sizeof(*m));
	if (gw == NULL || ext == NULL || via == NULL || port < 0 ||
	    port > 65535 || addr_parse(gw, &m->gateway) < 0 ||
	    (ext[0] && addr_parse(ext, &m->external) < 0) ||
	    via_parse(via, &m->via) < 0)
		return -1;
	m->external_port = (uint16_t)port;
	m->lifetime = (uint32_t)json_integer_value(json_object_get(l,
	    "lifetime"));
	return 0;
}

int
ctlmsg_way_parse(const json_t *way, struct map_record *layers, int max,
    const char **error)
{
	const json_t *list = json_object_get(way, "layers");
	size_t n = json_array_size(list);

	*error = json_string_value(json_object_get(way, "error"));
	if (*error != NULL)
		return 0;
	if (n == 0 || n > (size_t)max)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ctlmsg_layer_parse(json_array_get(list, i), &layers[i]) < 0)
			return -1;
	return (int)n;
}
