/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: one timed run (see pi-run.h). */
#include <time.h>

#include "pi-darts.h"
#include "pi-run.h"

static double now_epoch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void pi_run(MPI_Comm comm, const struct pi_args *a, const volatile sig_atomic_t *stop,
	    struct pi_run *out)
{
	uint64_t first, count, hits = 0;
	double t0, mine;
	int rank, size, stopped;

	MPI_Comm_rank(comm, &rank);
	MPI_Comm_size(comm, &size);
	pi_share(a->darts, size, rank, &first, &count);
	MPI_Barrier(comm);
	out->t_start = now_epoch();
	t0 = MPI_Wtime();
	stopped = pi_throw(pi_stream_key(a->seed), first, count, stop, &hits) != 0;
	mine = MPI_Wtime() - t0;
	/* the talk's reduce: the hits of every rank, summed on rank 0 */
	MPI_Reduce(&hits, &out->hits, 1, MPI_UINT64_T, MPI_SUM, 0, comm);
	out->seconds = MPI_Wtime() - t0;
	MPI_Reduce(&mine, &out->rank_min, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
	MPI_Reduce(&mine, &out->rank_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
	MPI_Reduce(&stopped, &out->stopped, 1, MPI_INT, MPI_MAX, 0, comm);
	out->ranks = size;
}
