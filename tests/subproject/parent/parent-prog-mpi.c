/* SPDX-License-Identifier: MIT */
/* Built (not run) by the parent project with dependency('perfkit-mpi'). */
#include <perfkit/perfkit.h>
#include <perfkit/mpi.h>

int main(int argc, char **argv)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int rc;

	MPI_Init(&argc, &argv);
	rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res);
	perfkit_results_destroy(res);
	MPI_Finalize();
	return rc == 0 ? 0 : 1;
}
