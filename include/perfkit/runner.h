/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/runner.h
 * @brief Repeated measurement of a function, like timeit or Google Benchmark.
 */
#ifndef PERFKIT_RUNNER_H
#define PERFKIT_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include <perfkit/stats.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup runner Runner
 * @brief Time a function many times and summarise the per-iteration time.
 *
 * The runner calls your function with an iteration count; the function runs
 * the work that many times. The runner first calibrates the count so that
 * one call (a @e sample) lasts at least the minimum sample time, runs
 * warm-up samples, then takes samples until a stop rule fires:
 *
 * - the 95 % confidence interval of the median is narrow enough:
 *   half-width / median <= precision (#PERFKIT_RUNNER_STOP_PRECISION);
 * - the maximum number of samples is reached (#PERFKIT_RUNNER_STOP_SAMPLES);
 * - the next sample would end past the time budget
 *   (#PERFKIT_RUNNER_STOP_TIME).
 *
 * No rule fires before the minimum number of samples is taken. The clock is
 * the monotonic clock; its measured per-read cost is reported beside the
 * results and @b never subtracted from them. Methods and defaults are
 * described in @ref statistics.
 *
 * @code
 * static void sum(void *user, uint64_t iterations)
 * {
 *	const double *x = user;
 *	volatile double sink;
 *
 *	for (uint64_t it = 0; it < iterations; it++) {
 *		double s = 0;
 *		for (int i = 0; i < 1000; i++)
 *			s += x[i];
 *		sink = s;
 *	}
 *	(void)sink;
 * }
 *
 * struct perfkit_runner *r;
 * struct perfkit_runner_result *res;
 * struct perfkit_stats st;
 *
 * perfkit_runner_new(&r);
 * perfkit_runner_set_precision(r, 0.005);
 * if (perfkit_runner_run(r, sum, x, &res) == 0) {
 *	perfkit_runner_result_stats(res, &st);
 *	printf("%.1f ns per call, 95%% CI [%.1f, %.1f]\n",
 *	       st.median, st.ci_low, st.ci_high);
 *	perfkit_runner_result_destroy(res);
 * }
 * perfkit_runner_destroy(r);
 * @endcode
 * @{
 */

/** @brief Options for repeated measurements (opaque). */
struct perfkit_runner;

/** @brief What a perfkit_runner_run() measured (opaque, read-only). */
struct perfkit_runner_result;

/** @brief Why a run stopped taking samples. */
enum perfkit_runner_stop {
	/** The median's 95 % CI half-width fell to the requested precision. */
	PERFKIT_RUNNER_STOP_PRECISION = 1,
	/** The maximum number of samples was taken. */
	PERFKIT_RUNNER_STOP_SAMPLES = 2,
	/** Another sample would have ended past the time budget. */
	PERFKIT_RUNNER_STOP_TIME = 3,
};

/** @brief Default minimum duration of one sample, seconds. */
#define PERFKIT_RUNNER_DEFAULT_MIN_SAMPLE_TIME 0.01
/** @brief The minimum sample time is never below this many clock
 *  resolutions. */
#define PERFKIT_RUNNER_RESOLUTION_FACTOR 1000
/** @brief Default cap on the calibrated iteration count. */
#define PERFKIT_RUNNER_DEFAULT_MAX_ITERATIONS 1000000000ull
/** @brief Default minimum number of samples. */
#define PERFKIT_RUNNER_DEFAULT_MIN_SAMPLES 10
/** @brief Default maximum number of samples. */
#define PERFKIT_RUNNER_DEFAULT_MAX_SAMPLES 1000
/** @brief Default time budget of a run, seconds. */
#define PERFKIT_RUNNER_DEFAULT_MAX_TIME 2.0
/** @brief Default precision: stop at a CI half-width of 1 % of the median. */
#define PERFKIT_RUNNER_DEFAULT_PRECISION 0.01
/** @brief Fewest samples for which the precision rule is considered: the
 *  smallest n whose order-statistic interval reaches 95 %. */
#define PERFKIT_RUNNER_PRECISION_MIN_SAMPLES 6

/**
 * @brief Create a runner with the default options.
 * @param[out] out the new runner; set to NULL on failure
 * @return 0 on success
 * @retval -EINVAL @p out is NULL
 * @retval -ENOMEM out of memory
 *
 * Defaults: 1 warm-up sample, minimum sample time 10 ms, automatic
 * iteration count capped at 10⁹, 10 to 1000 samples, 2 s time budget,
 * precision 0.01. Thread-safe.
 */
int perfkit_runner_new(struct perfkit_runner **out);

/**
 * @brief Free a runner.
 * @param runner the runner, or NULL (then nothing happens)
 *
 * Results it produced stay valid. Not thread-safe for one runner.
 */
void perfkit_runner_destroy(struct perfkit_runner *runner);

/**
 * @brief Set the warm-up: samples run and discarded before measuring.
 * @param runner the runner
 * @param samples at least this many warm-up samples (0 for none)
 * @param seconds and at least this much warm-up time (0 for none)
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL, or @p seconds is negative or not finite
 *
 * Warm-up continues until both minimums are met. Calibration runs before
 * warm-up and warms caches too. Default: 1 sample, 0 s.
 * Not thread-safe for one runner.
 */
int perfkit_runner_set_warmup(struct perfkit_runner *runner, uint64_t samples,
			      double seconds);

/**
 * @brief Set the minimum duration of one sample, for calibration.
 * @param runner the runner
 * @param seconds minimum sample time, > 0
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL, or @p seconds is <= 0 or not finite
 *
 * The effective minimum is the larger of @p seconds and
 * #PERFKIT_RUNNER_RESOLUTION_FACTOR × the monotonic clock's measured
 * resolution, so that clock granularity stays below 0.1 % of a sample.
 * Calibration aims 20 % above it, and accepts an iteration count only when
 * the faster of two calls with it reaches the minimum. Default 10 ms.
 * Not thread-safe for one runner.
 */
int perfkit_runner_set_min_sample_time(struct perfkit_runner *runner,
				       double seconds);

/**
 * @brief Fix the iteration count per sample instead of calibrating it.
 * @param runner the runner
 * @param iterations iterations per sample; 0 returns to automatic
 *        calibration (the default)
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL
 *
 * A fixed count is used as given: neither the minimum sample time nor the
 * iteration cap applies. Not thread-safe for one runner.
 */
int perfkit_runner_set_iterations(struct perfkit_runner *runner,
				  uint64_t iterations);

/**
 * @brief Cap the iteration count calibration may choose.
 * @param runner the runner
 * @param iterations the cap, >= 1
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL or @p iterations is 0
 *
 * If the cap is reached and a sample is still shorter than the minimum
 * sample time, perfkit_runner_run() fails with -ERANGE: the function is so
 * fast (or does so little, e.g. optimised away) that it cannot be timed
 * honestly. Default 10⁹. Not thread-safe for one runner.
 */
int perfkit_runner_set_max_iterations(struct perfkit_runner *runner,
				      uint64_t iterations);

/**
 * @brief Set the minimum and maximum number of measured samples.
 * @param runner the runner
 * @param min no stop rule fires before this many samples, >= 1
 * @param max stop after this many samples, >= @p min
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL, @p min is 0 or @p max < @p min
 *
 * @p min wins over the time budget: a run takes at least @p min samples
 * however long they last. Set @p min == @p max for a fixed sample count.
 * Default 10 and 1000. Not thread-safe for one runner.
 */
int perfkit_runner_set_samples(struct perfkit_runner *runner, uint64_t min,
			       uint64_t max);

/**
 * @brief Set the time budget of a run.
 * @param runner the runner
 * @param seconds budget, > 0; +inf for none
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL, or @p seconds is <= 0 or NaN
 *
 * The budget counts from the start of perfkit_runner_run(), calibration
 * and warm-up included. The run stops before a sample that would end past
 * it, judged by the previous sample's duration. Default 2 s.
 * Not thread-safe for one runner.
 */
int perfkit_runner_set_max_time(struct perfkit_runner *runner, double seconds);

/**
 * @brief Set the precision goal.
 * @param runner the runner
 * @param relative stop once (ci_high − ci_low) / 2 / median <= @p relative,
 *        > 0 and finite (0.01 = ±1 %)
 * @return 0 on success
 * @retval -EINVAL @p runner is NULL, or @p relative is <= 0 or not finite
 *
 * The rule is checked from max(min samples,
 * #PERFKIT_RUNNER_PRECISION_MIN_SAMPLES) samples on, after every sample (after
 * every n/64-th sample once n > 64, to keep the cost linear-logarithmic).
 * Default 0.01. Not thread-safe for one runner.
 */
int perfkit_runner_set_precision(struct perfkit_runner *runner,
				 double relative);

/**
 * @brief Measure a function.
 * @param runner the options
 * @param fn the work: runs it @p iterations times per call. It must return;
 *        one that never does hangs the runner.
 * @param user passed to @p fn unchanged
 * @param[out] out the result, to free with perfkit_runner_result_destroy();
 *             set to NULL on failure
 * @return 0 on success
 * @retval -EINVAL @p runner, @p fn or @p out is NULL
 * @retval -ERANGE calibration reached the iteration cap with samples still
 *         shorter than the minimum sample time (see
 *         perfkit_runner_set_max_iterations())
 * @retval -ENOMEM out of memory
 *
 * Per-iteration time of a sample = (clock after − clock before) /
 * iterations, in ns; one clock read of overhead is inside each sample and
 * is reported by perfkit_runner_result_timer_overhead_ns(), not subtracted.
 *
 * Thread-safe for distinct runners (concurrent runs compete for the CPU,
 * though); do not change a runner's options while it runs.
 */
int perfkit_runner_run(struct perfkit_runner *runner,
		       void (*fn)(void *user, uint64_t iterations), void *user,
		       struct perfkit_runner_result **out);

/**
 * @brief Free a result.
 * @param result the result, or NULL (then nothing happens)
 */
void perfkit_runner_result_destroy(struct perfkit_runner_result *result);

/**
 * @brief Summary of the per-iteration times, ns.
 * @param result the result
 * @param[out] out the summary (n is the number of samples)
 * @return 0 on success
 * @retval -EINVAL @p result or @p out is NULL
 *
 * Equal to perfkit_stats_compute() over perfkit_runner_result_samples().
 * Thread-safe.
 */
int perfkit_runner_result_stats(const struct perfkit_runner_result *result,
				struct perfkit_stats *out);

/**
 * @brief The raw per-iteration time of every sample, ns, in order taken.
 * @param result the result
 * @param[out] ns the array, owned by @p result (valid until it is freed)
 * @param[out] n number of samples
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL
 *
 * Thread-safe.
 */
int perfkit_runner_result_samples(const struct perfkit_runner_result *result,
				  const double **ns, size_t *n);

/**
 * @brief Iterations per sample (calibrated or fixed).
 * @param result the result
 * @return the count; 0 if @p result is NULL. Thread-safe.
 */
uint64_t perfkit_runner_result_iterations(const struct perfkit_runner_result *result);

/**
 * @brief Why the run stopped.
 * @param result the result
 * @return the stop rule that fired; 0 (no rule) if @p result is NULL.
 *         Thread-safe.
 */
enum perfkit_runner_stop
perfkit_runner_result_stop_reason(const struct perfkit_runner_result *result);

/**
 * @brief Measured cost of one monotonic clock read, ns.
 * @param result the result
 * @return the median cost per read from perfkit_clock_measure() at the
 *         start of the run; NaN if @p result is NULL. Each sample contains
 *         about one read; divide by the iteration count for its share of a
 *         per-iteration time. Thread-safe.
 */
double perfkit_runner_result_timer_overhead_ns(const struct perfkit_runner_result *result);

/**
 * @brief Measured resolution of the monotonic clock, ns.
 * @param result the result
 * @return the smallest step observed (or the reported resolution if none
 *         was observed); NaN if @p result is NULL. Thread-safe.
 */
double perfkit_runner_result_timer_resolution_ns(const struct perfkit_runner_result *result);

/**
 * @brief Wall-clock time of the whole run, ns.
 * @param result the result
 * @return time from the start of calibration to the end of the last sample
 *         (calibration, warm-up and samples); NaN if @p result is NULL.
 *         Thread-safe.
 */
double perfkit_runner_result_elapsed_ns(const struct perfkit_runner_result *result);

/**
 * @brief Name of a stop reason, e.g. "precision".
 * @param reason the reason
 * @return a static string: "precision", "samples", "time", or "unknown".
 *         Thread-safe.
 */
const char *perfkit_runner_stop_name(enum perfkit_runner_stop reason);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_RUNNER_H */
