/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/timer.h
 * @brief Clocks in nanoseconds, a tick counter, and their measured cost.
 */
#ifndef PERFKIT_TIMER_H
#define PERFKIT_TIMER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup timer Timers
 * @brief Clocks, their resolution and per-read cost.
 *
 * Time regions with the monotonic wall clock:
 * @code
 * uint64_t t1 = perfkit_now_ns();
 * work();
 * uint64_t t2 = perfkit_now_ns();
 * printf("%.3f ms\n", (t2 - t1) / 1e6);
 * @endcode
 * @{
 */

/** @brief The clocks libperfkit can read. */
enum perfkit_clock {
	/** Wall-clock time that never jumps (CLOCK_MONOTONIC), in ns. */
	PERFKIT_CLOCK_MONOTONIC = 0,
	/** CPU time consumed by all threads of the process, in ns. */
	PERFKIT_CLOCK_PROCESS_CPU = 1,
	/** CPU time consumed by the calling thread, in ns. */
	PERFKIT_CLOCK_THREAD_CPU = 2,
	/**
	 * The CPU's tick counter (rdtsc on x86-64, cntvct_el0 on aarch64,
	 * else the monotonic clock), read as raw ticks by perfkit_ticks() and
	 * converted to ns by perfkit_clock_read() with the calibrated rate.
	 */
	PERFKIT_CLOCK_TICKS = 3,
};

/**
 * @brief Read the monotonic wall clock.
 * @return nanoseconds since an arbitrary fixed point (boot, typically).
 *
 * The cheapest way to time a region; cannot fail. Thread-safe.
 */
uint64_t perfkit_now_ns(void);

/**
 * @brief Read one of the clocks in nanoseconds.
 * @param clock which clock
 * @param[out] ns the reading in nanoseconds
 * @return 0 on success
 * @retval -EINVAL @p clock is not a perfkit_clock or @p ns is NULL
 * @retval -ENOTSUP the system cannot read this clock
 *
 * Thread-safe.
 */
int perfkit_clock_read(enum perfkit_clock clock, uint64_t *ns);

/**
 * @brief Name of a clock, e.g. "monotonic".
 * @param clock which clock
 * @return a static string; "unknown" for a value outside the enum.
 */
const char *perfkit_clock_name(enum perfkit_clock clock);

/**
 * @brief Read the raw tick counter.
 * @return ticks since an arbitrary fixed point; convert with
 *         perfkit_ticks_rate(). Cannot fail.
 *
 * On x86-64 this is rdtsc (not serialising: it may be reordered with
 * nearby instructions, so time regions of at least a few hundred ns).
 * Thread-safe.
 */
uint64_t perfkit_ticks(void);

/**
 * @brief Rate of perfkit_ticks(), in ticks per second.
 * @param[out] hz ticks per second
 * @return 0 on success
 * @retval -EINVAL @p hz is NULL
 *
 * On aarch64 the rate is read from cntfrq_el0; elsewhere it is calibrated
 * once (about 20 ms against the monotonic clock) on first use and cached.
 * Thread-safe.
 */
int perfkit_ticks_rate(double *hz);

/** @brief Measured properties of one clock, from perfkit_clock_measure(). */
struct perfkit_clock_info {
	/** The clock measured. */
	enum perfkit_clock clock;
	/** Resolution the system reports (clock_getres), ns; 0 if none. */
	double reported_resolution_ns;
	/** Smallest non-zero difference seen between two reads, ns. */
	double observed_resolution_ns;
	/** Median cost of one read, ns (from batches of back-to-back reads). */
	double overhead_ns;
	/** Number of reads the figures above were taken from. */
	uint64_t reads;
};

/**
 * @brief Measure a clock's resolution and the cost of reading it.
 * @param clock which clock
 * @param[out] info the measured figures
 * @return 0 on success
 * @retval -EINVAL @p clock is not a perfkit_clock or @p info is NULL
 * @retval -ENOTSUP the system cannot read this clock
 *
 * Takes a few milliseconds. Thread-safe.
 */
int perfkit_clock_measure(enum perfkit_clock clock,
			  struct perfkit_clock_info *info);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_TIMER_H */
