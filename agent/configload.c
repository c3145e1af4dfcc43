/*
 * config_load(): the file work around the pure parser. A file that holds
 * a secret may not be readable by group or others; secrets kept in files
 * of their own (*_file) are read here, relative to the config's folder.
 */
#include "agent/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
cfg_has_inline_secret(const struct config *cfg)
{
	if (cfg->redirect.tsig_secret.set && !cfg->redirect.tsig_secret.file[0])
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
cfg_private(struct config *cfg, int fd, const char *path, int line)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || (st.st_mode & 077) == 0)
		return 0;
	config_error(cfg, line, "%s holds a secret and group or others can read "
	    "it: chmod 600 %s", path, path);
	return -1;
}

/* A secret's own file: its first line, relative to the config's folder. */
static void
cfg_read_secret(struct config *cfg, struct secret *s)
{
	char path[2048], *slash;
	ssize_t n;
	int fd;

	if (s->file[0] == '\0')
		return;
	snprintf(path, sizeof(path), "%s", s->file);
	if (s->file[0] != '/' && (slash = strrchr(cfg->path, '/')) != NULL)
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - cfg->path),
		    cfg->path, s->file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		config_error(cfg, s->line, "%s: %s", path, strerror(errno));
		return;
	}
	if (cfg_private(cfg, fd, path, s->line) == 0) {
		n = read(fd, s->value, sizeof(s->value) - 1);
		s->value[n > 0 ? n : 0] = '\0';
		s->value[strcspn(s->value, "\r\n")] = '\0';
		s->set = s->value[0] != '\0';
		if (!s->set)
			config_error(cfg, s->line, "%s is empty", path);
	}
	close(fd);
}

int
config_load(const char *path, bool must_exist, struct config *cfg)
{
	char text[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		config_parse("", 0, path, cfg);
		if (errno == ENOENT && !must_exist)
			return 0;
		config_error(cfg, 0, "%s", strerror(errno));
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
		cfg_private(cfg, fd, path, 1);
	close(fd);
	for (int i = 0; i < cfg->nddns; i++) {
		cfg_read_secret(cfg, &cfg->ddns[i].password);
		cfg_read_secret(cfg, &cfg->ddns[i].token);
		cfg_read_secret(cfg, &cfg->ddns[i].tsig_secret);
	}
	cfg_read_secret(cfg, &cfg->redirect.tsig_secret);
	return cfg->nerrors ? -1 : 0;
}
