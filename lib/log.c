/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging: one line per event, on stderr with the program name, or to
 * syslog. Warnings are also kept in a small ring for `homereach status`. */
#include "lib/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static int log_level = LOG_LVL_WARN;	/* set once by the CLI front */
static int log_syslog;
static struct log_recent log_ring[LOG_RECENT];
static unsigned log_ring_next;

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

void
log_to_syslog(void)
{
	openlog("homereach", LOG_PID, LOG_DAEMON);
	log_syslog = 1;
}

int
log_is_syslog(void)
{
	return log_syslog;
}

static void
log_remember(const char *line)
{
	struct log_recent *r = &log_ring[log_ring_next++ % LOG_RECENT];

	r->at = (int64_t)time(NULL);
	snprintf(r->line, sizeof(r->line), "%s", line);
}

int
log_recent(struct log_recent out[LOG_RECENT])
{
	unsigned n = log_ring_next < LOG_RECENT ? log_ring_next : LOG_RECENT;

	for (unsigned i = 0; i < n; i++)
		out[i] = log_ring[(log_ring_next - n + i) % LOG_RECENT];
	return (int)n;
}

static void __attribute__((format(printf, 3, 0)))
log_vwrite(int level, const char *err, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	static const int priorities[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	char line[512];
	int n;

	if (level > log_level && level > LOG_LVL_WARN)
		return;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (err != NULL && n >= 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, ": %s", err);
	if (level <= LOG_LVL_WARN)
		log_remember(line);
	if (level > log_level)
		return;
	if (log_syslog)
		syslog(priorities[level], "%s", line);
	else
		fprintf(stderr, "homereach: %s: %s\n", names[level], line);
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
