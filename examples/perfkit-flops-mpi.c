/* SPDX-License-Identifier: MIT */
/*
 * perfkit-flops-mpi: the pywren GFLOPS notebook on many nodes, with MPI
 * as the distributed engine.
 *
 *   mpirun -np 4 perfkit-flops-mpi --workers 8 --matn 1024 --outfile big.json
 *   srun -N 16 --ntasks-per-node=1 perfkit-flops-mpi --kernel triad -n 20000000
 *
 * The options of perfkit-flops (--workers is per rank). Every rank runs the
 * harness on its own node's workers; rank 0 prints the report for the
 * whole job (every worker of every rank, on rank 0's clock), a table per
 * rank with the clock offsets, and writes the records.
 *
 * Every rank checks its own options before any collective; if one
 * refuses them, every rank exits 2 and rank 0 prints that rank's message
 * once. The ranks of a node then split its cores between them, unless the
 * launcher bound them to disjoint CPUs (perfkit_mpi_place()).
 *
 * Interrupted: rank 0 appends its own workers' records to a JSON Lines
 * --outfile as they are collected, so a killed job keeps those. A rank
 * that receives SIGINT or SIGTERM lets its workers finish (a rank that
 * had not submitted them yet runs none), the records are gathered, rank 0
 * reports and writes them, and every rank exits 130 or 143. mpirun and
 * srun may kill the ranks soon after forwarding a signal: then only the
 * streamed records remain (docs/mpi.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <perfkit/mpi.h>

#include "cli.h"
#include "flops-args.h"
#include "flops-ranks.h"
#include "mpi-job.h"
#include "mpi-options.h"
#include "stop.h"

/* Options perfkit-flops has and this program does not. */
static int refuse(const struct flops_args *a)
{
	if (a->sweep_workers || a->sweep_sizes)
		return cli_error("--sweep-workers and --sweep-sizes are not supported "
				 "across ranks: run once per point");
	return 0;
}

/* An mpi_parse_fn: parse and check (every rank, its own command line;
 * the output paths on rank 0, the only one that writes them). */
static int parse(int argc, char **argv, const struct mpi_rank *me, void *data)
{
	struct flops_args *a = data;
	int rc = flops_command_line(argc, argv, a, 0);

	if (rc < 0 && (refuse(a) != 0 || flops_check_args(a) != 0 ||
		       mpi_outputs_check(a->outfile, a->plot, me) != 0))
		rc = CLI_EXIT_USAGE;
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
	struct flops_stream fs;
	struct perfkit_results *res = NULL;
	char cores[PERFKIT_MPI_CORES_MAX];
	int provided, rank, rc, status = CLI_EXIT_OK;

	setvbuf(stdout, NULL, _IOLBF, 0); /* the report survives a kill */
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	cli_set_program("perfkit-flops-mpi");
	/* every rank checks its options; one that refuses them stops all,
	 * with its message printed once */
	if ((rc = mpi_options_agree(MPI_COMM_WORLD, argc, argv, parse, &a)) >= 0) {
		MPI_Finalize();
		return rc;
	}
	/* the ranks of a node split its cores, unless the launcher bound them */
	if (perfkit_mpi_place(MPI_COMM_WORLD, NULL, cores, sizeof(cores)) != 0) {
		if (rank == 0)
			cli_error("%s", perfkit_last_error());
		MPI_Finalize();
		return CLI_EXIT_FAILED;
	}
	/* a stop request lets the workers in flight finish */
	if (stop_catch() == 0)
		a.o.cancel = &stop_signal;
	flops_stream_init(&fs, rank == 0 ? a.outfile : NULL,
			  rank == 0 ? flops_progress_terminal() : NULL);
	a.o.progress = flops_progress;
	a.o.userdata = &fs;
	/* every rank runs its workers; rank 0 gathers them on its clock */
	rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &a.o, &res);
	flops_stream_close(&fs);
	if (rc != 0) {
		if (rank == 0)
			cli_error("%s", perfkit_last_error());
		status = CLI_EXIT_FAILED;
	}
	if (stop_signal)
		cli_error("rank %d: %s: reporting and writing what finished", rank,
			  stop_name(stop_signal));
	/* rank 0 reports the whole job, per worker and per rank */
	if (res && report(&a, argc, argv, res) != 0)
		status = CLI_EXIT_FAILED;
	perfkit_results_destroy(res);
	/* rank 0's output failures and any rank's signal count for the
	 * whole job (waiting asleep while rank 0 writes) */
	status = mpi_quiet_max(MPI_COMM_WORLD, stop_status(status));
	MPI_Finalize();
	return status;
}
