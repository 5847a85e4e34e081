/* SPDX-License-Identifier: MIT */
/* Clock offsets against the root by Cristian's method: a rank asks for the
 * root's time and assumes it was read half way through the round trip;
 * the shortest of several round trips bounds the error best. */
#include <math.h>
#include <time.h>

#include "mpi-private.h"

int64_t pk_mpi_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The root answers each rank in turn, each round with its time. */
static void serve(MPI_Comm comm, int root, int size)
{
	for (int r = 0; r < size; r++) {
		if (r == root)
			continue;
		for (int k = 0; k < PERFKIT_MPI_CLOCK_ROUNDS; k++) {
			int64_t t;

			MPI_Recv(&t, 1, MPI_INT64_T, r, PK_MPI_TAG_CLOCK, comm,
				 MPI_STATUS_IGNORE);
			t = pk_mpi_realtime_ns();
			MPI_Send(&t, 1, MPI_INT64_T, r, PK_MPI_TAG_CLOCK, comm);
		}
	}
}

static void ask(MPI_Comm comm, int root, double *offset, double *uncertainty)
{
	double best = INFINITY;

	for (int k = 0; k < PERFKIT_MPI_CLOCK_ROUNDS; k++) {
		int64_t t1 = pk_mpi_realtime_ns(), t, t2;
		double rtt;

		MPI_Send(&t1, 1, MPI_INT64_T, root, PK_MPI_TAG_CLOCK, comm);
		MPI_Recv(&t, 1, MPI_INT64_T, root, PK_MPI_TAG_CLOCK, comm,
			 MPI_STATUS_IGNORE);
		t2 = pk_mpi_realtime_ns();
		rtt = (double)(t2 - t1);
		if (rtt >= 0 && rtt < best) {
			best = rtt;
			*offset = ((double)(t - t1) - rtt / 2) * 1e-9;
		}
	}
	/* every round trip negative: the clock was stepped under us */
	*uncertainty = isfinite(best) ? best / 2 * 1e-9 : INFINITY;
}

void pk_mpi_clock_sync(MPI_Comm comm, int root, double *offset,
		       double *uncertainty)
{
	int rank, size;

	MPI_Comm_rank(comm, &rank);
	MPI_Comm_size(comm, &size);
	*offset = 0;
	*uncertainty = 0;
	if (rank == root)
		serve(comm, root, size);
	else
		ask(comm, root, offset, uncertainty);
}

PERFKIT_EXPORT int perfkit_mpi_clock_offset(MPI_Comm comm, int root,
					    double *offset, double *uncertainty)
{
	static const char who[] = "mpi_clock_offset";
	MPI_Comm c;
	int rc = pk_mpi_comm_usable(comm, who);

	if (rc)
		return rc;
	if (!offset || !uncertainty)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who,
				  !offset ? "offset" : "uncertainty");
	else
		rc = pk_mpi_check_root(comm, root, who);
	MPI_Comm_dup(comm, &c);
	if ((rc = pk_mpi_agree(c, rc)) == 0)
		pk_mpi_clock_sync(c, root, offset, uncertainty);
	MPI_Comm_free(&c);
	return rc;
}
