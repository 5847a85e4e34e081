/* SPDX-License-Identifier: MIT */
/*
 * A program linked with libperfkit.a that uses regions only: no trace
 * call, so PERFKIT_TRACE must work through the regions themselves.
 *
 *   trace-static plain   regions, all closed
 *   trace-static open    returns from main with "main" still open
 *   trace-static fork    two forked children with regions, which end
 *                        with exit() (the exit handler writes their part)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perfkit/region.h"

static void work(const char *name, int i)
{
	perfkit_region_begin(name);
	perfkit_region_arg("i", i);
	perfkit_region_end(name);
}

static int forked(void)
{
	pid_t kid[2];
	int status, bad = 0;

	for (int i = 0; i < 2; i++) {
		fflush(NULL);
		kid[i] = fork();
		if (kid[i] < 0)
			return 1;
		if (kid[i] == 0) {
			work("child", i);
			perfkit_region_begin("child-open");
			exit(0);
		}
	}
	for (int i = 0; i < 2; i++)
		if (waitpid(kid[i], &status, 0) != kid[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 1;
	printf("children %ld %ld\n", (long)kid[0], (long)kid[1]);
	return bad;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
	int rc = 0;

	perfkit_region_begin("main");
	for (int i = 0; i < 3; i++)
		work("work", i);
	if (strcmp(mode, "fork") == 0)
		rc = forked();
	if (strcmp(mode, "open") == 0)
		return 0; /* "main" is still open at exit */
	perfkit_region_end("main");
	return rc;
}
