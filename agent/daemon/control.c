/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One request a connection, as ntpctl talks to ntpd: a line in, a reply
 * out, close. A client gets 2 seconds to send its line; nothing it sends
 * is trusted beyond choosing one of the known requests. The socket is
 * open to the agent's group (0660), but who asks is known from the kernel
 * (SO_PEERCRED): the group reads the status, only root and the agent's
 * own user change what it keeps. CONTROL_MAX_CONNS at once.
 */
#include "agent/daemon/control.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "agent/daemon/ctlmsg.h"
#include "lib/log.h"

#define CONTROL_MAX_LINE	64
#define CONTROL_MAX_CONNS	8

struct control {
	struct event_base *base;
	struct evconnlistener *listener;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_cb *cb;
	void *arg;
	struct control_conn *conns[CONTROL_MAX_CONNS];
	int nconns;
};

/* One client: its bufferevent's argument. */
struct control_conn {
	struct control *c;
	struct bufferevent *bev;
	bool trusted;			/* root, or the agent's own user */
	bool replied;
	void (*gone)(void *);		/* a later reply's waiter */
	void *gone_arg;
};

static void
control_done(struct bufferevent *bev, struct control_conn *cc)
{
	struct control *c = cc->c;

	if (!cc->replied && cc->gone != NULL)
		cc->gone(cc->gone_arg);
	bufferevent_free(bev);
	for (int i = 0; i < c->nconns; i++)
		if (c->conns[i] == cc)
			c->conns[i] = c->conns[--c->nconns];
	free(cc);
}

static int
control_path(const char *dir, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if ((size_t)snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir,
	    CONTROL_SOCKET) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

static void
control_on_write(struct bufferevent *bev, void *arg)
{
	control_done(bev, arg);	/* reply sent */
}

static void
control_on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	control_done(bev, arg);	/* EOF, error or timeout */
}

void
control_reply(struct control_conn *cc, char *text)
{
	struct bufferevent *bev = cc->bev;
	struct timeval patience = { 2, 0 };

	if (text == NULL)
		text = ctlmsg_reply_text(CTL_UNKNOWN, "unknown request");
	cc->replied = true;
	bufferevent_disable(bev, EV_READ);
	bufferevent_set_timeouts(bev, NULL, &patience);
	bufferevent_setcb(bev, NULL, control_on_write, control_on_event, cc);
	bufferevent_write(bev, text ? text : "{}", text ? strlen(text) : 2);
	bufferevent_write(bev, "\n", 1);
	free(text);
}

/* Its reader waits for EOF (the client gone) and no longer times out:
 * the waiter answers in its own time. */
void
control_later(struct control_conn *cc, void (*gone)(void *), void *arg)
{
	cc->gone = gone;
	cc->gone_arg = arg;
	bufferevent_set_timeouts(cc->bev, NULL, NULL);
}

static void
control_on_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct control *c = cc->c;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;

	if (cc->gone != NULL) {		/* waiting: nothing more is read */
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if ((line = evbuffer_readln(in, NULL, EVBUFFER_EOL_LF)) == NULL) {
		if (evbuffer_get_length(in) > CONTROL_MAX_LINE)
			control_done(bev, cc);
		return;
	}
	if (strlen(line) <= CONTROL_MAX_LINE)
		c->cb(cc, line, cc->trusted, c->arg);
	else
		control_reply(cc, NULL);
	free(line);
}

/* Root or this process's own user (the agent's), by the kernel's word. */
static bool
control_trusted(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	    (cred.uid == 0 || cred.uid == geteuid());
}

static void
control_on_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control *c = arg;
	struct timeval patience = { 2, 0 };
	struct control_conn *cc = NULL;
	struct bufferevent *bev = NULL;

	(void)l, (void)sa, (void)salen;
	if (c->nconns >= CONTROL_MAX_CONNS || (cc = calloc(1,
	    sizeof(*cc))) == NULL || (bev = bufferevent_socket_new(c->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(cc);
		close(fd);
		return;
	}
	cc->c = c;
	cc->bev = bev;
	cc->trusted = control_trusted(fd);
	c->conns[c->nconns++] = cc;
	bufferevent_setcb(bev, control_on_read, NULL, control_on_event, cc);
	bufferevent_set_timeouts(bev, &patience, &patience);
	bufferevent_enable(bev, EV_READ);
}

/* Is an agent answering there? */
static bool
control_alive(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive = fd >= 0 &&
	    connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;

	if (fd >= 0)
		close(fd);
	return alive;
}

struct control *
control_start(struct event_base *base, const char *dir, control_cb *cb,
    void *arg, int *error)
{
	struct control *c = calloc(1, sizeof(*c));
	struct sockaddr_un sun;
	mode_t old;

	*error = control_path(dir, &sun);
	if (c == NULL || *error < 0)
		goto fail;
	if (control_alive(&sun)) {
		*error = -EADDRINUSE;
		goto fail;
	}
	unlink(sun.sun_path);	/* left by an agent that died */
	old = umask(0117);	/* 0660 from the start, no window */
	c->listener = evconnlistener_new_bind(base, control_on_accept, c,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 8,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (c->listener == NULL) {
		*error = -errno;
		goto fail;
	}
	chmod(sun.sun_path, 0660);
	snprintf(c->path, sizeof(c->path), "%s", sun.sun_path);
	c->base = base;
	c->cb = cb;
	c->arg = arg;
	return c;
fail:
	free(c);
	return NULL;
}

void
control_free(struct control *c)
{
	if (c == NULL)
		return;
	while (c->nconns > 0)
		control_done(c->conns[0]->bev, c->conns[0]);
	evconnlistener_free(c->listener);
	unlink(c->path);
	free(c);
}

/* --- client --- */

static int
control_read_all(int fd, int wait_ms, char **reply)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		if (poll(&p, 1, wait_ms) <= 0) {
			free(buf);
			return -ETIMEDOUT;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
		if (len + 1 == cap && cap < CONTROL_MAX_REPLY) {
			char *bigger = realloc(buf, cap *= 2);
			if (bigger == NULL)
				break;
			buf = bigger;
		} else if (len + 1 == cap)
			break;
	}
	buf[len] = '\0';
	*reply = buf;
	return 0;
}

bool
control_running(const char *dir)
{
	struct sockaddr_un sun;

	return control_path(dir, &sun) == 0 && control_alive(&sun);
}

int
control_ask(const char *dir, const char *request, int wait_ms, char **reply)
{
	struct sockaddr_un sun;
	int fd, rc = control_path(dir, &sun);

	if (rc < 0)
		return rc;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    write(fd, request, strlen(request)) < 0 || write(fd, "\n", 1) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = control_read_all(fd, wait_ms, reply);
	close(fd);
	return rc;
}
