/* SPDX-License-Identifier: MIT */
/*
 * Two samples compared by ranks: the Mann-Whitney U test, the
 * Hodges-Lehmann shift with its distribution-free interval, and Holm's
 * adjustment for many tests. Formulas in docs/statistics.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfkit/stats.h"

/* Φ⁻¹(0.975): the normal quantile of a two-sided 95 % interval. */
#define Z_975 1.959963984540054

static int check_sample(const char *what, const double *x, size_t n)
{
	if (!x)
		return pk_error(-EINVAL, "perfkit_stats_two_sample: %s is NULL",
				what);
	if (n == 0)
		return pk_error(-EINVAL, "perfkit_stats_two_sample: %s has no "
				"values", what);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return pk_error(-EINVAL, "perfkit_stats_two_sample: "
					"%s[%zu] is %s", what, i,
					isnan(x[i]) ? "NaN" : "infinite");
	return 0;
}

static double *sorted_dup(const double *x, size_t n)
{
	double *s = malloc(n * sizeof(*s));

	if (s) {
		memcpy(s, x, n * sizeof(*s));
		qsort(s, n, sizeof(*s), pk_cmp_double);
	}
	return s;
}

/* Standard normal lower tail Φ(z). */
static double norm_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

/*
 * U of y (pairs with y > x, ties one half) from the sorted samples by a
 * merge, and the tie term Σ (t³ − t) over groups of equal values in the
 * pooled sample. *ties says whether any group has t > 1.
 */
static double u_statistic(const double *x, size_t nx, const double *y,
			  size_t ny, double *tie_term, int *ties)
{
	size_t i = 0, j = 0;
	double u = 0.0, tt = 0.0;

	while (i < nx || j < ny) {
		double v = i < nx && (j >= ny || x[i] <= y[j]) ? x[i] : y[j];
		size_t ci = 0, cj = 0;

		while (i + ci < nx && x[i + ci] == v)
			ci++;
		while (j + cj < ny && y[j + cj] == v)
			cj++;
		/* y's equal to v beat the i x's below and tie the ci. */
		u += (double)cj * ((double)i + 0.5 * (double)ci);
		if (ci + cj > 1)
			tt += pow((double)(ci + cj), 3) - (double)(ci + cj);
		i += ci;
		j += cj;
	}
	*tie_term = tt;
	*ties = tt > 0.0;
	return u;
}

/*
 * The exact null distribution of U for samples of m and n values, as the
 * cumulative P(U <= u), u = 0..mn. f_{a,b}(u) = f_{a-1,b}(u - b) +
 * f_{a,b-1}(u): the largest of the a + b values belongs to the first
 * sample (it beats all b) or to the second. Only sums of counts, so no
 * cancellation; counts up to C(98, 49) ~ 2.5e28 stay accurate as doubles.
 */
static double *exact_cdf(size_t m, size_t n)
{
	size_t w = m * n + 1;
	double *f = calloc((m + 1) * w, sizeof(*f)), *cdf, total = 0.0;

	if (!f)
		return NULL;
	for (size_t a = 0; a <= m; a++)
		f[a * w] = 1.0; /* b = 0: U is 0 */
	for (size_t b = 1; b <= n; b++)
		for (size_t a = 1; a <= m; a++)
			for (size_t u = a * b; u >= b; u--)
				f[a * w + u] += f[(a - 1) * w + u - b];
	cdf = malloc(w * sizeof(*cdf));
	if (cdf) {
		for (size_t u = 0; u < w; u++)
			total += f[m * w + u];
		for (size_t u = 0; u < w; u++)
			cdf[u] = (u ? cdf[u - 1] : 0.0) + f[m * w + u] / total;
		for (size_t u = 0; u < w; u++)
			if (cdf[u] > 1.0)
				cdf[u] = 1.0;
	}
	free(f);
	return cdf;
}

/* Pairs with y_j − x_i <= t (sorted samples). As i grows the differences
 * shrink, so the prefix of y that qualifies only grows. */
static uint64_t count_le(const double *x, size_t nx, const double *y,
			 size_t ny, double t)
{
	uint64_t c = 0;
	size_t j = 0;

	for (size_t i = 0; i < nx; i++) {
		while (j < ny && y[j] - x[i] <= t)
			j++;
		c += j;
	}
	return c;
}

/* Doubles as integers in the same order (no NaN here). */
static uint64_t order_key(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b >> 63 ? ~b : b | (UINT64_C(1) << 63);
}

