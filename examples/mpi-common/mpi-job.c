/* SPDX-License-Identifier: MIT */
/* The scaling runs of an MPI example inside one job (see mpi-job.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mpi-job.h"

/* How often a sleeping wait looks at its request. */
#define QUIET_POLL_NS 200000

void mpi_counts_default(int size, int64_t *counts, size_t *n)
{
	*n = 0;
	for (int64_t k = 1; k < size && *n < MPI_COUNTS_MAX - 1; k *= 2)
		counts[(*n)++] = k;
	counts[(*n)++] = size;
}

int mpi_counts_check(const int64_t *counts, size_t n, int size)
{
	for (size_t i = 0; i < n; i++) {
		if (counts[i] > size)
			return cli_error("--ranks: %lld ranks asked for, the job has %d "
					 "(start it with mpirun -np %lld)",
					 (long long)counts[i], size, (long long)counts[i]);
		if (i > 0 && counts[i] <= counts[i - 1])
			return cli_error("--ranks: the counts must increase (%lld after %lld)",
					 (long long)counts[i], (long long)counts[i - 1]);
	}
	return 0;
}

MPI_Comm mpi_counts_comm(MPI_Comm world, int k)
{
	MPI_Comm sub = MPI_COMM_NULL;
	int rank;

	MPI_Comm_rank(world, &rank);
	MPI_Comm_split(world, rank < k ? 0 : MPI_UNDEFINED, rank, &sub);
	return sub;
}

int mpi_quiet_max(MPI_Comm comm, int v)
{
	struct timespec nap = { 0, QUIET_POLL_NS };
	MPI_Request req;
	int in = v, out = v, done = 0;

	MPI_Iallreduce(&in, &out, 1, MPI_INT, MPI_MAX, comm, &req);
	for (;;) {
		MPI_Test(&req, &done, MPI_STATUS_IGNORE);
		if (done)
			return out;
		nanosleep(&nap, NULL);
	}
}

const char *mpi_library_name(void)
{
	static char lib[MPI_MAX_LIBRARY_VERSION_STRING];
	int len = 0;

	MPI_Get_library_version(lib, &len);
	lib[strcspn(lib, ",\n")] = '\0';
	return lib;
}

int mpi_run_options_check(const int64_t *counts, size_t n, double price,
			  double deadline, const char *outfile, const char *plot,
			  const struct mpi_rank *me)
{
	if (mpi_counts_check(counts, n, me->size) != 0)
		return -1;
	if (!isinf(deadline) && price < 0)
		return cli_error("--deadline needs --price (the cheapest count within it)");
	return mpi_outputs_check(outfile, plot, me);
}
