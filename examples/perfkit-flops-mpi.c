/* SPDX-License-Identifier: MIT */
/*
 * perfkit-flops-mpi: seed 000's GFLOPS benchmark on many nodes, with MPI
 * as the distributed engine.
 *
 *   mpirun -np 4 perfkit-flops-mpi --workers 8 --matn 1024 --outfile big.json
 *   srun -N 16 --ntasks-per-node=1 perfkit-flops-mpi --kernel triad -n 20000000
 *
 * The options of perfkit-flops (--workers is per rank). Every rank runs the
 * harness on its own node's workers; rank 0 prints the report for the
 * whole job (every worker of every rank, on rank 0's clock), a table per
 * rank with the clock offsets, and writes the records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/mpi.h>

#include "flops-args.h"
#include "flops-ranks.h"

/* Options perfkit-flops has and this program does not. */
static int refuse(const struct flops_args *a)
{
	if (a->sweep_workers || a->sweep_sizes) {
		fprintf(stderr, "%s: --sweep-workers and --sweep-sizes are not supported "
			"across ranks: run once per point\n", flops_prog);
		return -1;
	}
	return 0;
}

/* Parse and check on every rank alike (same command line); rank 0 says
 * what is wrong. Returns -1 to stop with status 2, 1 to stop with 0. */
static int setup(int argc, char **argv, int rank, struct flops_args *a)
{
	FILE *saved = stderr;
	int rc = 0;

	if (rank != 0)
		stderr = fopen("/dev/null", "w"); /* one copy of each message */
	if (!stderr)
		stderr = saved;
	if (flops_parse_args(argc, argv, a) != 0)
		rc = -1;
	else if (a->help || a->list)
		rc = 1;
	else if (refuse(a) != 0 || flops_check_args(a) != 0)
		rc = -1;
	if (stderr != saved) {
		fclose(stderr);
		stderr = saved;
	}
	if (rc == 1 && rank == 0) {
		if (a->help)
			flops_usage(stdout);
		else
			flops_list_kernels();
	}
	return rc;
}

static int report(const struct flops_args *a, int argc, char **argv,
		  struct perfkit_results *res)
{
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	flops_headline(a, res);
	report_machine(stdout, res);
	report_run(stdout, res);
	report_ranks(stdout, res);
	fflush(stdout);
	return flops_outputs(a, res, res);
}

int main(int argc, char **argv)
{
	struct flops_args a;
	struct perfkit_results *res = NULL;
	int provided, rank, rc, status = EXIT_SUCCESS;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	flops_prog = "perfkit-flops-mpi";
	memset(&a, 0, sizeof(a));
	if ((rc = setup(argc, argv, rank, &a)) != 0) {
		MPI_Finalize();
		return rc < 0 ? 2 : EXIT_SUCCESS;
	}
	rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &a.o, &res);
	if (rc != 0) {
		if (rank == 0)
			fprintf(stderr, "%s: %s\n", flops_prog, perfkit_last_error());
		status = EXIT_FAILURE;
	}
	if (res && report(&a, argc, argv, res) != 0)
		status = EXIT_FAILURE;
	perfkit_results_destroy(res);
	/* rank 0's output failures count for the whole job */
	MPI_Allreduce(MPI_IN_PLACE, &status, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	MPI_Finalize();
	return status;
}
