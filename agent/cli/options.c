/* SPDX-License-Identifier: BSD-2-Clause */
/* What every command line shares. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/cli/cli.h"
#include "agent/daemon/control.h"
#include "agent/daemon/ctlmsg.h"
#include "lib/log.h"

void
cli_global_flags(int *argc, char ***argv)
{
	int level = LOG_LVL_WARN;
	char **v = *argv;

	for (; *argc > 1; (*argc)--, v++) {
		if (strcmp(v[1], "--syslog") == 0)	/* the agent's helpers */
			log_to_syslog();
		else if (v[1][0] == '-' && v[1][1] == 'v' &&
		    v[1][strspn(v[1] + 1, "v") + 1] == '\0')
			log_set_level(level += (int)strlen(v[1]) - 1);
		else
			break;
	}
	*argv = v;
}

int
cli_seconds(const char *cmd, const char *arg, int *ms)
{
	char *end;
	double s = strtod(arg, &end);

	if (*arg == '\0' || *end != '\0' || !(s >= 0.1 && s <= 60)) {
		fprintf(stderr, "homereach %s: --timeout \"%s\": want seconds "
		    "from 0.1 to 60\n", cmd, arg);
		return -1;
	}
	*ms = (int)(s * 1000);
	return 0;
}

int
cli_port(const char *cmd, const char *what, const char *text, uint16_t *port)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v < 1 || v > 65535) {
		fprintf(stderr, "homereach %s: %s \"%s\": want a port from 1 to "
		    "65535\n", cmd, what, text);
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int
cli_port_proto(const char *cmd, const char *text, uint16_t *port, int *proto)
{
	char buf[16];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", text);
	*proto = IPPROTO_TCP;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		if (strcmp(slash + 1, "udp") == 0)
			*proto = IPPROTO_UDP;
		else if (strcmp(slash + 1, "tcp") != 0) {
			fprintf(stderr, "homereach %s: \"%s\": protocol must be "
			    "tcp or udp\n", cmd, text);
			return -1;
		}
	}
	return cli_port(cmd, "port", buf, port);
}

json_t *
cli_ask_agent(const char *runtime_dir, const struct ctl_request *r,
    int wait_ms, int *error)
{
	char *text = NULL, request[80];
	json_t *reply;
	int rc;

	ctlmsg_format(r, request, sizeof(request));
	rc = control_ask(runtime_dir, request, wait_ms, &text);

	*error = rc;
	if (rc < 0)
		return NULL;
	reply = json_loads(text, 0, NULL);
	free(text);
	if (reply == NULL)
		*error = -EPROTO;
	return reply;
}
