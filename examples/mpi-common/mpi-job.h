/* SPDX-License-Identifier: MIT */
/*
 * The scaling runs of an MPI example inside one job:
 *
 * - Rank counts: each count k of --ranks runs on the first k ranks of
 *   MPI_COMM_WORLD, while the others wait.
 * - Waits that sleep: MPI libraries busy-poll in blocking calls, and a
 *   rank waiting that way takes a core from the ranks that compute.
 * - The options such a run shares (perfkit-mpi-pi, perfkit-mpi-correlate).
 */
#ifndef PK_EXAMPLES_MPI_JOB_H
#define PK_EXAMPLES_MPI_JOB_H

#include <stddef.h>
#include <stdint.h>

#include <mpi.h>

#include "mpi-options.h"

/* Most rank counts of one scaling run. */
#define MPI_COUNTS_MAX 64

/* "1,2,4,...,size": the powers of two below @size, and @size. */
void mpi_counts_default(int size, int64_t *counts, size_t *n);

/* Check a --ranks list against the job's @size: each at most @size, in
 * increasing order. Returns 0, or -1 after saying why. */
int mpi_counts_check(const int64_t *counts, size_t n, int size);

/* A communicator of the first @k ranks of @world, MPI_COMM_NULL on the
 * others (collective over @world). */
MPI_Comm mpi_counts_comm(MPI_Comm world, int k);

/* The options perfkit-mpi-pi and perfkit-mpi-correlate share: the rank
 * counts, --deadline only with --price, the outputs (mpi_outputs_check()).
 * 0, or -1 after cli_error(). */
int mpi_run_options_check(const int64_t *counts, size_t n, double price,
			  double deadline, const char *outfile, const char *plot,
			  const struct mpi_rank *me);

/* The largest of every rank's @v, waiting asleep (collective). */
int mpi_quiet_max(MPI_Comm comm, int v);

/* The MPI library's version, its first line. */
const char *mpi_library_name(void);

#endif /* PK_EXAMPLES_MPI_JOB_H */
