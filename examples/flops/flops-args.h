/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: one command line, one report. */
#ifndef FLOPS_ARGS_H
#define FLOPS_ARGS_H

#include <stdio.h>

#include "flops-report.h"

/* Longest --sweep-workers / --sweep-sizes list. */
#define LIST_MAX 256

struct flops_args {
	struct perfkit_harness_options o;
	const char *outfile, *plot;
	int sweep_workers, sweep_sizes;
	unsigned counts[LIST_MAX];
	int64_t sizes[LIST_MAX];
	size_t ncounts, nsizes;
	int list, help, version;
};

/* Parse the command line into @a. Returns -1 when there is work to do,
 * else the exit status: 2 after a bad option (said on stderr), 0 after
 * --help, --version or --list-kernels (printed unless @quiet). */
int flops_command_line(int argc, char **argv, struct flops_args *a, int quiet);

/* Everything that can be refused before any work starts (prints why). */
int flops_check_args(const struct flops_args *a);

/* "<prog>: dgemm, N = 1024, loopcount 10, 4 workers (...)". */
void flops_headline(const struct flops_args *a, const struct perfkit_results *res);

/* Write --outfile and draw --plot (of @shown). Returns -1 if either
 * failed (the message printed). */
int flops_outputs(const struct flops_args *a, struct perfkit_results *res,
		  const struct perfkit_results *shown);

#endif /* FLOPS_ARGS_H */
