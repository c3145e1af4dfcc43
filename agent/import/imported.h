/* SPDX-License-Identifier: BSD-2-Clause */
/* Another client's configuration, read into what homereach.conf says:
 * records, observers, the interval, and each line with no equivalent.
 * ddclient.c and inadyn.c fill it from text (pure: the fuzzers and the
 * unit table run them); imported.c writes it out as homereach.conf. */
#ifndef HOMEREACH_IMPORTED_H
#define HOMEREACH_IMPORTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define IMPORT_MAX_RECORDS	128	/* CONFIG_MAX_RECORDS */
#define IMPORT_MAX_ECHO		8	/* CONFIG_MAX_OBSERVERS */
#define IMPORT_MAX_NOTES	64
#define IMPORT_MAX_ERRORS	10

/* One [ddns NAME]: a homereach provider and its settings, as text. The
 * secret is never printed: the writer names the file it goes to. */
struct imported_record {
	char name[64];
	char provider[16];
	char hostname[254];
	char server[256];
	char username[128];
	char zone[254];
	char tsig_key[254];
	char tsig_algorithm[32];
	char url[512];
	char success[128];
	char ca_file[1024];
	const char *secret_key;		/* "password", "token", "tsig_secret" */
	char secret[256];
	char key_file[1024];		/* nsupdate: a BIND key file to read */
	const char *record;		/* "A", "AAAA", "both" */
	int ttl;			/* 0: the default */
	int refresh_days;		/* 0: the default */
	bool plain_http;
	int line;			/* where the host was named */
};

struct imported {
	const char *client;		/* "ddclient", "inadyn" */
	struct imported_record rec[IMPORT_MAX_RECORDS];
	int nrec;
	char echo[IMPORT_MAX_ECHO][512];
	int necho;
	int interval;			/* 0: homereach's default */
	bool syslog;
	/* "line N: what it said -- why" for what has no equivalent (secret
	 * values shown as "(secret)"). */
	char notes[IMPORT_MAX_NOTES][400];
	int nnotes;
	char errors[IMPORT_MAX_ERRORS][300];	/* "LINE: what" could not be
						 * read */
	int nerrors;
};

void imported_init(struct imported *im, const char *client);
/* A record for hostname, named after it (unique), or NULL when full
 * (an error then says so). */
struct imported_record *imported_record(struct imported *im,
    const char *hostname, int line);
/* A and AAAA records of one name, alike in all else, made one "both". */
void imported_merge_families(struct imported *im);
void imported_echo(struct imported *im, const char *url, int line);
void imported_note(struct imported *im, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void imported_error(struct imported *im, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether a key names a secret (password, token, secret, key): its value
 * is never shown. */
bool imported_is_secret_key(const char *key);
/* Copy, or an error naming what was too long. */
void imported_copy(struct imported *im, int line, char *dst, size_t len,
    const char *src, const char *what);

/* The secret's file for a record: DIR/NAME.KIND. */
int imported_secret_path(const struct imported_record *r, const char *dir,
    char *out, size_t len);
/* homereach.conf for im, secrets named as files in secret_dir; source
 * is the file read, for the heading. */
void imported_write(const struct imported *im, const char *source,
    const char *secret_dir, FILE *out);

/* ddclient.conf (3.x) and inadyn.conf (2.x). */
void import_ddclient(const char *text, size_t len, struct imported *im);
void import_inadyn(const char *text, size_t len, struct imported *im);
/* A BIND key file (nsupdate -k): key "NAME" { algorithm A; secret "S"; };
 * 0, or -1 with why. */
int import_bind_key(const char *text, size_t len, char *name, size_t nlen,
    char *algorithm, size_t alen, char *secret, size_t slen, char *why,
    size_t wlen);

#endif
