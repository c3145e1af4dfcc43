/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config_load(): the file work around the pure parser. Every file is
 * opened without blocking and must be a regular file. A file that holds a
 * secret (the configuration with one inline, a *_file, the redirect
 * server's users_file of password hashes) may not be readable by group or
 * others; secrets kept in files of their own are read here, relative to
 * the config's folder.
 */
#include "agent/config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/reason.h"

static bool
cfg_has_inline_secret(const struct config *cfg)
{
	if (cfg->redirect.tsig_secret.set && !cfg->redirect.tsig_secret.file[0])
		return true;
	for (int i = 0; i < cfg->nrelays; i++)
		if (cfg->relays[i].private_key.set &&
		    !cfg->relays[i].private_key.file[0])
			return true;
	for (int i = 0; i < cfg->nddns; i++) {
		const struct ddns_config *r = &cfg->ddns[i];
		if ((r->password.set && !r->password.file[0]) ||
		    (r->token.set && !r->token.file[0]) ||
		    (r->tsig_secret.set && !r->tsig_secret.file[0]))
			return true;
	}
	return false;
}

/* Group or others may not read a file that holds a secret. */
static int
cfg_private(struct config *cfg, int fd, const char *path, int line,
    const char *also)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || (st.st_mode & 077) == 0)
		return 0;
	config_error(cfg, line, "%s holds a secret and group or others can read "
	    "it: chmod 600 %s%s", path, path, also);
	return -1;
}

int
config_secret_owner(int fd, const char *path, char *why, size_t len)
{
	struct passwd *pw;
	char who[64];
	struct stat st;

	if (fstat(fd, &st) < 0)
		return reason(why, len, "%s: %s", path, strerror(errno));
	if (st.st_uid == 0 || st.st_uid == geteuid())
		return 0;	/* no user database asked (NSS costs the agent) */
	if ((pw = getpwnam(CONFIG_AGENT_USER)) != NULL && st.st_uid == pw->pw_uid)
		return 0;
	if ((pw = getpwuid(st.st_uid)) != NULL)
		snprintf(who, sizeof(who), "%s", pw->pw_name);
	else
		snprintf(who, sizeof(who), "uid %u", (unsigned)st.st_uid);
	return reason(why, len, "%s belongs to %s, who could change the secret: "
	    "chown it to root or %s", path, who, CONFIG_AGENT_USER);
}

/* Nobody but root and this user can change path or a folder on the way
 * to it (a hook runs with the agent's rights, whoever wrote it). A
 * sticky folder (/tmp) protects what is in it from others. */
static int
cfg_exec_safe(const char *path, char *why, size_t len)
{
	char part[1024];
	struct stat st;
	size_t n = strlen(path);

	if (n >= sizeof(part))
		return reason(why, len, "%s: too long", path);
	memcpy(part, path, n + 1);
	for (;;) {
		bool dir;
		if (stat(part, &st) < 0)
			return reason(why, len, "%s: %s", part, strerror(errno));
		dir = S_ISDIR(st.st_mode);
		if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		    !(dir && (st.st_mode & S_ISVTX))))
			return reason(why, len, "%s: %s can be changed by another "
			    "user (owner uid %u, mode %03o): a hook runs with the "
			    "agent's rights", path, part, (unsigned)st.st_uid,
			    (unsigned)(st.st_mode & 0777));
		if (strcmp(part, "/") == 0)
			return 0;
		*(strrchr(part, '/') == part ? part + 1 : strrchr(part, '/')) = '\0';
	}
}

/* name, relative to the config's folder. */
static void
cfg_path(const struct config *cfg, const char *name, char *path, size_t len)
{
	const char *slash = strrchr(cfg->path, '/');

	if (name[0] != '/' && slash != NULL)
		snprintf(path, len, "%.*s/%s", (int)(slash - cfg->path), cfg->path,
		    name);
	else
		snprintf(path, len, "%s", name);
}

