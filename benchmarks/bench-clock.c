/* SPDX-License-Identifier: MIT */
/*
 * Per-read cost of perfkit_now_ns() against a raw clock_gettime() loop,
 * and of perfkit_ticks() against the monotonic clock, in one run,
 * alternating rounds; then perfkit_clock_measure() for every clock.
 *
 * This program links the static library (a direct call). What a user of
 * the shared library pays is a call through the PLT: the same function
 * is also timed through a pointer from dlsym() on libperfkit.so.1, which
 * is found next to the build tree (../lib/ from this program) or given as
 * the first argument.
 *
 *   build/benchmarks/bench-clock [path/to/libperfkit.so.1]
 */
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "perfkit/perfkit.h"

/* Short batches, many rounds: on a shared machine a batch that is
 * preempted is an outlier, and the median and minimum ignore it. */
enum { ROUNDS = 101, READS = 20000 };

static volatile uint64_t sink;

static uint64_t raw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef uint64_t (*reader)(void);

/* ns per read of `read`, over READS back-to-back reads. */
static double per_read(reader read)
{
	uint64_t t0 = raw_now(), acc = 0;

	for (int i = 0; i < READS; i++)
		acc += read();
	sink = acc;
	return (double)(raw_now() - t0) / READS;
}

/* The raw loop written out, so that the compiler inlines clock_gettime's
 * call site exactly as a user's own code would. */
static double per_read_raw(void)
{
	uint64_t t0 = raw_now(), acc = 0;

	for (int i = 0; i < READS; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		acc += (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	sink = acc;
	return (double)(raw_now() - t0) / READS;
}

/* The library's own statistics: the median and minimum of a sample. */
static double median(const double *v, int n)
{
	struct perfkit_stats st;

	return perfkit_stats_compute(v, (size_t)n, &st) == 0 ? st.median : NAN;
}

static double minimum(const double *v, int n)
{
	struct perfkit_stats st;

	return perfkit_stats_compute(v, (size_t)n, &st) == 0 ? st.min : NAN;
}

static reader shared_now_ns(int argc, char **argv, char *path, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	void *h;

	if (argc > 1) {
		snprintf(path, len, "%s", argv[1]);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0)
			return NULL;
		exe[n] = '\0';
		snprintf(path, len, "%s/../lib/libperfkit.so.1", dirname(exe));
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	return (reader)(uintptr_t)dlsym(h, "perfkit_now_ns");
}

/* One batch of method `which`: 0 raw, 1 static, 2 shared, 3 ticks. */
static double measure(int which, reader shared)
{
	switch (which) {
	case 0:
		return per_read_raw();
	case 1:
		return per_read(perfkit_now_ns);
	case 2:
		return shared ? per_read(shared) : 0.0;
	default:
		return per_read(perfkit_ticks);
	}
}

static void row(const char *what, const double *v, const double *ratio,
		const double *ref, const char *goal)
{
	printf("%-40s %8.2f %8.2f", what, median(v, ROUNDS), minimum(v, ROUNDS));
	if (ratio)
		printf(" %8.3f %8.3f  %s", median(ratio, ROUNDS),
		       median(v, ROUNDS) / median(ref, ROUNDS), goal);
	printf("\n");
}

int main(int argc, char **argv)
{
	double t[4][ROUNDS], r_lib[ROUNDS], r_shr[ROUNDS], r_tick[ROUNDS];
	char path[PATH_MAX + 32];
	reader shared = shared_now_ns(argc, argv, path, sizeof(path));

	printf("bench-clock: %d rounds of %d reads; the order of the methods "
	       "rotates every round\n", ROUNDS, READS);
	if (!shared)
		printf("  (shared library not loaded from %s: %s)\n", path, dlerror());
	for (int r = 0; r < ROUNDS; r++) {
		for (int k = 0; k < 4; k++)
			t[(r + k) % 4][r] = measure((r + k) % 4, shared);
		r_lib[r] = t[1][r] / t[0][r];
		r_shr[r] = t[2][r] / t[0][r];
		r_tick[r] = t[3][r] / t[1][r];
	}
	printf("\n%-40s %8s %8s %8s %8s\n", "ns per read", "median", "min",
	       "ratio", "ratio");
	printf("%-40s %8s %8s %8s %8s\n", "", "", "", "(rounds)", "(medians)");
	row("clock_gettime(CLOCK_MONOTONIC) raw loop", t[0], NULL, NULL, "");
	row("perfkit_now_ns() static (direct call)", t[1], r_lib, t[0],
	    "vs raw, goal <= 1.05");
	if (shared)
		row("perfkit_now_ns() shared (via dlsym)", t[2], r_shr, t[0],
		    "vs raw, goal <= 1.05");
	row("perfkit_ticks()", t[3], r_tick, t[1], "vs perfkit_now_ns(), goal < 1");
	printf("ratio (rounds): median over rounds of the ratio within a round\n");

	printf("\nperfkit_clock_measure():\n");
	printf("  %-12s %14s %14s %12s %10s\n", "clock", "reported_res_ns",
	       "observed_res_ns", "overhead_ns", "reads");
	for (int c = PERFKIT_CLOCK_MONOTONIC; c <= PERFKIT_CLOCK_TICKS; c++) {
		struct perfkit_clock_info info;
		int rc = perfkit_clock_measure((enum perfkit_clock)c, &info);

		if (rc < 0) {
			printf("  %-12s %s\n", perfkit_clock_name((enum perfkit_clock)c),
			       perfkit_strerror(rc));
			continue;
		}
		printf("  %-12s %14.2f %14.2f %12.2f %10llu\n",
		       perfkit_clock_name(info.clock), info.reported_resolution_ns,
		       info.observed_resolution_ns, info.overhead_ns,
		       (unsigned long long)info.reads);
	}
	return 0;
}
