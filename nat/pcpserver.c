/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lease files of the DHCP clients Debian ships (ISC dhclient's text,
 * dhcpcd's messages as received), read only if regular and at most 64
 * KB each; then the anycast address, which needs no file.
 */
#include "nat/pcpserver.h"

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/log.h"

#define PCPSERVER_FILE_MAX	(64 * 1024)

enum lease_kind { LEASE_DHCLIENT, LEASE_DHCP4, LEASE_DHCP6 };

static const struct {
	const char *pattern;
	enum lease_kind kind;
} lease_files[] = {
	{ "/var/lib/dhcp/dhclient*.leases", LEASE_DHCLIENT },
	{ "/var/lib/NetworkManager/dhclient-*.lease", LEASE_DHCLIENT },
	{ "/var/lib/dhcpcd/*.lease", LEASE_DHCP4 },
	{ "/var/lib/dhcpcd/*.lease6", LEASE_DHCP6 },
};

/* The whole file into buf (at most len bytes): its length, or -1. */
static ssize_t
pcpserver_read(const char *path, uint8_t *buf, size_t len)
{
	char why[256];
	int fd = file_open_regular(path, why, sizeof(why));
	ssize_t n, got = 0;

	if (fd < 0) {
		log_debug("PCP server: %s", why);
		return -1;
	}
	while ((size_t)got < len && (n = read(fd, buf + got, len - (size_t)got)) > 0)
		got += n;
	close(fd);
	return got;
}

static int
pcpserver_file(const char *path, enum lease_kind kind, struct netaddr *out,
    int n, int max)
{
	static uint8_t buf[PCPSERVER_FILE_MAX];
	char why[160];
	ssize_t len = pcpserver_read(path, buf, sizeof(buf));
	int got;

	if (len <= 0)
		return n;
	if (kind == LEASE_DHCLIENT)
		got = pcpserver_dhclient((const char *)buf, (size_t)len, out, n, max,
		    why, sizeof(why));
	else if (kind == LEASE_DHCP4)
		got = pcpserver_dhcp4(buf, (size_t)len, out, n, max, why, sizeof(why));
	else
		got = pcpserver_dhcp6(buf, (size_t)len, out, n, max, why, sizeof(why));
	if (got < 0) {
		log_debug("PCP server: %s: %s", path, why);
		return n;
	}
	return got;
}

int
pcpserver_candidates(struct netaddr *out, int max)
{
	struct netaddr any;
	int n = 0;

	for (size_t i = 0; i < sizeof(lease_files) / sizeof(lease_files[0]); i++) {
		glob_t g;
		if (glob(lease_files[i].pattern, 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && n < max; k++)
			n = pcpserver_file(g.gl_pathv[k], lease_files[i].kind, out, n,
			    max);
		globfree(&g);
	}
	if (addr_parse(PCPSERVER_ANYCAST4, &any) == 0) {
		bool have = false;
		for (int i = 0; i < n; i++)
			have |= addr_equal(&out[i], &any);
		if (!have && n < max)
			out[n++] = any;
	}
	return n;
}
