/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging to stderr (journald) or syslog, with levels; -v raises the level. */
#ifndef HOMEREACH_LOG_H
#define HOMEREACH_LOG_H

#include <stdint.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

#define LOG_RECENT	8	/* warnings kept for `homereach status` */

struct log_recent {
	int64_t at;		/* unix time */
	char line[240];
};

/* Set the most detailed level printed (default LOG_LVL_WARN). */
void log_set_level(int level);
int log_get_level(void);
/* From now on to syslog(3) (daemon facility), not stderr. */
void log_to_syslog(void);
int log_is_syslog(void);
/* log_warn appends strerror(errno); log_warnx does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last warnings and errors, oldest first; returns how many. */
int log_recent(struct log_recent out[LOG_RECENT]);

#endif
