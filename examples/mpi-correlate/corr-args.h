/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: the command line. */
#ifndef CORR_ARGS_H
#define CORR_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "mpi-job.h"

struct corr_args {
	int64_t items, users;           /* the generated data's size */
	uint64_t seed;
	const char *input;              /* a CSV file instead */
	int64_t counts[MPI_COUNTS_MAX]; /* rank counts, increasing */
	size_t ncounts;
	int repeat;                     /* runs per rank count */
	int top;                        /* most correlated pairs shown */
	int check;                      /* compare with the serial computation */
	double price, deadline;         /* < 0, INFINITY: none */
	const char *outfile, *plot;
};

/* An mpi_parse_fn: parse and check for this rank of the job. */
int corr_parse(int argc, char **argv, const struct mpi_rank *me, void *args);

#endif /* CORR_ARGS_H */