/* A secret's own file: its first line. */
static void
cfg_read_secret(struct config *cfg, struct secret *s)
{
	char path[2048], why[REASON_LEN + 2048];
	ssize_t n;
	int fd;

	if (s->file[0] == '\0')
		return;
	cfg_path(cfg, s->file, path, sizeof(path));
	if ((fd = file_open_regular(path, why, sizeof(why))) < 0) {
		config_error(cfg, s->line, "%s", why);
		return;
	}
	if (config_secret_owner(fd, path, why, sizeof(why)) < 0)
		config_error(cfg, s->line, "%s", why);
	else if (cfg_private(cfg, fd, path, s->line, "") == 0) {
		n = read(fd, s->value, sizeof(s->value) - 1);
		s->value[n > 0 ? n : 0] = '\0';
		s->value[strcspn(s->value, "\r\n")] = '\0';
		s->set = s->value[0] != '\0';
		if (!s->set)
			config_error(cfg, s->line, "%s is empty", path);
	}
	close(fd);
}

/* The users file holds password hashes: the same rule as a secret. It
 * may not exist yet (redirect-server passwd makes it). */
static void
cfg_check_users(struct config *cfg)
{
	char path[2048], why[REASON_LEN + 2048];
	int fd;

	if (!cfg->redirect.users_file[0])
		return;
	cfg_path(cfg, cfg->redirect.users_file, path, sizeof(path));
	if ((fd = file_open_regular(path, why, sizeof(why))) == -ENOENT)
		return;
	if (fd < 0) {
		config_error(cfg, cfg->redirect.line, "users_file %s", why);
		return;
	}
	cfg_private(cfg, fd, path, cfg->redirect.line, "");
	close(fd);
}

int
config_load(const char *path, bool must_exist, struct config *cfg)
{
	char text[65536];
	ssize_t n;
	int fd = file_open_regular(path, NULL, 0);

	if (fd < 0) {
		config_parse("", 0, path, cfg);
		if (fd == -ENOENT && !must_exist)
			return 0;
		config_error(cfg, 0, "%s", fd == -EISDIR || fd == -EINVAL ?
		    "not a regular file" : strerror(-fd));
		return -1;
	}
	n = read(fd, text, sizeof(text));
	if (n < 0 || n == (ssize_t)sizeof(text)) {
		close(fd);
		config_parse("", 0, path, cfg);
		config_error(cfg, 0, "%s", n < 0 ? strerror(errno) : "larger than 64 KiB");
		return -1;
	}
	config_parse(text, (size_t)n, path, cfg);
	if (cfg_has_inline_secret(cfg))
		cfg_private(cfg, fd, path, 1, ", or move each secret to a "
		    "*_file, as a config its agent's group reads (0640) must");
	close(fd);
	for (int i = 0; i < cfg->nddns; i++) {
		cfg_read_secret(cfg, &cfg->ddns[i].password);
		cfg_read_secret(cfg, &cfg->ddns[i].token);
		cfg_read_secret(cfg, &cfg->ddns[i].tsig_secret);
	}
	cfg_read_secret(cfg, &cfg->redirect.tsig_secret);
	for (int i = 0; i < cfg->nrelays; i++)
		cfg_read_secret(cfg, &cfg->relays[i].private_key);
	cfg_read_secret(cfg, &cfg->web_password);
	for (int i = 0; i < cfg->nhooks; i++) {
		const struct hook_config *h = &cfg->hooks[i];
		char why[REASON_LEN + 1100];
		cfg_read_secret(cfg, &cfg->hooks[i].secret);
		if (h->exec[0] == '/' && access(h->exec, X_OK) < 0)
			config_error(cfg, h->line, "[hook %s] exec %s: %s", h->name,
			    h->exec, strerror(errno));
		else if (h->exec[0] == '/' && cfg_exec_safe(h->exec, why,
		    sizeof(why)) < 0)
			config_error(cfg, h->line, "[hook %s] exec %s", h->name, why);
	}
	cfg_check_users(cfg);
	return cfg->nerrors ? -1 : 0;
}

int
config_read(const char *path, struct config *cfg)
{
	if (config_load(path ? path : CONFIG_DEFAULT_PATH, path != NULL, cfg) == 0)
		return 0;
	for (int i = 0; i < cfg->nerrors; i++)
		fprintf(stderr, "homereach: %s\n", cfg->errors[i]);
	return -1;
}
