/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: a perfkit result file (CSV, JSON, JSON Lines) into a
 * series, one point per worker count. */
#ifndef SCALING_RESULTFILE_H
#define SCALING_RESULTFILE_H

#include <stdio.h>

#include "scaling-series.h"

/* What the user asked for with --measure. */
enum result_measure {
	MEASURE_THROUGHPUT,  /* weak scaling: work / makespan */
	MEASURE_MAKESPAN,    /* strong scaling: makespan as the time */
	MEASURE_ELAPSED,     /* strong scaling: slowest worker's elapsed */
};

/* Which work count a throughput uses (--work). */
enum result_work { WORK_FLOPS, WORK_ITEMS, WORK_BYTES };

struct result_input {
	const char *path;
	const char *group_by;        /* default "workers" */
	enum result_measure measure;
	enum result_work work;
	char heading[512];           /* filled: the line above the table */
	char failed[32];             /* filled: records skipped, as text */
};

/* Parse --measure / --work words; -1 with a message if unknown. */
int result_measure_parse(const char *s, enum result_measure *m);
int result_work_parse(const char *s, enum result_work *w);

/* Read in->path and build the series (weak for throughput, else strong).
 * Skipped failed records are reported on stderr. Prints a message naming
 * the file and returns -1 on error. */
int series_from_results(struct series *s, struct result_input *in);

#endif
