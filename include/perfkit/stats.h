/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/stats.h
 * @brief Summary statistics of a sample of measurements.
 */
#ifndef PERFKIT_STATS_H
#define PERFKIT_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup stats Statistics
 * @brief Robust summary of repeated measurements: median, its confidence
 *        interval, spread, percentiles and outliers.
 *
 * All figures are in the unit of the input (ns in, ns out). The formulas
 * (percentile definition, MAD, modified z-score, the median's confidence
 * interval) are spelled out in @ref statistics.
 *
 * @code
 * double ns[] = { 101, 99, 100, 98, 250, 100, 102, 97, 100, 103 };
 * struct perfkit_stats st;
 *
 * if (perfkit_stats_compute(ns, 10, &st) == 0)
 *	printf("median %.1f ns, 95%% CI [%.1f, %.1f], %llu outlier(s)\n",
 *	       st.median, st.ci_low, st.ci_high,
 *	       (unsigned long long)st.outliers);
 * @endcode
 * @{
 */

/** @brief Confidence level the median's interval aims for (0.95). */
#define PERFKIT_STATS_CI_LEVEL 0.95

/** @brief |modified z-score| above which a value counts as an outlier. */
#define PERFKIT_STATS_OUTLIER_Z 3.5

/**
 * @brief Summary of a sample; every value is in the unit of the input.
 *
 * The struct only grows at the end. A release that grows it will add a new
 * versioned symbol for perfkit_stats_compute(), so programs built against
 * this layout keep receiving it.
 */
struct perfkit_stats {
	/** Number of values. */
	uint64_t n;
	/** Smallest value. */
	double min;
	/** Largest value. */
	double max;
	/** Arithmetic mean. */
	double mean;
	/** Median (the 50th percentile; mean of the two middle values if
	 *  n is even). */
	double median;
	/** Sample standard deviation (divisor n − 1); NaN when n == 1. */
	double stddev;
	/**
	 * Median absolute deviation, raw: median(|x − median|). @b Not scaled:
	 * multiply by 1.4826 for an estimate of the standard deviation of
	 * normally distributed data.
	 */
	double mad;
	/** Coefficient of variation stddev / |mean| (dimensionless); NaN when
	 *  n == 1 or the mean is 0. */
	double cv;
	/** Lower end of the distribution-free confidence interval of the
	 *  median (an order statistic). */
	double ci_low;
	/** Upper end of that interval (an order statistic). */
	double ci_high;
	/**
	 * Probability that [ci_low, ci_high] covers the true median
	 * (dimensionless, 0..1): at least #PERFKIT_STATS_CI_LEVEL when
	 * n >= 6. With n < 6 no pair of order statistics reaches 95 %, so the
	 * interval is the full range [min, max] and this says what it covers:
	 * 0 (n = 1), 0.5, 0.75, 0.875, 0.9375 (n = 5).
	 */
	double ci_coverage;
	/** Number of values whose |modified z-score| exceeds
	 *  #PERFKIT_STATS_OUTLIER_Z. They are counted, never removed. */
	uint64_t outliers;
};

/**
 * @brief Summarise a sample.
 * @param x the values; not modified (the function sorts a copy)
 * @param n number of values, at least 1
 * @param[out] out the summary; untouched on failure
 * @return 0 on success
 * @retval -EINVAL @p x or @p out is NULL, @p n is 0, or a value is NaN or
 *         infinite
 * @retval -ENOMEM the copy could not be allocated
 *
 * Cost: O(n log n) time, O(n) memory. Thread-safe.
 */
int perfkit_stats_compute(const double *x, size_t n, struct perfkit_stats *out);

/**
 * @brief Percentiles by linear interpolation between order statistics.
 * @param x the values; not modified
 * @param n number of values, at least 1
 * @param p the percentiles wanted, each in [0, 100]
 * @param np number of entries in @p p and @p out, at least 1
 * @param[out] out the percentiles, @p out[i] for @p p[i]; untouched on
 *             failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n or @p np is 0, a value of @p x is
 *         NaN or infinite, or a @p p is NaN or outside [0, 100]
 * @retval -ENOMEM the copy could not be allocated
 *
 * With the values sorted, x_(0) <= ... <= x_(n−1), and h = (n − 1) p / 100,
 * the percentile is x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)): numpy's
 * default (`method='linear'`), R's type 7. p = 0 gives the minimum, 100 the
 * maximum, 50 the median.
 *
 * Thread-safe.
 */
int perfkit_stats_percentiles(const double *x, size_t n, const double *p,
			      size_t np, double *out);

/**
 * @brief Two independent samples compared by ranks: the Mann-Whitney U
 *        test and the Hodges-Lehmann shift with its distribution-free
 *        interval (perfkit_stats_two_sample()).
 *
 * All figures but @c u, @c p_value and @c ci_coverage are in the unit of
 * the input. The methods are spelled out in @ref statistics.
 */
struct perfkit_stats_two_sample {
	/** Values in the first sample (x). */
	uint64_t nx;
	/** Values in the second sample (y). */
	uint64_t ny;
	/** Mann-Whitney U of y: the number of pairs (x_i, y_j) with
	 *  y_j > x_i, ties counting one half (0 to nx·ny). */
	double u;
	/** Two-sided p-value of "x and y come from one distribution"
	 *  (0..1). */
	double p_value;
	/** 1: @c p_value and the interval come from the exact distribution
	 *  of U (no ties, both samples under #PERFKIT_STATS_EXACT_MAX);
	 *  0: from the normal approximation with tie and continuity
	 *  corrections. */
	int exact;
	/** Hodges-Lehmann estimate of the shift y − x: the median of the
	 *  nx·ny differences y_j − x_i. */
	double shift;
	/** Lower end of the distribution-free interval of the shift (the
	 *  k-th smallest difference). */
	double ci_low;
	/** Upper end of that interval (the k-th largest difference). */
	double ci_high;
	/** Probability that [ci_low, ci_high] covers the true shift: exact
	 *  when @c exact, else its normal approximation. At least
	 *  #PERFKIT_STATS_CI_LEVEL unless the samples are too small for any
	 *  interval to reach it (then the interval is the full range of the
	 *  differences and this says what it covers). */
	double ci_coverage;
};

/** @brief Samples of fewer values than this (both) and without ties get
 *         the exact distribution of U in perfkit_stats_two_sample(), as R's
 *         wilcox.test() does. */
#define PERFKIT_STATS_EXACT_MAX 50

/**
 * @brief Compare two independent samples: Mann-Whitney U test (two-sided)
 *        and Hodges-Lehmann estimate of the shift y − x with its 95 %
 *        distribution-free confidence interval.
 * @param x the first sample ("before"); not modified
 * @param nx its number of values, at least 1
 * @param y the second sample ("after"); not modified
 * @param ny its number of values, at least 1
 * @param[out] out the result; untouched on failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p nx or @p ny is 0, or a value is
 *         NaN or infinite
 * @retval -ENOMEM out of memory
 *
 * Assumes independent values, each sample from one continuous
 * distribution; the interval assumes the two distributions differ only by
 * a shift. Exact p-value and interval (R's `wilcox.test(y, x, exact =
 * TRUE, conf.int = TRUE)`) when there are no ties and both samples hold
 * fewer than #PERFKIT_STATS_EXACT_MAX values; otherwise the normal
 * approximation with tie and continuity corrections (R's `exact = FALSE,
 * correct = TRUE` for the p-value). When every value of both samples is
 * equal, p is 1 and the shift and interval are 0.
 *
 * Cost: O((nx + ny) log) time and O(nx + ny) memory for the approximate
 * case; the exact distribution adds O(min² · nx · ny) time and
 * O(min · nx · ny) memory (min = the smaller sample). Thread-safe.
 */
int perfkit_stats_two_sample(const double *x, size_t nx, const double *y,
			     size_t ny, struct perfkit_stats_two_sample *out);

/**
 * @brief Holm's step-down adjustment of p-values for many comparisons
 *        (R's `p.adjust(p, "holm")`).
 * @param p the p-values, each in [0, 1]; not modified
 * @param n their number, at least 1
 * @param[out] adjusted @p n adjusted p-values, in the order of @p p (may
 *             be @p p itself); untouched on failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n is 0, or a p-value is NaN or
 *         outside [0, 1]
 * @retval -ENOMEM out of memory
 *
 * With p sorted ascending, p_(1) <= ... <= p_(n), the adjusted value of
 * p_(i) is min(1, max over j <= i of (n − j + 1) p_(j)). Rejecting every
 * hypothesis whose adjusted p-value is below α keeps the chance of any
 * false "different" at most α, whatever the dependence between the tests.
 *
 * Thread-safe.
 */
int perfkit_stats_holm(const double *p, size_t n, double *adjusted);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_STATS_H */
