/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: one scaling series, whatever it was read from (run
 * folders or a result file), as the report prints, writes and plots it.
 */
#ifndef SCALING_SERIES_H
#define SCALING_SERIES_H

#include <stddef.h>

#include <perfkit/perfkit.h>

#define SERIES_COLS 5
#define SERIES_INFO 6

/* Weak: the work grows with the count, throughput is the measure (the
 * CosmoFlow notebook). Strong: fixed work, time is the measure. */
enum series_kind { SERIES_WEAK, SERIES_STRONG };

/* How a loader names things; the report uses these words. */
struct series_words {
	const char *count;      /* table column: "ranks", "workers" */
	const char *count_one;  /* in sentences: "rank", "worker" */
	const char *run;        /* what one time covers: "epoch", "run" */
	const char *work;       /* a unit of work: "sample", "flop"; NULL: none */
	const char *cols[SERIES_COLS];  /* table columns after the count */
	const char *fmt[SERIES_COLS];   /* their printf formats, with a width * */
	const char *ylabel;     /* top panel of the plot */
	const char *legend;     /* key of the series in the plot */
};

struct series {
	const char *label;   /* "" for the main series, "dummy" for --compare */
	enum series_kind kind;
	struct series_words w;
	/* Key/value strings written to the JSON output (source, grouping). */
	const char *info[SERIES_INFO][2];
	size_t n;            /* number of points (distinct counts, increasing) */
	double *ranks;       /* worker or rank count */
	double *samples;     /* work of each run, whole job (0: unknown) */
	double *times;       /* time of each run (mean epoch time, makespan) */
	size_t *epochs;      /* run folders: epochs kept for the mean */
	double warmup;       /* run folders: epochs below it dropped; else NaN */
	/* Filled by series_compute(): */
	double *cells;       /* n rows of the SERIES_COLS table columns */
	double *throughput;  /* what the USL is fitted to */
	double *speedup;     /* against the smallest count p0 */
	double *ideal;       /* weak: ideal throughput; strong: ideal speedup */
	double *eff;         /* efficiency */
};

/* Allocate the arrays for n points; -1 with a message when out of memory. */
int series_alloc(struct series *s, size_t n);
void series_free(struct series *s);

/* Fill the table and the derived arrays from ranks, samples and times;
 * -1 with a message naming the problem. */
int series_compute(struct series *s);

/* The row of @b with the count @ranks (an inner merge on the count, as
 * pandas does in the notebook), or SIZE_MAX; also SIZE_MAX when @b is NULL. */
size_t series_match(const struct series *b, double ranks);

/* Table cell i, column c (NaN where undefined: Karp-Flatt at p0). */
double series_cell(const struct series *s, size_t i, int c);

#endif
