/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lab helper: listen for the default gateway's announcements for SECONDS
 * and print each, with the milliseconds since start:
 *   announce_listen GATEWAY SECONDS
 *   -> "1234 natpmp 5.0.1.7 epoch 42" or "1234 pcp epoch 42"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "nat/announce.h"

static struct timespec start;

static void
on_event(const struct announce_event *e, void *arg)
{
	struct timespec now;
	char ext[ADDR_STRLEN];

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &now);
	printf("%ld %s", (now.tv_sec - start.tv_sec) * 1000 +
	    (now.tv_nsec - start.tv_nsec) / 1000000, e->version ? "pcp" : "natpmp");
	if (e->version == 0)
		printf(" %s", addr_ntop(&e->external, ext, sizeof(ext)));
	printf(" epoch %u\n", e->epoch);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	struct event_base *base = event_base_new();
	struct timeval tv = { argc > 2 ? atoi(argv[2]) : 5, 0 };
	struct netaddr gw;
	struct announce *a;

	if (argc < 3 || addr_parse(argv[1], &gw) < 0) {
		fprintf(stderr, "usage: announce_listen GATEWAY SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	if ((a = announce_start(base, &gw, on_event, NULL)) == NULL)
		return 1;
	printf("listening\n");
	fflush(stdout);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	announce_free(a);
	event_base_free(base);
	return 0;
}
