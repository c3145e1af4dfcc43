/* SPDX-License-Identifier: BSD-2-Clause */
#include "lib/run.h"

#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/caps.h"
#include "lib/log.h"

extern char **environ;

int
run_wait(char *const argv[], const char *input, bool quiet)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 }, status = -1;
	pid_t pid;

	if (input != NULL && pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	if (input != NULL)
		posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	caps_ambient(true);	/* ip, wg, nft, wireguard-go: theirs only */
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	caps_ambient(false);
	posix_spawn_file_actions_destroy(&fa);
	if (input != NULL) {
		close(pipefd[0]);
		if (pid > 0 && write(pipefd[1], input, strlen(input)) < 0)
			log_warnx("%s: cannot write its input", argv[0]);
		close(pipefd[1]);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t
run_child(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	caps_ambient(true);	/* ip, wg, nft, wireguard-go: theirs only */
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	caps_ambient(false);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}
