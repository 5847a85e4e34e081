/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: run folders (history.csv + config.json or config.pkl)
 * into series. */
#ifndef SCALING_RUNS_H
#define SCALING_RUNS_H

#include <stddef.h>

#include "scaling-series.h"

/* Read the folders pattern % ranks[i] (pattern has one %i or %d) or, with
 * pattern NULL, the folders dirs[i] whose config.json (or config.pkl)
 * names the ranks,
 * into a weak-scaling series (the CosmoFlow notebook's table). Prints a message naming
 * the file (and line) and returns -1 on error. */
int series_load(struct series *s, const char *pattern, const double *ranks,
		char *const *dirs, size_t n, double warmup);

/* Replace the one %i/%d of pattern by r, without handing a user-supplied
 * format to printf. Returns 0, or -1 if the pattern is not like that. */
int expand_pattern(const char *pattern, long r, char *out, size_t size);

#endif
