/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: one command line, one report. */
#ifndef FLOPS_ARGS_H
#define FLOPS_ARGS_H

#include <stdio.h>

#include "flops-report.h"

/* Longest --sweep-workers / --sweep-sizes list. */
#define LIST_MAX 256

/* The program's name in messages (set by main). */
extern const char *flops_prog;

struct flops_args {
	struct perfkit_harness_options o;
	const char *outfile, *plot;
	int sweep_workers, sweep_sizes;
	unsigned counts[LIST_MAX];
	int64_t sizes[LIST_MAX];
	size_t ncounts, nsizes;
	int list, help;
};

void flops_usage(FILE *out);

/* Parse the command line into @a (zeroed by the caller). Prints what is
 * wrong and returns -1 on a bad option; --help and --list-kernels only
 * set a->help and a->list. */
int flops_parse_args(int argc, char **argv, struct flops_args *a);

/* Everything that can be refused before any work starts (prints why). */
int flops_check_args(const struct flops_args *a);

void flops_list_kernels(void);

/* "<prog>: dgemm, N = 1024, loopcount 10, 4 workers (...)". */
void flops_headline(const struct flops_args *a, const struct perfkit_results *res);

/* Write --outfile and draw --plot (of @shown). Returns -1 if either
 * failed (the message printed). */
int flops_outputs(const struct flops_args *a, struct perfkit_results *res,
		  const struct perfkit_results *shown);

#endif /* FLOPS_ARGS_H */
