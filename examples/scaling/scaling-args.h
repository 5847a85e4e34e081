/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the command line. */
#ifndef SCALING_ARGS_H
#define SCALING_ARGS_H

#include <stddef.h>

#include "scaling-report.h"
#include "scaling-resultfile.h"

/* Rank counts a --ranks list may hold (powers of two: far beyond any
 * machine). */
#define RANKS_MAX 256

struct scaling_args {
	double ranks[RANKS_MAX];       /* --ranks, increasing */
	size_t nranks;
	const char *pattern;           /* PATTERN with --ranks, else NULL */
	char *const *dirs;             /* the folders given, without --ranks */
	size_t ndirs;
	const char *compare, *suffix, *csv, *json, *plot;
	int warmup_set, results_opts, help, version;
	struct result_input in;        /* --results and its options */
	struct report_options o;
};

/* Parse and check the command line into @a. Returns -1 when there is work
 * to do, else the exit status: 0 after --help or --version, 2 after bad
 * usage (said on stderr in one line). */
int scaling_command_line(int argc, char **argv, struct scaling_args *a);

#endif /* SCALING_ARGS_H */
