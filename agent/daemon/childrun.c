/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * posix_spawn with the helper's stdout on a pipe (and, for a helper that
 * waits for its options, its stdin on another). End of file on the pipe
 * means the helper is exiting; it is reaped with WNOHANG, polled every
 * 5 ms for the moment between its close and its exit.
 * Each child leads a process group of its own, and a kill takes the whole
 * group: a hook's own children outlived its time limit.
 */
#include "agent/daemon/childrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/loop.h"

extern char **environ;

struct childrun {
	pid_t pid;
	struct loop_sock s;		/* its stdout; timer: the reap poll */
	int in;				/* its standard input, or -1 */
	char line[512];
	size_t len;
	childrun_cb *cb;
	childrun_line_cb *on_line;
	void *arg;
};

static void
childrun_on_reap(evutil_socket_t fd, short what, void *arg)
{
	struct childrun *r = arg;
	int status;
	pid_t got = waitpid(r->pid, &status, WNOHANG);

	(void)fd, (void)what;
	if (got == 0) {
		loop_after(r->s.timer, 5);
		return;
	}
	r->pid = 0;
	r->cb(got > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, r->arg);
}

static void
childrun_take(struct childrun *r, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && r->len + 1 < sizeof(r->line)) {
			r->line[r->len++] = buf[i];
			continue;
		}
		r->line[r->len] = '\0';
		if (r->len > 0)
			log_debug("ddns helper: %s", r->line);
		if (r->len > 0 && r->on_line != NULL)
			r->on_line(r->line, r->arg);
		r->len = 0;
	}
}

static void
childrun_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct childrun *r = arg;
	char buf[1024];
	ssize_t n;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		childrun_take(r, buf, (size_t)n);
	if (n < 0 && errno == EAGAIN)
		return;
	event_del(r->s.io);
	childrun_on_reap(-1, 0, r);
}

/* The pipes, and the loop's events on the helper's stdout. */
static int
childrun_pipes(struct childrun *r, struct event_base *base, int p[2], int q[2],
    bool waiting)
{
	static const struct loop_sock_cbs cbs = {
		.io = childrun_on_read, .timer = childrun_on_reap
	};

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (waiting && pipe2(q, O_CLOEXEC) < 0) {
		close(p[0]), close(p[1]);
		return -1;
	}
	if (loop_sock_open(&r->s, base, p[0], true, &cbs, r) < 0) {
		close(p[1]);		/* p[0] is closed with r->s */
		if (waiting)
			close(q[0]), close(q[1]);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	return 0;
}

struct childrun *
childrun_start(struct event_base *base, char *const argv[],
    char *const envp[], bool waiting, childrun_cb *cb, void *arg)
{
	struct childrun *r = calloc(1, sizeof(*r));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int p[2], q[2] = { -1, -1 }, rc;

	if (r == NULL)
		return NULL;
	if (childrun_pipes(r, base, p, q, waiting) < 0) {
		log_warn("cannot start %s", argv[0]);
		free(r);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	if (waiting)
		posix_spawn_file_actions_adddup2(&fa, q[0], STDIN_FILENO);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);	/* its own group */
	rc = posix_spawn(&r->pid, argv[0], &fa, &at, argv, envp ? envp :
	    environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (q[0] >= 0)
		close(q[0]);
	r->in = q[1];
	if (rc != 0) {
		errno = rc;
		log_warn("cannot run %s", argv[0]);
		childrun_free(r);
		return NULL;
	}
	r->cb = cb;
	r->arg = arg;
	return r;
}

void
childrun_go(struct childrun *r, const char *line)
{
	if (r->in < 0)
		return;
	/* A short line into an empty pipe: it does not block. */
	if (line != NULL)
		(void)!write(r->in, line, strlen(line));
	(void)!write(r->in, "\n", 1);
	close(r->in);
	r->in = -1;
}

bool
childrun_waiting(const struct childrun *r)
{
	return r != NULL && r->in >= 0;
}

void
childrun_free(struct childrun *r)
{
	if (r == NULL)
		return;
	if (r->in >= 0)
		close(r->in);
	if (r->pid > 0) {
		kill(-r->pid, SIGKILL);		/* the group: its children too */
		waitpid(r->pid, NULL, 0);
	}
	loop_sock_close(&r->s);
	free(r);
}

void
childrun_on_line(struct childrun *r, childrun_line_cb *cb)
{
	if (r != NULL)
		r->on_line = cb;
}
