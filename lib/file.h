/* Files this host's administrator names (the configuration, secrets, the
 * state, the users file): opened without blocking, and only if regular. */
#ifndef HOMEREACH_FILE_H
#define HOMEREACH_FILE_H

#include <stddef.h>
#include <stdio.h>

/* A read-only descriptor, or a negative errno with "PATH: why" (a FIFO,
 * a directory or a device is not a regular file). */
int file_open_regular(const char *path, char *why, size_t whylen);
/* The same as a stdio stream ("re"); NULL with errno and why. */
FILE *file_fopen_regular(const char *path, char *why, size_t whylen);

#endif
