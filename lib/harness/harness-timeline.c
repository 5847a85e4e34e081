/* SPDX-License-Identifier: MIT */
/* The pywren GFLOPS notebook's two curves (summed rate per time bin, effective rate at each
 * collection) and the histogram of per-worker GFLOPS. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness-private.h"

/* Most bins a peak timeline may have. */
#define TIMELINE_BINS_MAX 10000000.0

/* First t_submit and last t_collected over the worker records. */
static int time_range(const struct perfkit_results *res, double *first,
		      double *last)
{
	size_t n = perfkit_results_count(res);

	*first = INFINITY;
	*last = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) != 0 || !pk_harness_is_worker(r))
			continue;
		if (isfinite(r->t_submit) && r->t_submit < *first)
			*first = r->t_submit;
		if (isfinite(r->t_collected) && r->t_collected > *last)
			*last = r->t_collected;
	}
	if (!isfinite(*first) || !isfinite(*last) || *last < *first)
		return pk_error(-EDOM,
				"harness timeline: no worker record has both a t_submit and a t_collected");
	return 0;
}

/* Spread one worker's flops over the bins its timed work overlaps. */
static void spread_worker(const struct perfkit_record *r, double origin,
			  double w, size_t nb, double *gflops, size_t cap)
{
	double s = r->t_setup - origin, e = r->t_end - origin, rate;
	size_t k0, k1;

	if (!pk_harness_succeeded(r) || !isfinite(s) || !isfinite(e) || e <= s)
		return;
	rate = r->flops / (e - s) * 1e-9;
	k0 = s > 0 ? (size_t)floor(s / w) : 0;
	k1 = (size_t)ceil(e / w);
	if (k1 > nb)
		k1 = nb;
	if (k1 > cap)
		k1 = cap;
	for (size_t k = k0; k < k1; k++) {
		double lo = fmax(s, (double)k * w), hi = fmin(e, (double)(k + 1) * w);

		if (hi > lo)
			gflops[k] += rate * (hi - lo) / w;
	}
}

PERFKIT_EXPORT int perfkit_harness_peak_timeline(const struct perfkit_results *res,
						 double bin_width, double *gflops,
						 size_t capacity, size_t *nbins)
{
	double first, last, bins;
	size_t nb, n;
	int rc;

	if (!res || !nbins || (!gflops && capacity > 0))
		return pk_error(-EINVAL, "harness timeline: %s is NULL",
				!res ? "res" : !nbins ? "nbins" : "gflops");
	if (!isfinite(bin_width) || bin_width <= 0)
		return pk_error(-EINVAL, "harness timeline: bin width %g: need seconds > 0",
				bin_width);
	if ((rc = time_range(res, &first, &last)))
		return rc;
	bins = ceil((last - first) / bin_width);
	if (bins > TIMELINE_BINS_MAX)
		return pk_error(-ERANGE,
				"harness timeline: %.0f bins of %g s for a %g s run: choose wider bins",
				bins, bin_width, last - first);
	nb = bins < 1 ? 1 : (size_t)bins;
	if (capacity > 0)
		memset(gflops, 0, (capacity < nb ? capacity : nb) * sizeof(double));
	n = perfkit_results_count(res);
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) == 0)
			spread_worker(r, first, bin_width, nb, gflops, capacity);
	}
	*nbins = nb;
	return 0;
}

struct completion {
	double t, flops;
	size_t order; /* keeps the sort stable */
};

static int cmp_completion(const void *a, const void *b)
{
	const struct completion *x = a, *y = b;

	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (x->order > y->order) - (x->order < y->order);
}

/* The succeeded records' collection times and flops, sorted by time. */
static int completions(const struct perfkit_results *res, struct completion **out,
		       size_t *count)
{
	size_t n = perfkit_results_count(res), m = 0;
	struct completion *c = calloc(n ? n : 1, sizeof(*c));

	if (!c)
		return pk_error(-ENOMEM, "harness timeline: out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) != 0 || !pk_harness_succeeded(r) ||
		    !isfinite(r->t_collected))
			continue;
		c[m].t = r->t_collected;
		c[m].flops = r->flops;
		c[m].order = m;
		m++;
	}
	qsort(c, m, sizeof(*c), cmp_completion);
	*out = c;
	*count = m;
	return 0;
}

PERFKIT_EXPORT int
perfkit_harness_effective_timeline(const struct perfkit_results *res, double *time,
				   double *gflops, size_t capacity, size_t *count)
{
	struct completion *c = NULL;
	double first, last, cum = 0;
	size_t m = 0;
	int rc;

	if (!res || !count || ((!time || !gflops) && capacity > 0))
		return pk_error(-EINVAL, "harness timeline: %s is NULL",
				!res ? "res" : !count ? "count" : !time ? "time" : "gflops");
	if ((rc = time_range(res, &first, &last)) || (rc = completions(res, &c, &m)))
		return rc;
	for (size_t k = 0; k < m && k < capacity; k++) {
		double t = c[k].t - first;

		cum += c[k].flops;
		time[k] = t;
		gflops[k] = t > 0 ? cum / t * 1e-9 : NAN;
	}
	free(c);
	*count = m;
	if (m == 0)
		return pk_error(-EDOM, "harness timeline: no succeeded worker record has a t_collected");
	return 0;
}

static int check_edges(const double *edges, size_t nedges)
{
	if (nedges < 2)
		return pk_error(-EINVAL, "harness histogram: %zu edges: need at least 2",
				nedges);
	for (size_t i = 0; i < nedges; i++) {
		if (!isfinite(edges[i]))
			return pk_error(-EINVAL, "harness histogram: edge %zu is %g: need finite edges",
					i, edges[i]);
		if (i > 0 && !(edges[i] > edges[i - 1]))
			return pk_error(-EINVAL,
					"harness histogram: edge %zu (%g) is not above edge %zu (%g)",
					i, edges[i], i - 1, edges[i - 1]);
	}
	return 0;
}

/* Bin of v, numpy.histogram's way: [e_i, e_i+1), the last bin closed. */
static size_t bin_of(const double *edges, size_t nedges, double v)
{
	size_t lo = 0, hi = nedges - 1; /* edges[lo] <= v < edges[hi] */

	if (v == edges[nedges - 1])
		return nedges - 2;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (v < edges[mid])
			hi = mid;
		else
			lo = mid;
	}
	return lo;
}

PERFKIT_EXPORT int perfkit_harness_histogram(const struct perfkit_results *res,
					     const double *edges, size_t nedges,
					     size_t *counts, size_t *below,
					     size_t *above)
{
	size_t n, lo = 0, hi = 0;
	int rc;

	if (!res || !edges || !counts)
		return pk_error(-EINVAL, "harness histogram: %s is NULL",
				!res ? "res" : !edges ? "edges" : "counts");
	if ((rc = check_edges(edges, nedges)))
		return rc;
	memset(counts, 0, (nedges - 1) * sizeof(*counts));
	n = perfkit_results_count(res);
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;
		double v;

		if (perfkit_results_get(res, i, &r) != 0 || !pk_harness_succeeded(r))
			continue;
		v = r->flops / r->elapsed * 1e-9;
		if (v < edges[0])
			lo++;
		else if (v > edges[nedges - 1])
			hi++;
		else
			counts[bin_of(edges, nedges, v)]++;
	}
	if (below)
		*below = lo;
	if (above)
		*above = hi;
	return 0;
}
