/* SPDX-License-Identifier: MIT */
/*
 * bench-fork: the floor under the harness's processes mode at a given
 * number of workers on this machine. After one small harness run (so the
 * process holds what perfkit-flops holds: BLIS, hwloc, the libraries and
 * their pages), it forks W children that do nothing but wait for a
 * shared "go" pipe, as the barrier start does, then releases and reaps
 * them. Prints the seconds of the fork phase and of release and reaping:
 * no processes-mode run of W workers can take less than their sum.
 *
 * Usage: bench-fork [WORKERS (default 2800)] [ROUNDS (default 3)]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perfkit/perfkit.h"

static int warm_up(void)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int rc;

	o.kernel = "dgemm";
	o.problem_size = 64;
	o.loopcount = 10;
	o.workers = 1;
	rc = perfkit_harness_run(&o, &res);
	perfkit_results_destroy(res);
	return rc;
}

/* One round: fork @n waiting children, release, reap; seconds of each. */
static int round_trip(unsigned n, double *fork_s, double *reap_s)
{
	uint64_t t0, t1;
	unsigned made = 0;
	int go[2];
	char c;

	if (pipe(go) != 0)
		return -errno;
	t0 = perfkit_now_ns();
	for (; made < n; made++) {
		pid_t pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			close(go[1]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	t1 = perfkit_now_ns();
	close(go[1]);
	close(go[0]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	*fork_s = (double)(t1 - t0) * 1e-9;
	*reap_s = (double)(perfkit_now_ns() - t1) * 1e-9;
	return made == n ? 0 : -EAGAIN;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2800;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 3;
	int rc;

	if (n < 1 || n > 100000 || rounds < 1 || rounds > 20) {
		fprintf(stderr, "usage: %s [WORKERS (1-100000)] [ROUNDS (1-20)]\n", argv[0]);
		return 2;
	}
	if ((rc = warm_up()) != 0) {
		fprintf(stderr, "bench-fork: harness run failed: %s\n", perfkit_last_error());
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		double f = 0, w = 0;

		rc = round_trip((unsigned)n, &f, &w);
		if (rc != 0) {
			fprintf(stderr, "bench-fork: fork failed after some children: %s\n",
				perfkit_strerror(rc));
			return 1;
		}
		printf("round %ld: %ld children: fork %.2f s, release and reap %.2f s, "
		       "total %.2f s\n", r + 1, n, f, w, f + w);
	}
	return 0;
}
