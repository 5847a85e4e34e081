/* SPDX-License-Identifier: MIT */
/*
 * The MPI example programs' shared steps:
 *
 * - Options parsed on every rank, the verdict agreed before any other
 *   collective: each rank parses its own command line with its output
 *   held back, then one cheap reduction tells every rank whether all may
 *   go on. If one may not (a bad option, --help, --version), every rank
 *   exits with the status of the lowest such rank, and only that rank
 *   prints what it had to say: one message, no rank left waiting, also
 *   when the ranks were given different command lines (mpirun's MPMD
 *   form "-np 2 prog ... : -np 1 prog ...").
 * - Rank counts: a scaling run inside one job runs each rank count on the
 *   first k ranks of MPI_COMM_WORLD, while the others wait sleeping.
 * - Waits that sleep: MPI libraries busy-poll in blocking calls, and a
 *   rank waiting that way takes a core from the ranks that compute.
 */
#ifndef PK_EXAMPLES_MPI_CLI_H
#define PK_EXAMPLES_MPI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <mpi.h>

/* Most rank counts of one scaling run. */
#define MPI_COUNTS_MAX 64

/* A program's parser: returns -1 to go on, else the exit status; prints
 * usage, version and errors on stdout and stderr as usual. */
typedef int (*mpi_cli_parser)(int argc, char **argv, int size, void *args);

/*
 * Run @parse on every rank with stdout and stderr captured, agree on the
 * outcome over @comm, and let the lowest rank that stops print its
 * output (its messages then name the rank when it is not rank 0).
 * Returns -1 when every rank goes on, else the exit status for all.
 */
int mpi_cli_parse(MPI_Comm comm, mpi_cli_parser parse, int argc, char **argv,
		  void *args);

/* "1,2,4,...,size": the powers of two below @size, and @size. */
void mpi_counts_default(int size, int64_t *counts, size_t *n);

/* Check a --ranks list against the job's @size: each at most @size, in
 * increasing order. Returns 0, or -1 after saying why. */
int mpi_counts_check(const int64_t *counts, size_t n, int size);

/* A communicator of the first @k ranks of @world, MPI_COMM_NULL on the
 * others (collective over @world). */
/* The options perfkit-mpi-pi and perfkit-mpi-correlate share: the rank
 * counts, --deadline only with --price, --outfile's format; the output
 * paths only on rank 0, where they are written (other nodes may not have
 * the folder). 0, or -1 after cli_error(). */
int mpi_run_options_check(const int64_t *counts, size_t n, int size,
			  double price, double deadline, const char *outfile,
			  const char *plot, int rank);

MPI_Comm mpi_counts_comm(MPI_Comm world, int k);

/* The largest of every rank's @v, waiting asleep (collective). */
int mpi_quiet_max(MPI_Comm comm, int v);

/* The MPI library's version, its first line. */
const char *mpi_library_name(void);

#endif /* PK_EXAMPLES_MPI_CLI_H */
