/* SPDX-License-Identifier: BSD-2-Clause */
/* Processes, told apart across pid reuse. */
#ifndef HOMEREACH_PROC_H
#define HOMEREACH_PROC_H

#include <stdint.h>

/* A process's start time (clock ticks after boot), 0 if it is gone. */
uint64_t proc_start_time(int pid);

#endif
