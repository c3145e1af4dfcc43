/* SPDX-License-Identifier: BSD-2-Clause */
/* The agent's control socket: a Unix stream socket (mode 0660) where a
 * client writes one request line and reads one JSON reply. */
#ifndef HOMEREACH_CONTROL_H
#define HOMEREACH_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#define CONTROL_SOCKET	"homereach.sock"
#define CONTROL_MAX_REPLY	(256 * 1024)

struct event_base;
struct control;
/* The reply to request ("status", "check"), malloc'd JSON text, or NULL
 * for an unknown request. trusted: root or the agent's own user asks (by
 * SO_PEERCRED); the rest of its group may only read. */
typedef char *control_cb(const char *request, bool trusted, void *arg);

/* Listen at dir/homereach.sock. A socket file left by a dead agent is
 * replaced; a live agent there is an error (-EADDRINUSE). */
struct control *control_start(struct event_base *base, const char *dir,
    control_cb *cb, void *arg, int *error);
void control_free(struct control *c);

/* Client side: send request, read the reply into a malloc'd string.
 * -ENOENT or -ECONNREFUSED: no agent is running. */
int control_ask(const char *dir, const char *request, char **reply);

#endif
