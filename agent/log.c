/* Logging: one line per event on stderr, prefixed with the program name. */
#include "agent/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int log_level = LOG_LVL_WARN;	/* set once by the CLI front */

void
log_set_level(int level)
{
	log_level = level < LOG_LVL_ERROR ? LOG_LVL_ERROR :
	    level > LOG_LVL_DEBUG ? LOG_LVL_DEBUG : level;
}

int
log_get_level(void)
{
	return log_level;
}

static void __attribute__((format(printf, 3, 0)))
log_vwrite(int level, const char *err, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warning", "info", "debug" };

	if (level > log_level)
		return;
	fprintf(stderr, "homereach: %s: ", names[level]);
	vfprintf(stderr, fmt, ap);
	if (err != NULL)
		fprintf(stderr, ": %s", err);
	fputc('\n', stderr);
}

void
log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, err, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, level)					\
void name(const char *fmt, ...)					\
{								\
	va_list ap;						\
	va_start(ap, fmt);					\
	log_vwrite(level, NULL, fmt, ap);			\
	va_end(ap);						\
}
LOG_FN(log_warnx, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
