/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * O_NONBLOCK: a FIFO named as the configuration or a secret file hung
 * check-config in open(); fstat then refuses anything but a regular file
 * (a directory as password_file was told to chmod 600 it).
 * Writing: one helper for every file homereach writes, which root may do
 * in folders others can reach (the audit planted PATH.tmp -> a root-only
 * file): the folder is held open and checked, the new file is made with
 * O_EXCL under a random name, owned and moded on its descriptor, renamed.
 */
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/reason.h"

int
file_open_regular(const char *path, char *why, size_t whylen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), err;

	if (fd < 0) {
		err = errno;
		reason(why, whylen, "%s: %s", path, strerror(err));
		return -err;
	}
	if (fstat(fd, &st) < 0) {
		err = errno;
		close(fd);
		reason(why, whylen, "%s: %s", path, strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		reason(why, whylen, "%s is not a regular file", path);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	/* Reading a regular file never waits: back to ordinary reads. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int
file_read_small(const char *path, char *buf, size_t cap, size_t *len,
    char *why, size_t whylen)
{
	int fd = file_open_regular(path, why, whylen);
	ssize_t n;

	*len = 0;
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + *len, cap - 1 - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	buf[*len] = '\0';
	if (n < 0)
		return reason(why, whylen, "%s: %s", path, strerror(errno)), -1;
	if (*len == cap - 1)
		return reason(why, whylen, "%s: longer than %zu bytes", path,
		    cap - 2), -1;
	return 0;
}

FILE *
file_fopen_regular(const char *path, char *why, size_t whylen)
{
	int fd = file_open_regular(path, why, whylen);
	FILE *f;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	if ((f = fdopen(fd, "re")) == NULL) {
		reason(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* path's folder into dir, and its last name. */
static const char *
file_split(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", slash == path ? 1 : (int)(slash - path),
		    path);
	return slash == NULL ? path : slash + 1;
}

static const char *
file_user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/*
 * A folder others can write lets them plant a link where we are about to
 * write (PATH.tmp -> /etc/shadow), or swap the file after: refused. Root
 * writing into another user's folder would hand that user the file to
 * redirect, so it writes as that user (the state) or is refused.
 */
int
file_folder_open(const char *path, struct file_owner *fo, char *why,
    size_t whylen)
{
	char dir[4096], who[64];
	struct stat st;
	uid_t me = geteuid();
	int fd, err;

	file_split(path, dir, sizeof(dir));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		return reason(why, whylen, "%s: %s", dir, strerror(err));
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(fo->sticky_ok &&
	    (st.st_mode & S_ISVTX))) {
		close(fd);
		return reason(why, whylen, "%s: others can write this folder "
		    "(chmod go-w %s)", dir, dir);
	}
	if (st.st_uid != me && !(fo->as_owner && me == 0) &&
	    !(fo->sticky_ok && (st.st_mode & S_ISVTX))) {
		close(fd);
		file_user(st.st_uid, who, sizeof(who));
		return reason(why, whylen, "%s belongs to %s: write as %s "
		    "(sudo -u %s), or choose another folder", dir, who, who, who);
	}
	if (st.st_uid != me && fo->as_owner) {
		fo->uid = st.st_uid;
		fo->gid = st.st_gid;
	}
	return fd;
}

static int
file_own(int fd, const struct file_owner *fo)
{
	if ((fo->uid != (uid_t)-1 || fo->gid != (gid_t)-1) &&
	    fchown(fd, fo->uid, fo->gid) < 0)
		return -errno;
	return fchmod(fd, fo->mode) < 0 ? -errno : 0;
}

/* A new file in dfd named after base with a random tail: O_EXCL, so a
 * name that exists (a planted link too) is never opened. */
static int
file_make(int dfd, const char *base, char *tmp, size_t len)
{
	unsigned char r[6];
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -EIO;
		snprintf(tmp, len, ".%.200s.%02x%02x%02x%02x%02x%02x", base,
		    r[0], r[1], r[2], r[3], r[4], r[5]);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	return fd < 0 ? -EEXIST : fd;
}

static int
file_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int
file_replace(const char *path, const void *buf, size_t len,
    const struct file_owner *want, char *why, size_t whylen)
{
	struct file_owner fo = *want;
	char dir[4096], tmp[256];
	const char *base = file_split(path, dir, sizeof(dir));
	int dfd = file_folder_open(path, &fo, why, whylen), fd, rc;

	if (dfd < 0)
		return -EPERM;
	if ((rc = fd = file_make(dfd, base, tmp, sizeof(tmp))) >= 0) {
		rc = file_own(fd, &fo);
		if (rc == 0)
			rc = file_write_all(fd, buf, len);
		if (rc == 0 && fsync(fd) < 0)
			rc = -errno;
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
		if (rc == 0 && renameat(dfd, tmp, dfd, base) < 0)
			rc = -errno;
		if (rc < 0)
			unlinkat(dfd, tmp, 0);
		else
			fsync(dfd);	/* the new name, on disk */
	}
	close(dfd);
	if (rc < 0)
		reason(why, whylen, "%s: %s", path, strerror(-rc));
	return rc;
}

/* name in dfd: made (and owned as fo says), or opened if it exists;
 * never through a link, never waiting on a FIFO. */
static int
file_lock_open(int dfd, const char *name, const struct file_owner *fo,
    int *err)
{
	int fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);

	*err = 0;
	if (fd >= 0 && (*err = -file_own(fd, fo)) != 0) {
		close(fd);
		return -1;
	}
	if (fd < 0 && errno == EEXIST)
		fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && *err == 0)
		*err = errno;
	return fd;
}

int
file_lock(const char *path, const struct file_owner *want, char *why,
    size_t whylen)
{
	struct file_owner fo = *want;
	char dir[4096], name[300];
	struct stat st;
	int dfd = file_folder_open(path, &fo, why, whylen), fd, err = 0;

	if (dfd < 0)
		return -1;
	snprintf(name, sizeof(name), "%.250s.lock", file_split(path, dir,
	    sizeof(dir)));
	fd = file_lock_open(dfd, name, &fo, &err);
	if (fd < 0 && err == EACCES && unlinkat(dfd, name, 0) == 0)
		fd = file_lock_open(dfd, name, &fo, &err);	/* root left it */
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)))
		err = EINVAL;
	else if (fd >= 0 && flock(fd, LOCK_EX) < 0)
		err = errno;
	close(dfd);
	if (err == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	reason(why, whylen, "%s.lock: %s", path, err == EINVAL ?
	    "not a regular file" : err == ELOOP ? "a link, not followed" :
	    strerror(err));
	return -1;
}
