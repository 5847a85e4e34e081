/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: the command line. */
#ifndef PI_ARGS_H
#define PI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "mpi-job.h"

struct pi_args {
	uint64_t darts;                 /* per run, all ranks together */
	uint64_t seed;
	int64_t counts[MPI_COUNTS_MAX]; /* rank counts, increasing */
	size_t ncounts;
	int repeat;                     /* runs per rank count */
	double price;                   /* dollars per CPU-hour; < 0: none */
	double deadline;                /* seconds; INFINITY: none */
	const char *outfile, *plot;
};

/* An mpi_parse_fn: parse and check for this rank of the job. */
int pi_parse(int argc, char **argv, const struct mpi_rank *me, void *args);

#endif /* PI_ARGS_H */
