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
struct control_conn;
/* A request (one line of ctlmsg.h's vocabulary, unchecked): answer it
 * with control_reply, now or later. trusted: root or the agent's own user
 * asks (by SO_PEERCRED); the rest of its group may only read. */
typedef void control_cb(struct control_conn *cc, const char *request,
    bool trusted, void *arg);
/* The reply (malloc'd JSON text, taken; NULL: an unknown request). */
void control_reply(struct control_conn *cc, char *text);
/* A reply that comes later: gone(arg) runs if the connection ends first
 * (the client left, or the agent stops); cc is then freed. */
void control_later(struct control_conn *cc, void (*gone)(void *), void *arg);

/* Listen at dir/homereach.sock. A socket file left by a dead agent is
 * replaced; a live agent there is an error (-EADDRINUSE). */
struct control *control_start(struct event_base *base, const char *dir,
    control_cb *cb, void *arg, int *error);
void control_free(struct control *c);

/* Client side: send request, read the reply into a malloc'd string
 * (waiting up to wait_ms for it). -ENOENT or -ECONNREFUSED: no agent is
 * running. */
int control_ask(const char *dir, const char *request, int wait_ms,
    char **reply);
/* Does an agent answer at dir's socket? */
bool control_running(const char *dir);

#endif
