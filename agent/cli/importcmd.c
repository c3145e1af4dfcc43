/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach import ddclient|inadyn [FILE] [--write] [--config PATH]: read
 * the other client's configuration and print homereach.conf. --write
 * writes it to PATH, and each secret to a file of its own beside it (mode
 * 0600; the agent's user owns them when run as root), never printed. An
 * existing file is replaced only with --force, kept as PATH.old.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "agent/import/imported.h"
#include "ddns/tsig.h"
#include "lib/file.h"
#include "lib/reason.h"

#define IMPORT_MAX_TEXT	(1024 * 1024)

struct import_cmd {
	const char *client, *source, *path;
	bool write, force;
	char dir[1024];			/* where the secrets go */
};

/* The whole file, NUL-terminated; NULL with a one-line error. */
static char *
import_read(const char *path, size_t *len)
{
	char why[300], *text = malloc(IMPORT_MAX_TEXT + 1);
	ssize_t n = 0, r;
	int fd = file_open_regular(path, why, sizeof(why));

	if (fd < 0 || text == NULL) {
		fprintf(stderr, "homereach import: %s\n", fd < 0 ? why :
		    "out of memory");
		free(text);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (n < IMPORT_MAX_TEXT && (r = read(fd, text + n,
	    IMPORT_MAX_TEXT - (size_t)n)) > 0)
		n += r;
	close(fd);
	if (n == IMPORT_MAX_TEXT) {
		fprintf(stderr, "homereach import: %s: larger than 1 MB\n", path);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	*len = (size_t)n;
	return text;
}

/* ddclient's nsupdate names a BIND key file: its name, algorithm and
 * secret become the record's TSIG. Relative to the imported file. */
static int
import_key_file(const struct import_cmd *c, struct imported_record *r)
{
	char path[2100], why[REASON_LEN], *text, *copy = strdup(c->source);
	size_t len;
	int rc = -1;

	snprintf(path, sizeof(path), "%s%s%s", r->key_file[0] == '/' ? "" :
	    dirname(copy), r->key_file[0] == '/' ? "" : "/", r->key_file);
	free(copy);
	if (r->key_file[0] == '\0') {
		fprintf(stderr, "homereach import: %s:%d: nsupdate without a key "
		    "file (password=)\n", c->source, r->line);
		return -1;
	}
	if ((text = import_read(path, &len)) == NULL)
		return -1;
	if (import_bind_key(text, len, r->tsig_key, sizeof(r->tsig_key),
	    r->tsig_algorithm, sizeof(r->tsig_algorithm), r->secret,
	    sizeof(r->secret), why, sizeof(why)) < 0)
		fprintf(stderr, "homereach import: %s: %s\n", path, why);
	else if (tsig_wire_name(r->tsig_algorithm, why, sizeof(why)) == NULL)
		fprintf(stderr, "homereach import: %s:%d: key file %s: %s\n",
		    c->source, r->line, path, why);
	else
		rc = 0;
	explicit_bzero(text, len);
	free(text);
	return rc;
}

/* What an imported file becomes: the agent's user owns a secret (or, for
 * the config, its group reads it) when there is one and this runs as
 * root. */
static struct file_owner
import_owner(bool config)
{
	struct passwd *pw = geteuid() == 0 ? getpwnam(CONFIG_AGENT_USER) : NULL;
	struct file_owner fo = { .mode = 0600, .uid = (uid_t)-1,
	    .gid = (gid_t)-1 };

	if (pw != NULL) {
		fo.uid = config ? 0 : pw->pw_uid;
		fo.gid = pw->pw_gid;
		fo.mode = config ? 0640 : 0600;
	}
	return fo;
}

/* The secret file that is there already: the same secret, in a regular
 * file of a user who may hold it (a FIFO hung import; another user's
 * file would let that user change the key). */
static int
import_secret_same(const char *path, const char *secret)
{
	char old[300], why[REASON_LEN + 1200];
	ssize_t n;
	int fd = file_open_regular(path, why, sizeof(why));

	if (fd == -ENOENT)
		return 1;
	if (fd < 0 || config_secret_owner(fd, path, why, sizeof(why)) < 0) {
		fprintf(stderr, "homereach import: %s\n", why);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	n = read(fd, old, sizeof(old) - 1);
	close(fd);
	old[n > 0 ? n : 0] = '\0';
	old[strcspn(old, "\n")] = '\0';
	if (strcmp(old, secret) == 0)
		return 0;
	fprintf(stderr, "homereach import: %s exists and holds another secret: "
	    "move it away first\n", path);
	return -1;
}

/* A secret's file: made (0600), or already holding the same secret. */
static int
import_secret(const struct import_cmd *c, const struct imported_record *r)
{
	struct file_owner fo = import_owner(false);
	char path[1200], line[300], why[REASON_LEN + 1200];
	int rc, n;

	if (imported_secret_path(r, c->dir, path, sizeof(path)) < 0)
		return -1;
	if ((rc = import_secret_same(path, r->secret)) <= 0)
		return rc;
	n = snprintf(line, sizeof(line), "%s\n", r->secret);
	rc = file_replace(path, line, (size_t)n, &fo, why, sizeof(why));
	explicit_bzero(line, sizeof(line));
	if (rc < 0)
		fprintf(stderr, "homereach import: %s\n", why);
	return rc;
}

/* Nothing is written into a folder another user can write (a link they
 * plant is followed by root): said before any file is made. */
static int
import_folder(const struct import_cmd *c)
{
	struct file_owner fo = import_owner(true);
	char why[REASON_LEN + 1200];
	int fd = file_folder_open(c->path, &fo, why, sizeof(why));

	if (fd < 0) {
		fprintf(stderr, "homereach import: %s\n", why);
		return -1;
	}
	close(fd);
	return 0;
}

static int
import_write(const struct import_cmd *c, const char *text, size_t len)
{
	struct file_owner fo = import_owner(true);
	char old[1100], why[REASON_LEN + 1200];
	struct stat st;

	if (lstat(c->path, &st) == 0) {
		if (!c->force) {
			fprintf(stderr, "homereach import: %s exists: --force replaces "
			    "it (kept as %s.old)\n", c->path, c->path);
			return -1;
		}
		snprintf(old, sizeof(old), "%s.old", c->path);
		if (rename(c->path, old) < 0) {
			fprintf(stderr, "homereach import: %s: %s\n", old,
			    strerror(errno));
			return -1;
		}
	}
	if (file_replace(c->path, text, len, &fo, why, sizeof(why)) < 0) {
		fprintf(stderr, "homereach import: %s\n", why);
		return -1;
	}
	return 0;
}

/* The usage, and -1 to stop with rc (0 for --help). */
static int
import_usage(FILE *out, int rc)
{
	fprintf(out, "Usage: homereach import ddclient|inadyn [FILE] [--write "
	    "[--force]] [--config PATH]\n"
	    "  FILE      the client's configuration (/etc/ddclient.conf, "
	    "/etc/inadyn.conf)\n"
	    "  --write   write PATH, and each secret to a file of its own "
	    "beside it\n"
	    "  --config  where homereach.conf goes (%s)\n", CONFIG_DEFAULT_PATH);
	return rc == 0 ? 1 : -1;
}

static int
import_options(struct import_cmd *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "force", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *copy;
	int ch;

	c->path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt_long(argc, argv, "wfc:h", opts, NULL)) != -1)
		if (ch == 'w' || ch == 'f')
			*(ch == 'w' ? &c->write : &c->force) = true;
		else if (ch == 'c')
			c->path = optarg;
		else
			return import_usage(ch == 'h' ? stdout : stderr,
			    ch == 'h' ? 0 : EXIT_USAGE);
	if (optind >= argc || optind + 2 < argc || (strcmp(argv[optind],
	    "ddclient") && strcmp(argv[optind], "inadyn")))
		return import_usage(stderr, EXIT_USAGE);
	c->client = argv[optind];
	c->source = optind + 1 < argc ? argv[optind + 1] :
	    !strcmp(c->client, "ddclient") ? "/etc/ddclient.conf" :
	    "/etc/inadyn.conf";
	copy = strdup(c->path);
	snprintf(c->dir, sizeof(c->dir), "%s", copy ? dirname(copy) : ".");
	free(copy);
	return 0;
}

/* The secrets and the nsupdate key files: 0, or -1 said on stderr. */
static int
import_secrets(const struct import_cmd *c, struct imported *im)
{
	for (int i = 0; i < im->nrec; i++) {
		struct imported_record *r = &im->rec[i];
		if (r->key_file[0] && import_key_file(c, r) < 0)
			return -1;
		if (c->write && r->secret_key && r->secret[0] &&
		    import_secret(c, r) < 0)
			return -1;
	}
	return 0;
}

static int
import_run(const struct import_cmd *c, struct imported *im, const char *text,
    size_t len)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int rc = 0;

	(!strcmp(c->client, "ddclient") ? import_ddclient : import_inadyn)(text,
	    len, im);
	for (int i = 0; i < im->nerrors; i++)
		fprintf(stderr, "homereach import: %s:%s\n", c->source,
		    im->errors[i]);
	if (c->write && im->nerrors == 0 && import_folder(c) < 0)
		return 1;
	if (im->nerrors > 0 || import_secrets(c, im) < 0)
		return EXIT_USAGE;
	if ((f = open_memstream(&out, &outlen)) == NULL)
		return 1;
	imported_write(im, c->source, c->dir, f);
	fclose(f);
	if (!c->write)
		fwrite(out, 1, outlen, stdout);
	else if ((rc = import_write(c, out, outlen)) == 0)
		fprintf(stderr, "homereach import: wrote %s: %d record%s, %d line%s "
		    "with no equivalent (comments at its end)\n", c->path,
		    im->nrec, im->nrec == 1 ? "" : "s", im->nnotes,
		    im->nnotes == 1 ? "" : "s");
	free(out);
	return rc == 0 ? 0 : 1;
}

int
import_main(int argc, char *argv[])
{
	struct import_cmd c = { 0 };
	struct imported *im;
	char *text;
	size_t len;
	int rc = import_options(&c, argc, argv);

	if (rc != 0)
		return rc > 0 ? 0 : EXIT_USAGE;
	if ((text = import_read(c.source, &len)) == NULL)
		return 1;
	if ((im = malloc(sizeof(*im))) == NULL) {
		free(text);
		return 1;
	}
	imported_init(im, c.client);
	rc = import_run(&c, im, text, len);
	explicit_bzero(im, sizeof(*im));
	explicit_bzero(text, len);
	free(im);
	free(text);
	return rc;
}
