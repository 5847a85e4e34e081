/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pingpong: the command line, the NetPIPE-like table and the
 * latency and bandwidth figure. */
#ifndef PK_EXAMPLES_PINGPONG_H
#define PK_EXAMPLES_PINGPONG_H

#include <stdio.h>

#include <perfkit/mpi.h>
#include <perfkit/perfkit.h>

#include "mpi-options.h"

struct pingpong_args {
	struct perfkit_mpi_p2p_options o;
	const char *outfile, *plot;
	int no_place;
};

/* An mpi_parse_fn: parse and check @data (a struct pingpong_args). */
int pingpong_command_line(int argc, char **argv, const struct mpi_rank *me, void *data);

/* Where the two ranks ran, then one line per size. */
void pingpong_table(FILE *out, const struct perfkit_results *res);

/* Latency and bandwidth against size, log axes. 0 or -1 (said why). */
int pingpong_plot(const char *path, const struct perfkit_results *res);

#endif /* PK_EXAMPLES_PINGPONG_H */
