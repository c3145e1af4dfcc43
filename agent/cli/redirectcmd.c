/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach redirect-server: run the port-redirecting DDNS server in the
 * foreground, or (passwd) add a host's credentials to its users file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "ddns/redirect/redirparse.h"
#include "ddns/redirect/redirreg.h"
#include "ddns/redirect/redirserver.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/reason.h"

static void
redirectcmd_usage(FILE *out)
{
	fprintf(out, "Usage: homereach redirect-server [--config FILE]\n"
	    "       homereach redirect-server passwd --users FILE [--user NAME] "
	    "HOSTNAME\n"
	    "passwd reads the password from standard input (one line) and "
	    "adds or replaces\nthe entry of HOSTNAME and NAME (by default the "
	    "host name itself).\n");
}

/* --- passwd --- */

static int
redirectcmd_read_password(char *buf, size_t len)
{
	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? 0 : -1;
}

/* The users file anew (file_replace, 0600): its lines but host:user's,
 * and line. */
static int
redirectcmd_write(const char *users, const char *host, const char *user,
    const char *line)
{
	static const struct file_owner fo = { .mode = 0600, .uid = (uid_t)-1,
	    .gid = (gid_t)-1 };
	char old[1024], why[REASON_LEN + 1100], *text = NULL;
	struct redirparse_user u;
	FILE *in = file_fopen_regular(users, why, sizeof(why)), *out;
	size_t len = 0;
	int replaced = 0, rc = -1;

	if (in == NULL && errno != ENOENT) {
		fprintf(stderr, "homereach redirect-server passwd: %s\n", why);
		return -1;
	}
	if ((out = open_memstream(&text, &len)) == NULL) {
		if (in)
			fclose(in);
		return -1;
	}
	while (in && fgets(old, sizeof(old), in) != NULL) {
		if (redirparse_user(old, &u) == 0 &&
		    !strcasecmp(u.host, host) && !strcmp(u.user, user)) {
			replaced = 1;
			continue;
		}
		fputs(old, out);
	}
	fprintf(out, "%s\n", line);
	if (in)
		fclose(in);
	if (fclose(out) == 0)
		rc = file_replace(users, text, len, &fo, why, sizeof(why));
	free(text);
	if (rc < 0) {
		fprintf(stderr, "homereach redirect-server passwd: %s\n", why);
		return -1;
	}
	fprintf(stderr, "%s: %s %s (user %s)\n", users, replaced ? "replaced" :
	    "added", host, user);
	return 0;
}

static int
redirectcmd_passwd(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "users", required_argument, NULL, 'u' },
		{ "user", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *users = NULL, *user = NULL;
	char pass[256], line[600], why[160], host[REDIRPARSE_NAME_LEN];
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'u')
			users = optarg;
		else if (ch == 'n')
			user = optarg;
		else {
			redirectcmd_usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (users == NULL || optind != argc - 1) {
		redirectcmd_usage(stderr);
		return EXIT_USAGE;
	}
	if (redirparse_host(argv[optind], host, sizeof(host)) < 0 ||
	    strchr(argv[optind], ':')) {
		fprintf(stderr, "homereach redirect-server passwd: \"%s\" is not "
		    "a DNS host name\n", argv[optind]);
		return EXIT_USAGE;
	}
	user = user ? user : host;
	if (user[0] == '\0' || strchr(user, ':') || strlen(user) >= 128) {
		fprintf(stderr, "homereach redirect-server passwd: --user: want 1 "
		    "to 127 characters, no colon\n");
		return EXIT_USAGE;
	}
	if (redirectcmd_read_password(pass, sizeof(pass)) < 0) {
		fprintf(stderr, "homereach redirect-server passwd: no password on "
		    "standard input\n");
		return EXIT_USAGE;
	}
	rc = redirreg_entry(host, user, pass, line, sizeof(line), why, sizeof(why));
	explicit_bzero(pass, sizeof(pass));
	if (rc < 0) {
		fprintf(stderr, "homereach redirect-server passwd: %s\n", why);
		return 1;
	}
	return redirectcmd_write(users, host, user, line) < 0 ? 1 : 0;
}

/* --- the server --- */

static void
redirectcmd_on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	log_info("signal %d: stopping", (int)sig);
	event_base_loopbreak(arg);
}

/* epoll with libevent's changelist: a request turns its connection's
 * read and write interest around several times per loop; the changelist
 * makes that one epoll_ctl, not several (a third of the time, measured). */
static struct event_base *
redirectcmd_base(void)
{
	struct event_config *ec = event_config_new();
	struct event_base *base;

	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

static int
redirectcmd_serve(struct config *cfg)
{
	struct event_base *base;
	static const int sigs[2] = { SIGTERM, SIGINT };
	struct event *evs[2];
	struct redirsrv *s;
	char why[300];

	signal(SIGPIPE, SIG_IGN);
	evthread_use_pthreads();
	base = redirectcmd_base();
	if ((s = redirsrv_new(base, &cfg->redirect, why, sizeof(why))) == NULL) {
		fprintf(stderr, "homereach redirect-server: %s\n", why);
		event_base_free(base);
		return 1;
	}
	if (loop_signals(base, sigs, 2, redirectcmd_on_signal, base, evs) < 0) {
		fprintf(stderr, "homereach redirect-server: out of memory\n");
		redirsrv_free(s);
		event_base_free(base);
		return 1;
	}
	log_info("redirect server ready: %d plain and %d TLS listener%s, DNS %s",
	    cfg->redirect.nlisten, cfg->redirect.ntls,
	    cfg->redirect.ntls == 1 ? "" : "s", cfg->redirect.dns_server);
	event_base_dispatch(base);
	redirsrv_free(s);
	loop_signals_free(evs, 2);
	event_base_free(base);
	return 0;
}

int
redirectcmd_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	struct config *cfg;
	int ch, rc;

	if (argc > 1 && !strcmp(argv[1], "passwd"))
		return redirectcmd_passwd(argc - 1, argv + 1);
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (ch == 'c')
			path = optarg;
		else {
			redirectcmd_usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL || config_read(path, cfg) < 0) {
		free(cfg);
		return EXIT_USAGE;
	}
	if (!cfg->redirect.set) {
		fprintf(stderr, "homereach redirect-server: %s has no "
		    "[redirect-server] section\n", cfg->path);
		free(cfg);
		return EXIT_USAGE;
	}
	if (cfg->log == LOG_TO_SYSLOG)
		log_to_syslog();
	rc = redirectcmd_serve(cfg);
	explicit_bzero(&cfg->redirect.tsig_secret, sizeof(cfg->redirect.tsig_secret));
	free(cfg);
	return rc;
}
