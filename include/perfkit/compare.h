/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/compare.h
 * @brief A/B comparison of two result sets: each benchmark's old and new
 *        samples, the ratio with a confidence interval, a Mann-Whitney
 *        p-value, Holm's correction, and a verdict.
 */
#ifndef PERFKIT_COMPARE_H
#define PERFKIT_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup compare A/B comparison
 * @brief Did a change make the code faster? perfkit_results_compare()
 *        matches the records of two result sets (or of two groups in one)
 *        by name, problem size and parameters, and tests each benchmark.
 *
 * For every benchmark found in both: the median of each side, the ratio
 * new/old as a Hodges-Lehmann estimate on log values with its
 * distribution-free 95 % interval, the two-sided Mann-Whitney U p-value
 * (perfkit_stats_two_sample() on the logs), the p-value after Holm's
 * correction over all the benchmarks tested, and a verdict: faster,
 * slower, or no difference found. Methods and assumptions are in
 * @ref statistics; see also @ref results "the results guide" for the
 * readers of Google Benchmark and hyperfine files.
 *
 * @code
 * struct perfkit_results *a, *b;
 * struct perfkit_comparison *cmp;
 * const struct perfkit_compare_row *row;
 *
 * if (perfkit_results_read("old.json", PERFKIT_FORMAT_AUTO, &a) == 0 &&
 *     perfkit_results_read("new.json", PERFKIT_FORMAT_AUTO, &b) == 0 &&
 *     perfkit_results_compare(a, b, NULL, &cmp) == 0) {
 *	for (size_t i = 0; i < perfkit_comparison_count(cmp); i++) {
 *		perfkit_comparison_get(cmp, i, &row);
 *		printf("%s: x%.3f [%.3f, %.3f] %s\n", row->name, row->ratio,
 *		       row->ratio_ci_low, row->ratio_ci_high,
 *		       perfkit_compare_verdict_name(row->verdict));
 *	}
 *	perfkit_comparison_destroy(cmp);
 * }
 * @endcode
 *
 * Threads: a comparison is read-only once made; any number of threads may
 * read it. perfkit_results_compare() is thread-safe as long as nobody
 * changes the sets it reads.
 * @{
 */

/** @brief The figure compared per record. */
enum perfkit_compare_metric {
	/** Seconds per repetition, `elapsed / repetitions` (repetitions 0
	 *  counts as 1). Lower is better. The default. */
	PERFKIT_COMPARE_TIME = 0,
	/** Seconds of the timed work, `elapsed`. Lower is better. */
	PERFKIT_COMPARE_ELAPSED = 1,
	/** GFLOPS, `flops / elapsed / 1e9`. Higher is better. */
	PERFKIT_COMPARE_GFLOPS = 2,
	/** GB/s, `bytes / elapsed / 1e9`. Higher is better. */
	PERFKIT_COMPARE_GBPS = 3,
	/** Items per second, `items / elapsed`. Higher is better. */
	PERFKIT_COMPARE_ITEMS_PER_S = 4,
};

/** @brief What the test says about one benchmark. */
enum perfkit_compare_verdict {
	/** The Holm-adjusted p-value is not below alpha. */
	PERFKIT_VERDICT_NO_DIFFERENCE = 0,
	/** Significantly better in the new set (less time, or a higher
	 *  rate). */
	PERFKIT_VERDICT_FASTER = 1,
	/** Significantly worse in the new set. */
	PERFKIT_VERDICT_SLOWER = 2,
	/** Fewer than 2 usable values on a side: not tested (p-values and
	 *  interval NaN, not counted in Holm's correction). */
	PERFKIT_VERDICT_TOO_FEW = 3,
};

/**
 * @brief Options of perfkit_results_compare().
 *
 * Start from #PERFKIT_COMPARE_OPTIONS_INIT or
 * perfkit_compare_options_init(): fields are only ever added at the end,
 * and the library reads no further than @c size bytes.
 */
struct perfkit_compare_options {
	/** sizeof(struct perfkit_compare_options) as the caller knows it. */
	size_t size;
	/** The figure compared. Default #PERFKIT_COMPARE_TIME. */
	enum perfkit_compare_metric metric;
	/** Family-wise error rate of the verdicts after Holm's correction,
	 *  in (0, 0.5]. Default 0.05. */
	double alpha;
	/** NULL (default): compare the old set with the new one. Else a key
	 *  (perfkit_results_value(): a field, a parameter or an extra
	 *  column) that splits records into groups: old records are those of
	 *  the old set whose value is @c group_old, new ones those of the new
	 *  set whose value is @c group_new (pass one set twice to compare two
	 *  groups in it). The key is then left out of the matching. */
	const char *group_key;
	/** Value of @c group_key that marks old records. */
	const char *group_old;
	/** Value of @c group_key that marks new records. */
	const char *group_new;
};

/** @brief Default options (an initializer). */
#define PERFKIT_COMPARE_OPTIONS_INIT                                        \
	{ sizeof(struct perfkit_compare_options), PERFKIT_COMPARE_TIME, 0.05, \
	  NULL, NULL, NULL }

/**
 * @brief Set options to their defaults.
 * @param opts the options
 * @return 0 on success
 * @retval -EINVAL @p opts is NULL
 */
int perfkit_compare_options_init(struct perfkit_compare_options *opts);

/**
 * @brief One benchmark of a comparison. Plain data owned by the
 *        comparison; values in the metric's unit.
 */
struct perfkit_compare_row {
	/** sizeof(struct perfkit_compare_row) as the library knows it. */
	size_t size;
	/** The records' name. */
	const char *name;
	/** The parameters that identify the benchmark, "key=value" joined by
	 *  ", " in the order of the first old record; "" if none. */
	const char *params;
	/** The records' problem size (0 if none). */
	int64_t problem_size;
	/** Usable values in the old set (records with status 0 and a
	 *  finite, positive metric). */
	uint64_t n_old;
	/** Usable values in the new set. */
	uint64_t n_new;
	/** Records of this benchmark left out (a failed status, or a metric
	 *  that is not finite and positive), both sets together. */
	uint64_t skipped;
	/** Median of the old values. */
	double median_old;
	/** Median of the new values. */
	double median_new;
	/** new/old: exp of the Hodges-Lehmann shift of the logs (the median
	 *  of all ratios new_j / old_i). > 1 means more time, or a higher
	 *  rate. NaN when not tested. */
	double ratio;
	/** Lower end of the ratio's distribution-free interval. */
	double ratio_ci_low;
	/** Upper end of that interval. */
	double ratio_ci_high;
	/** Probability the interval covers the true ratio (see
	 *  struct perfkit_stats_two_sample). */
	double ci_coverage;
	/** Two-sided Mann-Whitney U p-value, before correction. */
	double p_value;
	/** p-value after Holm's correction over the benchmarks tested. */
	double p_holm;
	/** 1 when @c p_value and the interval come from the exact
	 *  distribution of U. */
	int exact;
	/** The verdict at the options' alpha. */
	enum perfkit_compare_verdict verdict;
};

/** @brief The result of perfkit_results_compare() (opaque). */
struct perfkit_comparison;

struct perfkit_results;

/**
 * @brief Compare two result sets benchmark by benchmark.
 * @param old_set the baseline
 * @param new_set the candidate (may be @p old_set with a group key)
 * @param opts options, or NULL for the defaults
 * @param[out] out the comparison; free it with perfkit_comparison_destroy()
 * @return 0 on success
 * @retval -EINVAL a set or @p out is NULL, an option is out of range, or
 *         a group key is given without both values
 * @retval -ENOENT no benchmark is in both sets (the message says how many
 *         each had)
 * @retval -ENOMEM out of memory
 *
 * A benchmark is the records sharing name, problem size and parameters
 * (as a set: the order of the parameters does not matter). Rows come in
 * the order benchmarks first appear in @p old_set. Benchmarks found in
 * one set only are counted (perfkit_comparison_unmatched()), not
 * compared.
 */
int perfkit_results_compare(const struct perfkit_results *old_set,
			    const struct perfkit_results *new_set,
			    const struct perfkit_compare_options *opts,
			    struct perfkit_comparison **out);

/**
 * @brief Free a comparison. NULL-safe.
 * @param cmp the comparison
 */
void perfkit_comparison_destroy(struct perfkit_comparison *cmp);

/**
 * @brief Number of benchmarks compared (rows).
 * @param cmp the comparison
 * @return the count; 0 if @p cmp is NULL
 */
size_t perfkit_comparison_count(const struct perfkit_comparison *cmp);

/**
 * @brief A row by position.
 * @param cmp the comparison
 * @param i 0 to perfkit_comparison_count() - 1
 * @param[out] row points into @p cmp; valid until it is destroyed
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p i is out of range
 */
int perfkit_comparison_get(const struct perfkit_comparison *cmp, size_t i,
			   const struct perfkit_compare_row **row);

/**
 * @brief Benchmarks found in one set only.
 * @param cmp the comparison
 * @param[out] only_old benchmarks only in the old set (may be NULL)
 * @param[out] only_new benchmarks only in the new set (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p cmp is NULL
 */
int perfkit_comparison_unmatched(const struct perfkit_comparison *cmp,
				 size_t *only_old, size_t *only_new);

/**
 * @brief The comparison as a result set, to write with
 *        perfkit_results_write(): one record per row with its name,
 *        problem size and parameters, and the figures as extra columns
 *        (`n_old`, `n_new`, `median_old`, `median_new`, `ratio`,
 *        `ratio_ci_low`, `ratio_ci_high`, `ci_coverage`, `p_value`,
 *        `p_holm`, `verdict`); metadata `compare.metric`, `compare.alpha`
 *        and `compare.method`.
 * @param cmp the comparison
 * @param[out] out the new set; free it with perfkit_results_destroy()
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory
 */
int perfkit_comparison_results(const struct perfkit_comparison *cmp,
			       struct perfkit_results **out);

/**
 * @brief A verdict in words.
 * @param verdict the verdict
 * @return "faster", "slower", "no difference found", "too few samples",
 *         or "unknown"; static text
 */
const char *perfkit_compare_verdict_name(enum perfkit_compare_verdict verdict);

/**
 * @brief A metric's name and unit.
 * @param metric the metric
 * @param[out] unit "s", "GFLOPS", "GB/s" or "items/s" (may be NULL)
 * @return "time", "elapsed", "gflops", "gbps", "items_per_s", or NULL for
 *         an unknown metric; static text
 */
const char *perfkit_compare_metric_name(enum perfkit_compare_metric metric,
					const char **unit);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_COMPARE_H */
