/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: one timed run over some ranks. */
#ifndef CORR_RUN_H
#define CORR_RUN_H

#include <mpi.h>

#include "corr-data.h"

/* One run; filled on the communicator's rank 0. */
struct corr_run {
	int ranks;
	int index;          /* the run's number at its rank count, from 0 */
	double seconds;     /* rank 0: from the scatter to the last r in place */
	double rank_min;    /* the fastest rank's correlating, seconds */
	double rank_max;    /* the slowest rank's */
	double t_start;     /* rank 0's clock, seconds from the epoch */
};

/*
 * The talk's steps over @comm (collective): rank 0 scatters the rows,
 * each rank standardises its share, an allgather gives every rank all
 * rows, each correlates its rows with every later row, and rank 0
 * gathers the pairs into @tri (corr_pairs() of them, in
 * corr_pair_index() order). @d holds the data on rank 0 and its size on
 * every rank. Returns 0, or -1 on every rank when one could not allocate
 * its buffers (rank 0 says so).
 */
int corr_run(MPI_Comm comm, const struct corr_data *d, double *tri, struct corr_run *out);

#endif /* CORR_RUN_H */
