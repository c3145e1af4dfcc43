/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/caps.h"

#include <fcntl.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#define CAPS_ARGS	64

/* This process again, from its own command line. */
static void
caps_exec_self(void)
{
	static char line[8192];
	char *argv[CAPS_ARGS + 1];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC), n = 0;
	ssize_t len = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);

	if (fd >= 0)
		close(fd);
	if (len <= 0 || line[len - 1] != '\0')
		return;		/* none, or longer than we read */
	for (char *p = line; p < line + len && n < CAPS_ARGS; p += strlen(p) + 1)
		argv[n++] = p;
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
}

int
caps_net_admin(bool keep)
{
	bool given = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_ADMIN,
	    0, 0) == 1;

	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (keep || !given || geteuid() == 0)
		return 0;
	/* Without an ambient capability and with no file capabilities, a
	 * program that is not root starts with none. */
	caps_exec_self();
	return -1;
}

void
caps_ambient(bool on)
{
	prctl(PR_CAP_AMBIENT, on ? PR_CAP_AMBIENT_RAISE : PR_CAP_AMBIENT_LOWER,
	    CAP_NET_ADMIN, 0, 0);
}
