/* SPDX-License-Identifier: BSD-2-Clause */
/* A parser's one-line reason for rejecting input. */
#ifndef HOMEREACH_REASON_H
#define HOMEREACH_REASON_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#define REASON_LEN 160

/* Write the reason into why (if non-NULL) and return -EBADMSG. */
static inline int __attribute__((format(printf, 3, 4)))
reason(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

#endif
