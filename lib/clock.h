/* SPDX-License-Identifier: BSD-2-Clause */
/* Milliseconds on the monotonic clock, said once. */
#ifndef HOMEREACH_CLOCK_H
#define HOMEREACH_CLOCK_H

#include <stdint.h>
#include <time.h>

/* to - from, in whole milliseconds (negative when to is earlier). */
int64_t clock_ms_between(const struct timespec *from, const struct timespec *to);
/* Now (CLOCK_MONOTONIC) - t. */
int64_t clock_ms_since(const struct timespec *t);

#endif
