/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfkit/stats.h"

/* Modified z-score constants (Iglewicz & Hoaglin 1993; IBM's fallback for
 * MAD == 0): 0.6745 = Φ⁻¹(0.75), 1.253314 = sqrt(π/2). */
#define MADZ_SCALE 0.6745
#define MEANAD_SCALE 1.253314

static int check_values(const char *fn, const double *x, size_t n)
{
	if (!x)
		return pk_error(-EINVAL, "%s: values are NULL", fn);
	if (n == 0)
		return pk_error(-EINVAL, "%s: no values (n == 0)", fn);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return pk_error(-EINVAL, "%s: value %zu is %s", fn, i,
					isnan(x[i]) ? "NaN" : "infinite");
	return 0;
}

/* A sorted copy, so that the caller's array is never reordered. */
static int sorted_copy(const char *fn, const double *x, size_t n, double **out)
{
	double *s = malloc(n * sizeof(*s));

	if (!s)
		return pk_error(-ENOMEM, "%s: cannot copy %zu values", fn, n);
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), pk_cmp_double);
	*out = s;
	return 0;
}

/* numpy's default ('linear'): h = (n-1)p/100, interpolate between the order
 * statistics around h. Differences are taken in halves so that values near
 * ±DBL_MAX cannot overflow. */
static double sorted_percentile(const double *s, size_t n, double p)
{
	double h = (double)(n - 1) * (p / 100.0);
	size_t lo = (size_t)floor(h);
	double f = h - (double)lo;

	if (lo >= n - 1)
		return s[n - 1];
	if (f == 0.0)
		return s[lo];
	return s[lo] + 2.0 * f * (0.5 * s[lo + 1] - 0.5 * s[lo]);
}

/*
 * Distribution-free interval [s(l), s(n+1-l)] (1-based ranks) for the median:
 * the number of values below the true median is Binomial(n, 1/2), so the
 * interval misses it with probability 2·P(B <= l-1). Take the largest l whose
 * coverage is still >= PERFKIT_STATS_CI_LEVEL; below n = 6 none reaches it and
 * l = 1 (the full range). Binomial terms are built in log space so large n
 * neither underflows 2^-n nor needs lgamma (not thread-safe).
 */
static void median_ci(const double *s, size_t n, struct perfkit_stats *st)
{
	const double tail = (1.0 - PERFKIT_STATS_CI_LEVEL) / 2.0;
	double logc = 0.0, log_half_n = -(double)n * M_LN2;
	double cdf = 0.0, cdf_at_l = exp(log_half_n);
	size_t l = 1;

	for (size_t i = 0; i < n / 2; i++) {
		if (i > 0)
			logc += log((double)(n - i + 1) / (double)i);
		cdf += exp(logc + log_half_n);
		if (cdf > tail)
			break;
		l = i + 1;
		cdf_at_l = cdf;
	}
	st->ci_low = s[l - 1];
	st->ci_high = s[n - l];
	st->ci_coverage = 1.0 - 2.0 * cdf_at_l;
}

static double mean_of(const double *x, size_t n)
{
	double sum = 0.0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	if (isfinite(sum))
		return sum / (double)n;
	/* The sum overflowed: add pre-divided terms instead (slower, exact
	 * enough, cannot overflow). */
	sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += x[i] / (double)n;
	return sum;
}

/* Two-pass sample standard deviation, scaled by the largest deviation so
 * that squares of huge values cannot overflow. */
static double stddev_of(const double *x, size_t n, double mean)
{
	double big = 0.0, ss = 0.0;

	if (n < 2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		big = fmax(big, fabs(0.5 * x[i] - 0.5 * mean));
	if (big == 0.0)
		return 0.0;
	for (size_t i = 0; i < n; i++) {
		double d = (0.5 * x[i] - 0.5 * mean) / big;

		ss += d * d;
	}
	return 2.0 * big * sqrt(ss / (double)(n - 1));
}

/* |x - median| for every value, into dev (sorted on return). */
static void abs_deviations(const double *s, size_t n, double median, double *dev)
{
	for (size_t i = 0; i < n; i++)
		dev[i] = 2.0 * fabs(0.5 * s[i] - 0.5 * median);
	qsort(dev, n, sizeof(*dev), pk_cmp_double);
}

/*
 * Count |modified z| > PERFKIT_STATS_OUTLIER_Z, z = 0.6745 (x - median) / MAD.
 * When MAD is 0 (more than half the values equal the median, as with a
 * coarse clock) use the mean absolute deviation instead:
 * z = (x - median) / (1.253314 · MeanAD). When that is 0 too, every value
 * equals the median and none is an outlier.
 */
static uint64_t count_outliers(const double *dev, size_t n, double mad)
{
	double scale, meanad = 0.0;
	uint64_t count = 0;

	if (mad > 0.0) {
		scale = mad / MADZ_SCALE;
	} else {
		meanad = mean_of(dev, n);
		if (meanad == 0.0)
			return 0;
		scale = MEANAD_SCALE * meanad;
	}
	for (size_t i = 0; i < n; i++)
		if (dev[i] / scale > PERFKIT_STATS_OUTLIER_Z)
			count++;
	return count;
}

PERFKIT_EXPORT int perfkit_stats_compute(const double *x, size_t n,
					 struct perfkit_stats *out)
{
	struct perfkit_stats st;
	double *s = NULL, *dev;
	int rc;

	if (!out)
		return pk_error(-EINVAL, "perfkit_stats_compute: out is NULL");
	rc = check_values("perfkit_stats_compute", x, n);
	if (rc < 0)
		return rc;
	rc = sorted_copy("perfkit_stats_compute", x, n, &s);
	if (rc < 0)
		return rc;
	dev = malloc(n * sizeof(*dev));
	if (!dev) {
		free(s);
		return pk_error(-ENOMEM, "perfkit_stats_compute: cannot allocate "
				"%zu deviations", n);
	}

	memset(&st, 0, sizeof(st));
	st.n = n;
	st.min = s[0];
	st.max = s[n - 1];
	st.mean = mean_of(s, n);
	st.median = sorted_percentile(s, n, 50.0);
	st.stddev = stddev_of(s, n, st.mean);
	st.cv = (n > 1 && st.mean != 0.0) ? st.stddev / fabs(st.mean) : NAN;
	median_ci(s, n, &st);
	abs_deviations(s, n, st.median, dev);
	st.mad = sorted_percentile(dev, n, 50.0);
	st.outliers = count_outliers(dev, n, st.mad);

	free(dev);
	free(s);
	*out = st;
	return 0;
}

PERFKIT_EXPORT int perfkit_stats_percentiles(const double *x, size_t n,
					     const double *p, size_t np,
					     double *out)
{
	static const char fn[] = "perfkit_stats_percentiles";
	double *s = NULL;
	int rc;

	if (!p || !out)
		return pk_error(-EINVAL, "%s: %s is NULL", fn, !p ? "p" : "out");
	if (np == 0)
		return pk_error(-EINVAL, "%s: no percentiles asked for (np == 0)", fn);
	for (size_t i = 0; i < np; i++)
		if (!(p[i] >= 0.0 && p[i] <= 100.0))
			return pk_error(-EINVAL, "%s: p[%zu] = %g is not in [0, 100]",
					fn, i, p[i]);
	rc = check_values(fn, x, n);
	if (rc < 0)
		return rc;
	rc = sorted_copy(fn, x, n, &s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < np; i++)
		out[i] = sorted_percentile(s, n, p[i]);
	free(s);
	return 0;
}
