/* SPDX-License-Identifier: MIT */
/* What every Check test of libperfkit-mpi does around its suite: start
 * itself under mpiexec when meson runs it directly, and run the suite on
 * every rank with one verdict for all. */
#ifndef PK_MPI_CHECK_H
#define PK_MPI_CHECK_H

#include <check.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PK_MPI_LAUNCHED "PERFKIT_TEST_MPI_RANK"

/* argv for "<mpiexec words> [<wrapper words>] <this program>". */
static inline char **pk_mpi_relaunch_argv(const char *self)
{
	const char *launch = getenv("PERFKIT_TEST_MPIEXEC");
	const char *wrap = getenv("PERFKIT_TEST_MPI_WRAPPER");
	size_t cap = strlen(launch) + (wrap ? strlen(wrap) : 0) + 4, n = 0;
	char **argv = calloc(cap, sizeof(char *));
	char *words = malloc(strlen(launch) + (wrap ? strlen(wrap) : 0) + 2);

	if (!argv || !words)
		return NULL;
	sprintf(words, "%s %s", launch, wrap ? wrap : "");
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n++] = (char *)self;
	argv[n] = NULL;
	return argv;
}

/* Under meson (PERFKIT_TEST_MPIEXEC set, not yet launched): exec the
 * ranks, and return only if that failed (-1). Otherwise 0: go on. */
static inline int pk_mpi_relaunch(const char *test, const char *self)
{
	char **av;

	if (!getenv("PERFKIT_TEST_MPIEXEC") || getenv(PK_MPI_LAUNCHED))
		return 0;
	av = pk_mpi_relaunch_argv(self);
	setenv(PK_MPI_LAUNCHED, "1", 1);
	if (av)
		execvp(av[0], av);
	fprintf(stderr, "%s: cannot start mpiexec\n", test);
	return -1;
}

/* MPI_Init_thread (FUNNELED), this rank and the number of ranks; 0, or
 * -1 (said, MPI finalised) when the job has not @min to @max ranks. */
static inline int pk_mpi_init(const char *test, int min, int max, int *rank,
			      int *nranks)
{
	int provided;

	MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, rank);
	MPI_Comm_size(MPI_COMM_WORLD, nranks);
	if (*nranks >= min && *nranks <= max)
		return 0;
	fprintf(stderr, "%s: needs %d to %d ranks, got %d\n", test, min, max,
		*nranks);
	MPI_Finalize();
	return -1;
}

/* Run @s on this rank (no fork: MPI lives in this process); the number
 * of failed tests summed over every rank. */
static inline int pk_mpi_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed, any;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	return any;
}

#endif
