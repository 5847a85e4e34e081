/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"
#include "perfkit/timer.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

static const clockid_t clock_ids[] = {
	[PERFKIT_CLOCK_MONOTONIC] = CLOCK_MONOTONIC,
	[PERFKIT_CLOCK_PROCESS_CPU] = CLOCK_PROCESS_CPUTIME_ID,
	[PERFKIT_CLOCK_THREAD_CPU] = CLOCK_THREAD_CPUTIME_ID,
};

static const char *const clock_names[] = {
	[PERFKIT_CLOCK_MONOTONIC] = "monotonic",
	[PERFKIT_CLOCK_PROCESS_CPU] = "process-cpu",
	[PERFKIT_CLOCK_THREAD_CPU] = "thread-cpu",
	[PERFKIT_CLOCK_TICKS] = "ticks",
};

static int valid_clock(enum perfkit_clock clock)
{
	return (int)clock >= 0 && (int)clock <= (int)PERFKIT_CLOCK_TICKS;
}

static inline uint64_t ts_to_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

PERFKIT_EXPORT uint64_t perfkit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts_to_ns(&ts);
}

PERFKIT_EXPORT uint64_t perfkit_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#elif defined(__aarch64__)
	uint64_t v;
	__asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
	return perfkit_now_ns();
#endif
}

static double tick_hz;
static pthread_once_t tick_once = PTHREAD_ONCE_INIT;

/* Ticks per second, from hardware where it says, else timed against the
 * monotonic clock over ~20 ms (the median of five 4 ms windows). */
static void calibrate_ticks(void)
{
#if defined(__aarch64__)
	uint64_t f;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	tick_hz = (double)f;
#elif defined(__x86_64__) || defined(__i386__)
	double rates[5];

	for (int i = 0; i < 5; i++) {
		uint64_t t0 = perfkit_now_ns(), c0 = perfkit_ticks();
		uint64_t t1;

		do
			t1 = perfkit_now_ns();
		while (t1 - t0 < 4000000u);
		rates[i] = (double)(perfkit_ticks() - c0) * 1e9 / (double)(t1 - t0);
	}
	for (int i = 1; i < 5; i++)
		for (int j = i; j > 0 && rates[j] < rates[j - 1]; j--) {
			double t = rates[j];
			rates[j] = rates[j - 1];
			rates[j - 1] = t;
		}
	tick_hz = rates[2];
#else
	tick_hz = 1e9;
#endif
}

PERFKIT_EXPORT int perfkit_ticks_rate(double *hz)
{
	if (!hz)
		return pk_error(-EINVAL, "perfkit_ticks_rate: hz is NULL");
	pthread_once(&tick_once, calibrate_ticks);
	*hz = tick_hz;
	return 0;
}

PERFKIT_EXPORT const char *perfkit_clock_name(enum perfkit_clock clock)
{
	return valid_clock(clock) ? clock_names[clock] : "unknown";
}

PERFKIT_EXPORT int perfkit_clock_read(enum perfkit_clock clock, uint64_t *ns)
{
	struct timespec ts;
	double hz;

	if (!valid_clock(clock))
		return pk_error(-EINVAL, "perfkit_clock_read: unknown clock %d", (int)clock);
	if (!ns)
		return pk_error(-EINVAL, "perfkit_clock_read: ns is NULL");
	if (clock == PERFKIT_CLOCK_TICKS) {
		perfkit_ticks_rate(&hz);
		*ns = (uint64_t)((double)perfkit_ticks() * (1e9 / hz));
		return 0;
	}
	if (clock_gettime(clock_ids[clock], &ts) != 0)
		return pk_error(-ENOTSUP, "clock %s cannot be read here",
				clock_names[clock]);
	*ns = ts_to_ns(&ts);
	return 0;
}

/* Read the clock the cheapest way it can be read, in its own unit. */
static inline uint64_t read_raw(enum perfkit_clock clock)
{
	struct timespec ts;

	if (clock == PERFKIT_CLOCK_TICKS)
		return perfkit_ticks();
	clock_gettime(clock_ids[clock], &ts);
	return ts_to_ns(&ts);
}

enum { BATCHES = 31, BATCH_READS = 1000 };

PERFKIT_EXPORT int perfkit_clock_measure(enum perfkit_clock clock,
					 struct perfkit_clock_info *info)
{
	double per_read[BATCHES], unit_ns = 1.0, hz, smallest = INFINITY;
	struct timespec res = { 0, 0 };
	uint64_t probe;
	int rc;

	if (!info)
		return pk_error(-EINVAL, "perfkit_clock_measure: info is NULL");
	rc = perfkit_clock_read(clock, &probe);
	if (rc < 0)
		return rc;
	if (clock == PERFKIT_CLOCK_TICKS) {
		perfkit_ticks_rate(&hz);
		unit_ns = 1e9 / hz;
	} else if (clock_getres(clock_ids[clock], &res) != 0) {
		res.tv_sec = res.tv_nsec = 0;
	}

	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = perfkit_now_ns(), prev = read_raw(clock), cur;

		for (int i = 0; i < BATCH_READS; i++) {
			cur = read_raw(clock);
			if (cur > prev && (double)(cur - prev) < smallest)
				smallest = (double)(cur - prev);
			prev = cur;
		}
		per_read[b] = (double)(perfkit_now_ns() - t0) / (BATCH_READS + 1);
	}
	qsort(per_read, BATCHES, sizeof(double), pk_cmp_double);

	info->clock = clock;
	info->reported_resolution_ns = clock == PERFKIT_CLOCK_TICKS ?
		unit_ns : (double)ts_to_ns(&res);
	info->observed_resolution_ns = isfinite(smallest) ? smallest * unit_ns : 0.0;
	info->overhead_ns = per_read[BATCHES / 2];
	info->reads = (uint64_t)BATCHES * (BATCH_READS + 1);
	return 0;
}
