/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: one timed run, its report and its record. */
#ifndef PI_RUN_H
#define PI_RUN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include <mpi.h>
#include <perfkit/perfkit.h>

#include "pi-args.h"

/* One run on some ranks; filled on the communicator's rank 0. */
struct pi_run {
	int ranks;
	int index;          /* the run's number at its rank count, from 0 */
	uint64_t hits;      /* all ranks' */
	double seconds;     /* rank 0: from leaving the barrier to the reduce's end */
	double rank_min;    /* the fastest rank's throwing, seconds */
	double rank_max;    /* the slowest rank's */
	double t_start;     /* rank 0's clock, seconds from the epoch */
	int stopped;        /* a rank stopped throwing at a signal */
};

/* Throw the darts over @comm and reduce them on its rank 0 (collective). */
void pi_run(MPI_Comm comm, const struct pi_args *a, const volatile sig_atomic_t *stop,
	    struct pi_run *out);

/* Rank 0's report: the headline, a row per run, the estimate. */
void pi_headline(FILE *out, const struct pi_args *a, int size);
void pi_row(FILE *out, const struct pi_args *a, const struct pi_run *r);
/* The estimate of the first run and whether every run agreed with it;
 * returns 0, or -1 after saying that runs disagreed (a bug). */
int pi_estimate_report(FILE *out, const struct pi_args *a, const struct pi_run *runs,
		       size_t n);

/* A record of run @r appended to @res. Returns 0, or -1 after saying why. */
int pi_record(struct perfkit_results *res, const struct pi_args *a, const struct pi_run *r);

#endif /* PI_RUN_H */
