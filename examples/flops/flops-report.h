/* SPDX-License-Identifier: MIT */
/* perfkit-flops: the printed report (flops-report.c, flops-charts.c) and
 * the gnuplot figure (flops-plot.c). */
#ifndef FLOPS_REPORT_H
#define FLOPS_REPORT_H

#include <stdio.h>

#include <perfkit/perfkit.h>

/* Workers above which the per-worker table becomes a summary. */
#define REPORT_TABLE_MAX 16

/* The machine, its theoretical peak and the measured peak kernel. */
void report_machine(FILE *out, const struct perfkit_results *res);

/* One run (or one point of a sweep): the per-worker table or its summary,
 * summed against effective, stragglers, costs, histogram and timeline. */
void report_run(FILE *out, const struct perfkit_results *res);

/* "Warning" lines when the run had more threads than allowed cores
 * (perfkit_harness_oversubscription()); nothing otherwise. */
void report_oversubscription(FILE *out, const struct perfkit_results *res);

/* A sweep: one line per point. @key is "workers" or "problem_size". */
void report_sweep(FILE *out, const struct perfkit_results *res, const char *key);

/* A fixed-total-work worker sweep (flops-strong.c): per worker count the
 * makespan, speedup, efficiency, Karp-Flatt serial fraction and rate,
 * then an Amdahl fit and the optimal count (efficiency >= @threshold).
 * Returns 0, or -1 when the set gives no table (said in @out). */
int report_strong(FILE *out, const struct perfkit_results *res, double threshold);

/* A metadata value as text, "unknown" when missing. */
const char *report_meta_text(const struct perfkit_results *res, const char *key);

/* A share of a theoretical peak (an upper bound) with its uncertainty
 * @sigma (one standard deviation; both fractions, sigma NaN or 0 if
 * none) as text in @buf (flops-share.c): "97%", "99% ± 3%"; never a share
 * above 100 % as a fact: "94-100% (measured 103% ± 3%: ...)" within twice
 * the uncertainty, "not known (...)" beyond it. Returns @buf. */
const char *report_share_text(double share, double sigma, char *buf, size_t len);

/* A number from the set's metadata, NaN when it is missing or not one. */
double report_meta_num(const struct perfkit_results *res, const char *key);

/* The text charts of one run (flops-charts.c): a histogram of per-worker
 * GFLOPS, and the timeline of summed and effective GFLOPS over @span s. */
void report_histogram(FILE *out, const struct perfkit_results *res);
void report_timeline(FILE *out, const struct perfkit_results *res, double span);

/* Histogram edges for the succeeded workers' GFLOPS: @nbins equal bins
 * from the slowest to the fastest worker (widened when they are equal).
 * Returns 0, or -1 when no worker succeeded. */
int report_histogram_edges(const struct perfkit_results *res, size_t nbins,
			   double *edges);

/* Draw the histogram and the two timelines of @res with gnuplot to @path
 * (.png or .svg). Prints why not and returns -1 when it cannot. */
int plot_run(const char *path, const struct perfkit_results *res,
	     const char *title);

#endif /* FLOPS_REPORT_H */
