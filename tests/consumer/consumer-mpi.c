/* SPDX-License-Identifier: MIT */
/* Built with nothing but `pkg-config --cflags --libs perfkit-mpi` from an
 * installed tree, run under mpiexec: one tiny gathered harness run. */
#include <stdio.h>

#include <perfkit/perfkit.h>
#include <perfkit/mpi.h>

int main(int argc, char **argv)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int provided, rank, size, rc, ok;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	o.kernel = "triad";
	o.problem_size = 1000;
	o.loopcount = 1;
	o.workers = 1;
	o.placement = PERFKIT_HARNESS_PLACE_NONE;
	rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res);
	ok = rc == 0 && (rank == 0 ? perfkit_results_count(res) == (size_t)size : res == NULL);
	if (!ok)
		fprintf(stderr, "consumer-mpi rank %d: rc %d: %s\n", rank, rc, perfkit_last_error());
	else if (rank == 0)
		printf("consumer-mpi: %zu records from %d ranks\n", perfkit_results_count(res), size);
	perfkit_results_destroy(res);
	MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	MPI_Finalize();
	return ok ? 0 : 1;
}
