/*
 * O_NONBLOCK: a FIFO named as the configuration or a secret file hung
 * check-config in open(); fstat then refuses anything but a regular file
 * (a directory as password_file was told to chmod 600 it).
 */
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