static double from_key(uint64_t k)
{
	uint64_t b = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

/* The k-th smallest (1-based) of the nx·ny differences y_j − x_i, without
 * forming them: bisection over the doubles' order, O((nx + ny) · 64). */
static double kth_difference(const double *x, size_t nx, const double *y,
			     size_t ny, uint64_t k)
{
	uint64_t lo = order_key(y[0] - x[nx - 1]);
	uint64_t hi = order_key(y[ny - 1] - x[0]);

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (count_le(x, nx, y, ny, from_key(mid)) >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return from_key(hi);
}

/* p-value, interval rank k and its coverage from the exact distribution. */
static int exact_test(size_t nx, size_t ny, double u,
		      struct perfkit_stats_two_sample *r, uint64_t *k)
{
	size_t m = nx < ny ? nx : ny, n = nx < ny ? ny : nx;
	double *cdf = exact_cdf(m, n), lower, upper;
	size_t ui = (size_t)u, q = 0;

	if (!cdf)
		return pk_error(-ENOMEM, "perfkit_stats_two_sample: out of "
				"memory for the exact distribution");
	lower = cdf[ui];
	upper = 1.0 - (ui ? cdf[ui - 1] : 0.0);
	r->p_value = fmin(1.0, 2.0 * fmin(lower, upper));
	/* R: qu = qwilcox(α/2), at least 1. */
	while (q < m * n && cdf[q] < (1.0 - PERFKIT_STATS_CI_LEVEL) / 2.0)
		q++;
	*k = q ? q : 1;
	/* [d_(k), d_(mn+1-k)] misses the shift when U <= k - 1 (either side) */
	r->ci_coverage = 1.0 - 2.0 * cdf[*k - 1];
	free(cdf);
	return 0;
}

/* p-value, interval rank k and its coverage from the normal approximation
 * of U (tie-corrected variance; continuity correction for the p-value). */
static void approx_test(size_t nx, size_t ny, double u, double tie_term,
			struct perfkit_stats_two_sample *r, uint64_t *k)
{
	double mn = (double)nx * (double)ny, nn = (double)(nx + ny);
	double mu = mn / 2.0, var, sigma, d, z, kk;

	var = mn / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
	sigma = var > 0.0 ? sqrt(var) : 0.0;
	if (sigma == 0.0) {
		/* Every value equal: nothing tells the samples apart. */
		r->p_value = 1.0;
		*k = (uint64_t)((mn + 1.0) / 2.0);
		r->ci_coverage = 1.0;
		return;
	}
	d = u - mu;
	z = (d - (d > 0 ? 0.5 : d < 0 ? -0.5 : 0.0)) / sigma;
	r->p_value = fmin(1.0, erfc(fabs(z) / M_SQRT2));
	/* k = ⌊mn/2 − z_{0.975} σ⌋, at least 1: the k-th smallest and k-th
	 * largest differences bound the shift (Hollander & Wolfe). */
	kk = floor(mu - Z_975 * sigma);
	if (kk < 1.0)
		kk = 1.0;
	if (kk > floor((mn + 1.0) / 2.0))
		kk = floor((mn + 1.0) / 2.0);
	*k = (uint64_t)kk;
	r->ci_coverage = 1.0 - 2.0 * norm_cdf((kk - 1.0 + 0.5 - mu) / sigma);
}

PERFKIT_EXPORT int perfkit_stats_two_sample(const double *x, size_t nx,
					    const double *y, size_t ny,
					    struct perfkit_stats_two_sample *out)
{
	struct perfkit_stats_two_sample r = { 0 };
	double *sx = NULL, *sy = NULL, tie_term;
	uint64_t mn, k = 1;
	int ties, rc;

	if (!out)
		return pk_error(-EINVAL, "perfkit_stats_two_sample: out is NULL");
	rc = check_sample("x", x, nx);
	if (rc == 0)
		rc = check_sample("y", y, ny);
	if (rc < 0)
		return rc;
	if ((double)nx * (double)ny > 9007199254740992.0)
		return pk_error(-EINVAL, "perfkit_stats_two_sample: %zu x %zu "
				"pairs are too many", nx, ny);
	sx = sorted_dup(x, nx);
	sy = sorted_dup(y, ny);
	if (!sx || !sy) {
		rc = pk_error(-ENOMEM, "perfkit_stats_two_sample: out of memory");
		goto out;
	}
	mn = (uint64_t)nx * ny;
	r.nx = nx;
	r.ny = ny;
	r.u = u_statistic(sx, nx, sy, ny, &tie_term, &ties);
	r.exact = !ties && nx < PERFKIT_STATS_EXACT_MAX &&
		  ny < PERFKIT_STATS_EXACT_MAX;
	if (r.exact) {
		rc = exact_test(nx, ny, r.u, &r, &k);
		if (rc < 0)
			goto out;
	} else {
		approx_test(nx, ny, r.u, tie_term, &r, &k);
	}
	if (mn % 2)
		r.shift = kth_difference(sx, nx, sy, ny, mn / 2 + 1);
	else
		r.shift = 0.5 * kth_difference(sx, nx, sy, ny, mn / 2) +
			  0.5 * kth_difference(sx, nx, sy, ny, mn / 2 + 1);
	r.ci_low = kth_difference(sx, nx, sy, ny, k);
	r.ci_high = kth_difference(sx, nx, sy, ny, mn + 1 - k);
	*out = r;
out:
	free(sx);
	free(sy);
	return rc;
}

struct holm_item {
	double p;
	size_t i;
};

static int cmp_holm(const void *a, const void *b)
{
	const struct holm_item *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

PERFKIT_EXPORT int perfkit_stats_holm(const double *p, size_t n,
				      double *adjusted)
{
	struct holm_item *v;
	double run = 0.0;

	if (!p || !adjusted)
		return pk_error(-EINVAL, "perfkit_stats_holm: %s is NULL",
				!p ? "p" : "adjusted");
	if (n == 0)
		return pk_error(-EINVAL, "perfkit_stats_holm: no p-values");
	for (size_t i = 0; i < n; i++)
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return pk_error(-EINVAL, "perfkit_stats_holm: p[%zu] = %g "
					"is not in [0, 1]", i, p[i]);
	v = malloc(n * sizeof(*v));
	if (!v)
		return pk_error(-ENOMEM, "perfkit_stats_holm: out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = (struct holm_item){ p[i], i };
	qsort(v, n, sizeof(*v), cmp_holm);
	for (size_t j = 0; j < n; j++) {
		run = fmax(run, fmin(1.0, (double)(n - j) * v[j].p));
		v[j].p = run;
	}
	for (size_t j = 0; j < n; j++)
		adjusted[v[j].i] = v[j].p;
	free(v);
	return 0;
}
