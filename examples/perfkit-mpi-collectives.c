/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-collectives: the collectives of the MPI-on-EC2 talk (bcast,
 * scatter, gather, reduce) and their relatives, timed per message size as
 * the OSU micro-benchmarks time them.
 *
 *   mpirun -np 4 perfkit-mpi-collectives --op all --outfile coll.json --plot coll.png
 *   mpirun -np 4 perfkit-mpi-collectives --op bcast --max-bytes 4194304
 *
 * Every rank checks its options and they agree before any message; the
 * ranks of a node get their own cores (or keep the launcher's binding);
 * each operation runs per size; rank 0 prints a table per operation,
 * writes all the records to one file and draws them in one figure.
 */
#include <stdio.h>

#include "cli.h"
#include "collectives.h"
#include "mpi-job.h"
#include "mpi-options.h"

/* Append @src's records, with their extra columns, to @dst. */
static int append_all(struct perfkit_results *dst, const struct perfkit_results *src)
{
	for (size_t i = 0; i < perfkit_results_count(src); i++) {
		const struct perfkit_record *r = NULL;
		size_t at = perfkit_results_count(dst);

		if (perfkit_results_get(src, i, &r) != 0 || perfkit_results_append(dst, r) != 0)
			return -1;
		for (size_t j = 0; j < perfkit_results_extra_count(src, i); j++) {
			const char *k, *v;

			if (perfkit_results_extra_get(src, i, j, &k, &v) != 0 ||
			    perfkit_results_extra_set(dst, at, k, v) != 0)
				return -1;
		}
	}
	return 0;
}

/* One operation: measured on every rank, tabled and kept on rank 0. */
static int run_op(struct collectives_args *a, struct perfkit_results **all)
{
	struct perfkit_results *res = NULL;
	int rc = perfkit_mpi_collective_run(MPI_COMM_WORLD, &a->o, &res);

	if (rc != 0 || !res)
		return rc;
	if (!*all)
		collectives_context(stdout, res);
	collectives_table(stdout, res);
	if (!*all) {
		*all = res;
		return 0;
	}
	rc = append_all(*all, res) != 0 ? cli_error("%s", perfkit_last_error()) : 0;
	perfkit_results_destroy(res);
	return rc;
}

/* Rank 0: the records to --outfile, the figure to --plot. */
static int outputs(const struct collectives_args *a, int argc, char **argv,
		   struct perfkit_results *all)
{
	int rc = 0;

	perfkit_results_set_command(all, argc, (const char *const *)argv);
	if (a->outfile) {
		if (perfkit_results_write(all, a->outfile, PERFKIT_FORMAT_AUTO) != 0)
			rc = cli_error("%s", perfkit_last_error());
		else
			printf("\nWrote %zu records to %s\n", perfkit_results_count(all),
			       a->outfile);
	}
	if (a->plot) {
		if (collectives_plot(a->plot, all) != 0)
			rc = -1;
		else
			printf("Plotted time against message size to %s\n", a->plot);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct collectives_args a;
	struct perfkit_results *all = NULL;
	char cores[PERFKIT_MPI_CORES_MAX];
	int rank, rc, status = CLI_EXIT_OK;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* MPI_THREAD_SINGLE: this program starts no threads, and any higher
	 * level costs Open MPI 4.1 about 70 ns per message here (0.47 against
	 * 0.40 us one way), which NetPIPE and OSU, on MPI_Init, do not pay */
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	cli_set_program("perfkit-mpi-collectives");
	/* the same verdict on every rank, said once */
	if ((rc = mpi_options_agree(MPI_COMM_WORLD, argc, argv, collectives_command_line, &a)) >= 0) {
		MPI_Finalize();
		return rc;
	}
	/* each rank of a node on cores of its own */
	rc = a.no_place ? 0 : perfkit_mpi_place(MPI_COMM_WORLD, NULL, cores, sizeof(cores));
	/* one operation, or each in turn */
	for (int op = a.o.op; rc == 0 && op < PERFKIT_MPI_COLLECTIVES; op++) {
		a.o.op = (enum perfkit_mpi_collective)op;
		rc = run_op(&a, &all);
		if (!a.all)
			break;
	}
	if (rc != 0) {
		if (rank == 0)
			cli_error("%s", perfkit_last_error());
		status = CLI_EXIT_FAILED;
	}
	/* rank 0 writes the records and draws the figure */
	if (all && outputs(&a, argc, argv, all) != 0)
		status = CLI_EXIT_FAILED;
	perfkit_results_destroy(all);
	/* the worst status for all, waiting asleep while rank 0 writes */
	status = mpi_quiet_max(MPI_COMM_WORLD, status);
	MPI_Finalize();
	return status;
}
