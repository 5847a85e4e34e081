/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: run folders (history.csv + config.json) into series. */
#ifndef SCALING_RUNS_H
#define SCALING_RUNS_H

#include <stddef.h>

#include <perfkit/perfkit.h>

/* One scaling series: a run folder per rank count, as in seed 001. */
struct series {
	const char *label;   /* "" for the main series, "dummy" for --compare */
	size_t n;            /* number of folders (rank counts) */
	double *ranks;
	double *samples;     /* per epoch, whole job (shard rule applied) */
	double *times;       /* mean epoch time, warm-up dropped */
	size_t *epochs;      /* epochs kept for the mean */
	struct perfkit_scaling_weak_row *rows;
};

/* Read the folders pattern % ranks[i] (pattern has one %i or %d) or, with
 * pattern NULL, the folders dirs[i] whose config.json names the ranks.
 * Prints a message naming the file (and line) and returns -1 on error. */
int series_load(struct series *s, const char *pattern, const double *ranks,
		char *const *dirs, size_t n, double warmup);
void series_free(struct series *s);

/* Replace the one %i/%d of pattern by r, without handing a user-supplied
 * format to printf. Returns 0, or -1 if the pattern is not like that. */
int expand_pattern(const char *pattern, long r, char *out, size_t size);

#endif
