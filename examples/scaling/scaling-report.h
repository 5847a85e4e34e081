/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the printed report (scaling-report.c), CSV/JSON tables
 * (scaling-files.c) and the plot (scaling-plot.c). */
#ifndef SCALING_REPORT_H
#define SCALING_REPORT_H

#include <stdio.h>

#include "scaling-series.h"

struct report_options {
	double warmup;
	double threshold;   /* efficiency threshold for the optimal count */
	double price;       /* per worker-hour; 0: no cost section */
	double max_time;    /* longest acceptable epoch time; INFINITY: none */
	const char *title;
};

/* The series' table (the CosmoFlow notebook's summary table for run folders), a second
 * series merged beside it (NULL: none). */
void report_table(FILE *out, const struct series *a, const struct series *b);
/* Karp–Flatt per point, the Amdahl and USL fits, optimal count and cost. */
void report_analysis(FILE *out, const struct series *s,
		     const struct report_options *o);

/* Write the merged table; 0 or -1 with a message. Files are written to a
 * temporary name and renamed, so a failure never leaves half a file. */
int write_csv(const char *path, const struct series *a, const struct series *b);
int write_json(const char *path, const struct series *a, const struct series *b,
	       const struct report_options *o);
/* The notebook's two-panel figure with gnuplot; 0, or -1 with a message (also
 * when gnuplot is missing: it says how to install it). */
int write_plot(const char *path, const struct series *a, const struct series *b,
	       const struct report_options *o);

#endif
