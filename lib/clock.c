/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/clock.h"

int64_t
clock_ms_between(const struct timespec *from, const struct timespec *to)
{
	return (int64_t)(to->tv_sec - from->tv_sec) * 1000 +
	    (to->tv_nsec - from->tv_nsec) / 1000000;
}

int64_t
clock_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return clock_ms_between(t, &now);
}
