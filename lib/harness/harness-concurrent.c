/* SPDX-License-Identifier: MIT */
/*
 * The summed rate that cannot exceed the machine: the highest, over time
 * windows [a, b], of the flops of the workers whose timed work lay wholly
 * inside the window, over b - a. Those flops were all computed inside
 * the window, so no window can show more than the cores did, however the
 * workers were time-sliced. The sum of per-worker rates has no such
 * bound: 2,800 workers that each ran alone for 0.3 ms add up to 2,800
 * cores' worth.
 */
#include <math.h>
#include <stdlib.h>

#include "harness-private.h"

/* Windows start at no more than this many of the start times, evenly
 * spread (every one up to this count): O(n) each. Fewer starts can only
 * miss the best window, never show a rate the cores did not reach. */
#define STARTS_MAX 4096

static int cmp_end(const void *a, const void *b)
{
	const struct pk_interval *x = a, *y = b;

	return (x->end > y->end) - (x->end < y->end);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Best window starting at @a, over the intervals sorted by end. */
static double best_from(const struct pk_interval *v, size_t n, double a)
{
	double flops = 0, best = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].start < a)
			continue;
		flops += v[i].flops;
		if (v[i].end > a && flops / (v[i].end - a) > best)
			best = flops / (v[i].end - a);
	}
	return best;
}

int pk_harness_concurrent_gflops(struct pk_interval *v, size_t n, double *gflops)
{
	size_t m = n < STARTS_MAX ? n : STARTS_MAX;
	double *starts, best = 0;

	*gflops = NAN;
	if (n == 0)
		return 0;
	starts = malloc(n * sizeof(*starts));
	if (!starts)
		return pk_error(-ENOMEM, "harness summary: out of memory");
	for (size_t i = 0; i < n; i++)
		starts[i] = v[i].start;
	qsort(starts, n, sizeof(*starts), cmp_double);
	qsort(v, n, sizeof(*v), cmp_end);
	for (size_t k = 0; k < m; k++) {
		double a = starts[m == n ? k : k * (n - 1) / (m - 1)];

		if (k > 0 && m == n && a == starts[k - 1])
			continue;
		best = fmax(best, best_from(v, n, a));
	}
	free(starts);
	*gflops = best * 1e-9;
	return 0;
}
