/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-collectives: the command line, the OSU-style table and the
 * figure. */
#ifndef PK_EXAMPLES_COLLECTIVES_H
#define PK_EXAMPLES_COLLECTIVES_H

#include <stdio.h>

#include <perfkit/mpi.h>
#include <perfkit/perfkit.h>

#include "mpi-options.h"

struct collectives_args {
	struct perfkit_mpi_collective_options o;
	int all; /* every operation, in enum order */
	int no_place;
	const char *outfile, *plot;
};

/* An mpi_parse_fn: parse and check @data (a struct collectives_args). */
int collectives_command_line(int argc, char **argv, const struct mpi_rank *me, void *data);

/* Where the ranks ran (once), then one line per size of @res. */
void collectives_context(FILE *out, const struct perfkit_results *res);
void collectives_table(FILE *out, const struct perfkit_results *res);

/* The seconds in column @key of record @i, in microseconds (NaN if absent). */
double collectives_us(const struct perfkit_results *res, size_t i, const char *key);

/* Each operation's mean time over ranks (bars: the fastest and slowest
 * rank) against message size, log axes; barrier, which has no size, as a
 * level line. 0, or -1 after saying why. */
int collectives_plot(const char *path, const struct perfkit_results *res);

#endif /* PK_EXAMPLES_COLLECTIVES_H */
