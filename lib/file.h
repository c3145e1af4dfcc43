/* SPDX-License-Identifier: BSD-2-Clause */
/* Files this host's administrator names (the configuration, secrets, the
 * state, the users file): opened without blocking, and only if regular;
 * written by one helper that never follows a link. */
#ifndef HOMEREACH_FILE_H
#define HOMEREACH_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A read-only descriptor, or a negative errno with "PATH: why" (a FIFO,
 * a directory or a device is not a regular file). */
int file_open_regular(const char *path, char *why, size_t whylen);
/* The whole of a small regular file into buf and a NUL after it, its
 * length in *len; 0 with *len 0 if there is none; -1 with why if it
 * cannot be read or holds cap - 1 bytes or more. */
int file_read_small(const char *path, char *buf, size_t cap, size_t *len,
    char *why, size_t whylen);
/* The same as a stdio stream ("re"); NULL with errno and why. */
FILE *file_fopen_regular(const char *path, char *why, size_t whylen);

/* What a written file becomes. uid/gid -1: the writer's. as_owner: root
 * writing into a folder that belongs to another user (the agent's state
 * folder) writes the file as that user's, instead of refusing. */
struct file_owner {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool as_owner;
	bool sticky_ok;		/* /tmp will do: nothing anyone relies on */
};

/* path's folder, opened (O_DIRECTORY) if nobody but this user (or, with
 * fo->as_owner, its owner) can write it; the file's owner settled in *fo.
 * A descriptor, or -1 with why ("FOLDER: a folder USER can write ..."). */
int file_folder_open(const char *path, struct file_owner *fo, char *why,
    size_t whylen);
/* path replaced atomically by buf: a new file beside it made with O_EXCL
 * under a random name (never through a link), its owner and mode set on
 * the descriptor, synced, renamed over path; never opened again by name.
 * 0, or a negative errno with why. */
int file_replace(const char *path, const void *buf, size_t len,
    const struct file_owner *fo, char *why, size_t whylen);
/* PATH.lock, made (owned as fo says) or opened without following a link,
 * and held (flock LOCK_EX). A descriptor to close, or -1 with why. */
int file_lock(const char *path, const struct file_owner *fo, char *why,
    size_t whylen);

#endif
