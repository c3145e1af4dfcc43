/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/proc.h"

#include <stdio.h>
#include <string.h>

uint64_t
proc_start_time(int pid)
{
	char path[64], stat[1024], *paren;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(stat, sizeof(stat), f) != NULL &&
	    (paren = strrchr(stat, ')')) != NULL)
		sscanf(paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &start);
	fclose(f);
	return start;
}
