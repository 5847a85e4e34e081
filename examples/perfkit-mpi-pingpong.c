/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-pingpong: NetPIPE's latency and bandwidth measurement, the
 * first step of the MPI-on-EC2 talk, on libperfkit-mpi.
 *
 *   mpirun -np 2 perfkit-mpi-pingpong --outfile pp.json --plot pp.png
 *   mpirun -np 2 perfkit-mpi-pingpong --stream --window 64
 *
 * Every rank checks its options and they agree before any message; the
 * ranks of a node get their own cores (or keep the launcher's binding);
 * ranks 0 and 1 bounce messages of each size; rank 0 prints the table,
 * writes the records and draws the figure.
 */
#include <stdio.h>

#include "cli.h"
#include "mpi-job.h"
#include "mpi-options.h"
#include "pingpong.h"

static int outputs(const struct pingpong_args *a, int argc, char **argv,
		   struct perfkit_results *res)
{
	int rc = 0;

	perfkit_results_set_command(res, argc, (const char *const *)argv);
	pingpong_table(stdout, res);
	if (a->outfile) {
		if (perfkit_results_write(res, a->outfile, PERFKIT_FORMAT_AUTO) != 0)
			rc = cli_error("%s", perfkit_last_error());
		else
			printf("\nWrote %zu records to %s\n", perfkit_results_count(res),
			       a->outfile);
	}
	if (a->plot) {
		if (pingpong_plot(a->plot, res) != 0)
			rc = -1;
		else
			printf("Plotted latency and bandwidth to %s\n", a->plot);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct pingpong_args a;
	struct perfkit_results *res = NULL;
	char cores[PERFKIT_MPI_CORES_MAX];
	int rank, rc, status = CLI_EXIT_OK;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* MPI_THREAD_SINGLE: this program starts no threads, and any higher
	 * level costs Open MPI 4.1 about 70 ns per message here (0.47 against
	 * 0.40 us one way), which NetPIPE and OSU, on MPI_Init, do not pay */
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	cli_set_program("perfkit-mpi-pingpong");
	/* the same verdict on every rank, said once */
	if ((rc = mpi_options_agree(MPI_COMM_WORLD, argc, argv, pingpong_command_line, &a)) >= 0) {
		MPI_Finalize();
		return rc;
	}
	/* each rank of a node on cores of its own */
	rc = a.no_place ? 0 : perfkit_mpi_place(MPI_COMM_WORLD, NULL, cores, sizeof(cores));
	/* ranks 0 and 1 measure; every rank returns the same code */
	if (rc == 0)
		rc = perfkit_mpi_pingpong(MPI_COMM_WORLD, &a.o, &res);
	if (rc != 0) {
		if (rank == 0)
			cli_error("%s", perfkit_last_error());
		status = CLI_EXIT_FAILED;
	}
	if (res && outputs(&a, argc, argv, res) != 0)
		status = CLI_EXIT_FAILED;
	perfkit_results_destroy(res);
	/* the worst status for all, waiting asleep while rank 0 writes */
	status = mpi_quiet_max(MPI_COMM_WORLD, status);
	MPI_Finalize();
	return status;
}
