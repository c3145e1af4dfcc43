/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /metrics: the Prometheus text exposition format (version 0.0.4), read
 * from the same status object as the page and `status --json`, and the
 * agent's counters. Names start with homereach_; counters end in _total,
 * times in _seconds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/daemon/agent.h"

/* A text that grows; NULL data once it could not. */
struct text {
	char *data;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->data == NULL)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			free(t->data);
			t->data = NULL;
			return;
		}
		if ((size_t)n < t->cap - t->len)
			break;
		char *more = realloc(t->data, t->cap * 2 + (size_t)n);
		if (more == NULL) {
			free(t->data);
			t->data = NULL;
			return;
		}
		t->data = more;
		t->cap = t->cap * 2 + (size_t)n;
	}
	t->len += (size_t)n;
}

/* A label value: backslash, quote and newline escaped. */
static const char *
metrics_label(const char *v, char *buf, size_t len)
{
	size_t o = 0;

	for (; v != NULL && *v && o + 3 < len; v++) {
		if (*v == '\\' || *v == '"' || *v == '\n')
			buf[o++] = '\\';
		buf[o++] = *v == '\n' ? 'n' : *v;
	}
	buf[o] = '\0';
	return buf;
}

static void
metrics_head(struct text *t, const char *name, const char *type,
    const char *help)
{
	text_add(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metrics_counters(struct text *t, const struct agent *a)
{
	metrics_head(t, "homereach_checks_total", "counter",
	    "Checks of the way in since the agent started.");
	text_add(t, "homereach_checks_total %llu\n",
	    (unsigned long long)a->count.checks);
	metrics_head(t, "homereach_updates_total", "counter",
	    "DNS record updates sent, by result.");
	text_add(t, "homereach_updates_total{result=\"ok\"} %llu\n"
	    "homereach_updates_total{result=\"failed\"} %llu\n",
	    (unsigned long long)a->count.updates_ok,
	    (unsigned long long)a->count.updates_failed);
	metrics_head(t, "homereach_outside_checks_total", "counter",
	    "Checks from outside of a mapping or pinhole, by result.");
	text_add(t, "homereach_outside_checks_total{result=\"open\"} %llu\n"
	    "homereach_outside_checks_total{result=\"failed\"} %llu\n",
	    (unsigned long long)a->count.outside_open,
	    (unsigned long long)a->count.outside_failed);
	metrics_head(t, "homereach_events_total", "counter",
	    "Events of the timeline, by kind.");
	for (int k = 0; k < HAP_KINDS; k++)
		text_add(t, "homereach_events_total{event=\"%s\"} %llu\n",
		    happening_name(k), (unsigned long long)timeline_count(
		    a->timeline, k));
	metrics_head(t, "homereach_last_change_timestamp_seconds", "gauge",
	    "When the public IPv4 address last changed (0: not since start).");
	text_add(t, "homereach_last_change_timestamp_seconds %lld\n",
	    (long long)a->count.last_change);
	metrics_head(t, "homereach_last_check_timestamp_seconds", "gauge",
	    "When the last check ended.");
	text_add(t, "homereach_last_check_timestamp_seconds %lld\n",
	    (long long)a->checked_at);
}

static const char *
metrics_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The relay in use, if there are relays: 1 with its address, else 0. */
static void
metrics_relay(struct text *t, json_t *r)
{
	char l1[128];

	if (r == NULL)
		return;
	metrics_head(t, "homereach_relay_in_use", "gauge",
	    "Whether IPv4 services go through a relay, and which (address).");
	if (json_object_get(r, "address") != NULL)
		text_add(t, "homereach_relay_in_use{address=\"%s\"} 1\n",
		    metrics_label(metrics_str(r, "address"), l1, sizeof(l1)));
	else
		text_add(t, "homereach_relay_in_use 0\n");
	metrics_head(t, "homereach_relays_passed_over", "gauge",
	    "Relays passed over for now: they stopped answering.");
	text_add(t, "homereach_relays_passed_over %zu\n",
	    json_array_size(json_object_get(r, "passed_over")));
}

/* From the status object: what the agent holds now. */
static void
metrics_state(struct text *t, json_t *st)
{
	char l1[128], l2[128], l3[128];
	json_t *m;
	size_t i;

	metrics_head(t, "homereach_info", "gauge",
	    "The verdict and the public addresses, as labels.");
	text_add(t, "homereach_info{verdict=\"%s\",public_ipv4=\"%s\","
	    "public_ipv6=\"%s\"} 1\n", metrics_label(metrics_str(st, "verdict"),
	    l1, sizeof(l1)), metrics_label(metrics_str(st, "public_ipv4"), l2,
	    sizeof(l2)), metrics_label(metrics_str(st, "public_ipv6"), l3,
	    sizeof(l3)));
	metrics_relay(t, json_object_get(st, "relay"));
	metrics_head(t, "homereach_mapping_lease_seconds", "gauge",
	    "Lease left of each service's mapping (family 4) or pinhole (6), "
	    "by protocol; -1 permanent.");
	json_array_foreach(json_object_get(st, "mappings"), i, m) {
		if (json_object_get(m, "lease_left") == NULL)
			continue;
		text_add(t, "homereach_mapping_lease_seconds{service=\"%s\","
		    "family=\"%d\",protocol=\"%s\"} %lld\n", metrics_label(
		    metrics_str(m, "service"), l1, sizeof(l1)),
		    json_is_true(json_object_get(m, "pinhole")) ? 6 : 4,
		    metrics_label(metrics_str(m, "via"), l2, sizeof(l2)),
		    (long long)json_integer_value(json_object_get(m, "lease_left")));
	}
	metrics_head(t, "homereach_outside_check", "gauge",
	    "1 when the last check from outside found the service open.");
	json_array_foreach(json_object_get(st, "mappings"), i, m) {
		json_t *o = json_object_get(m, "outside");
		if (o == NULL)
			continue;
		text_add(t, "homereach_outside_check{service=\"%s\",family=\"%d\"} "
		    "%d\n", metrics_label(metrics_str(m, "service"), l1,
		    sizeof(l1)), json_is_true(json_object_get(m, "pinhole")) ?
		    6 : 4, !strcmp(metrics_str(o, "result"), "open"));
	}
}

char *
agent_metrics(const struct agent *a, json_t *status)
{
	struct text t = { .data = malloc(4096), .cap = 4096 };

	if (t.data != NULL)
		t.data[0] = '\0';
	metrics_counters(&t, a);
	if (status != NULL)
		metrics_state(&t, status);
	return t.data;
}
