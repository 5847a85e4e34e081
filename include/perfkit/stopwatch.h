/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/stopwatch.h
 * @brief A stopwatch with laps on the monotonic clock.
 */
#ifndef PERFKIT_STOPWATCH_H
#define PERFKIT_STOPWATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup stopwatch Stopwatch
 * @brief Start, stop, resume and lap timing on the monotonic clock, in ns.
 *
 * @code
 * struct perfkit_stopwatch *sw;
 * uint64_t ns;
 *
 * if (perfkit_stopwatch_new(&sw) < 0)
 *	return -1;
 * perfkit_stopwatch_start(sw);
 * for (int step = 0; step < 3; step++) {
 *	work(step);
 *	perfkit_stopwatch_lap(sw, NULL);   // one lap per step
 * }
 * perfkit_stopwatch_stop(sw);
 * perfkit_stopwatch_elapsed(sw, &ns); // the sum of the three laps
 * perfkit_stopwatch_destroy(sw);
 * @endcode
 *
 * States: a new or reset stopwatch is stopped at 0 ns. perfkit_stopwatch_start()
 * clears it and runs; perfkit_stopwatch_stop() pauses; perfkit_stopwatch_resume()
 * runs again and keeps adding to the elapsed time. Elapsed time is the sum of
 * the running intervals and can be read in either state.
 *
 * A lap is the running time since the previous lap (or since start): the
 * laps of a stopwatch add up to its elapsed time at the moment of the last
 * lap. Laps are kept in memory that grows by doubling up to a bound
 * (PERFKIT_STOPWATCH_DEFAULT_MAX_LAPS, changed with
 * perfkit_stopwatch_set_max_laps()); a lap past the bound is refused with
 * -ERANGE and the stopwatch keeps running.
 *
 * Threads: the functions keep no global state and take no locks, so that
 * starting, stopping and lapping cost little more than one clock read.
 * Different stopwatches may be used from different threads at the same
 * time; one stopwatch must not be used from two threads at once without
 * external locking (the usual pattern is one stopwatch per thread).
 * @{
 */

/** @brief Default bound on the laps one stopwatch keeps (8 MiB of laps). */
#define PERFKIT_STOPWATCH_DEFAULT_MAX_LAPS ((size_t)1 << 20)

/** @brief A stopwatch; opaque, created by perfkit_stopwatch_new(). */
struct perfkit_stopwatch;

/**
 * @brief Create a stopped stopwatch reading 0 ns.
 * @param[out] out the new stopwatch; set to NULL on failure
 * @return 0 on success
 * @retval -EINVAL @p out is NULL
 * @retval -ENOMEM out of memory
 *
 * Thread-safe.
 */
int perfkit_stopwatch_new(struct perfkit_stopwatch **out);

/**
 * @brief Free a stopwatch and its laps.
 * @param sw the stopwatch; NULL is allowed and does nothing
 */
void perfkit_stopwatch_destroy(struct perfkit_stopwatch *sw);

/**
 * @brief Clear the elapsed time and laps, then run.
 * @param sw the stopwatch
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL, or it is already running (stop or reset
 *         it first; nothing is changed)
 */
int perfkit_stopwatch_start(struct perfkit_stopwatch *sw);

/**
 * @brief Pause: add the running interval to the elapsed time.
 * @param sw the stopwatch
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL or not running
 */
int perfkit_stopwatch_stop(struct perfkit_stopwatch *sw);

/**
 * @brief Run again after perfkit_stopwatch_stop(), keeping the elapsed time
 *        and laps.
 * @param sw the stopwatch
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL or already running
 *
 * Resuming a new or reset stopwatch is the same as starting it.
 */
int perfkit_stopwatch_resume(struct perfkit_stopwatch *sw);

/**
 * @brief Stop, and clear the elapsed time and laps.
 * @param sw the stopwatch
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL
 *
 * The lap storage is kept for reuse; the lap bound is kept too.
 */
int perfkit_stopwatch_reset(struct perfkit_stopwatch *sw);

/**
 * @brief Elapsed running time, while running or stopped.
 * @param sw the stopwatch
 * @param[out] ns elapsed nanoseconds
 * @return 0 on success
 * @retval -EINVAL @p sw or @p ns is NULL
 */
int perfkit_stopwatch_elapsed(const struct perfkit_stopwatch *sw, uint64_t *ns);

/**
 * @brief Whether the stopwatch is running.
 * @param sw the stopwatch
 * @return 1 if running, 0 if stopped
 * @retval -EINVAL @p sw is NULL
 */
int perfkit_stopwatch_is_running(const struct perfkit_stopwatch *sw);

/**
 * @brief Record a lap: the running time since the previous lap (or start).
 * @param sw the stopwatch; must be running
 * @param[out] lap_ns the lap just recorded, in ns; may be NULL
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL or not running
 * @retval -ERANGE the stopwatch already holds its maximum number of laps
 * @retval -ENOMEM the lap storage could not grow
 *
 * On failure no lap is recorded and the stopwatch keeps running; the next
 * successful lap then covers the time since the last recorded one.
 */
int perfkit_stopwatch_lap(struct perfkit_stopwatch *sw, uint64_t *lap_ns);

/**
 * @brief Number of laps recorded since start or reset.
 * @param sw the stopwatch
 * @param[out] count the number of laps
 * @return 0 on success
 * @retval -EINVAL @p sw or @p count is NULL
 */
int perfkit_stopwatch_lap_count(const struct perfkit_stopwatch *sw,
				size_t *count);

/**
 * @brief Read one lap.
 * @param sw the stopwatch
 * @param index which lap, 0 for the first
 * @param[out] ns the lap's duration in ns
 * @return 0 on success
 * @retval -EINVAL @p sw or @p ns is NULL, or @p index is not below the lap
 *         count
 */
int perfkit_stopwatch_lap_get(const struct perfkit_stopwatch *sw, size_t index,
			      uint64_t *ns);

/**
 * @brief Change the bound on the number of laps kept.
 * @param sw the stopwatch
 * @param max_laps the new bound, at least 1
 * @return 0 on success
 * @retval -EINVAL @p sw is NULL or @p max_laps is 0
 * @retval -ERANGE @p max_laps is below the laps already recorded, or too
 *         large to be stored (more than SIZE_MAX / 8)
 */
int perfkit_stopwatch_set_max_laps(struct perfkit_stopwatch *sw,
				   size_t max_laps);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_STOPWATCH_H */
