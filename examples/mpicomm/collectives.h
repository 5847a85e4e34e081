/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-collectives: the command line and the OSU-style table. */
#ifndef PK_EXAMPLES_COLLECTIVES_H
#define PK_EXAMPLES_COLLECTIVES_H

#include <stdio.h>

#include <perfkit/mpi.h>
#include <perfkit/perfkit.h>

struct collectives_args {
	struct perfkit_mpi_collective_options o;
	int all; /* every operation, in enum order */
	int no_place;
	const char *outfile;
};

/* An mpi_parse_fn: parse and check @data (a struct collectives_args). */
int collectives_command_line(int argc, char **argv, void *data, int quiet);

/* Where the ranks ran (once), then one line per size of @res. */
void collectives_context(FILE *out, const struct perfkit_results *res);
void collectives_table(FILE *out, const struct perfkit_results *res);

#endif /* PK_EXAMPLES_COLLECTIVES_H */
