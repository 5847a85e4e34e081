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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "perfkit/perfkit.h"

enum { ROUNDS = 15, READS = 200000 };

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
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

int main(int argc, char **argv)
{
	double raw[ROUNDS], lib[ROUNDS], shr[ROUNDS], tick[ROUNDS], mono[ROUNDS];
	double r_lib[ROUNDS], r_shr[ROUNDS], r_tick[ROUNDS];
	char path[PATH_MAX + 32];
	reader shared = shared_now_ns(argc, argv, path, sizeof(path));

	printf("bench-clock: %d rounds of %d reads, alternating; medians\n",
	       ROUNDS, READS);
	if (!shared)
		printf("  (shared library not loaded from %s: %s)\n", path, dlerror());
	for (int r = 0; r < ROUNDS; r++) {
		raw[r] = per_read_raw();
		lib[r] = per_read(perfkit_now_ns);
		shr[r] = shared ? per_read(shared) : 0.0;
		mono[r] = per_read(perfkit_now_ns);
		tick[r] = per_read(perfkit_ticks);
		r_lib[r] = lib[r] / raw[r];
		r_shr[r] = shr[r] / raw[r];
		r_tick[r] = tick[r] / mono[r];
	}
	printf("\nclock_gettime(CLOCK_MONOTONIC) raw loop    %7.2f ns/read\n",
	       median(raw, ROUNDS));
	printf("perfkit_now_ns() static (direct call)      %7.2f ns/read  "
	       "ratio %.3f  (goal <= 1.05)\n", median(lib, ROUNDS),
	       median(r_lib, ROUNDS));
	if (shared)
		printf("perfkit_now_ns() shared (dlsym pointer)    %7.2f ns/read  "
		       "ratio %.3f  (goal <= 1.05)\n", median(shr, ROUNDS),
		       median(r_shr, ROUNDS));
	printf("perfkit_ticks()                            %7.2f ns/read  "
	       "ratio %.3f vs perfkit_now_ns() (goal < 1)\n",
	       median(tick, ROUNDS), median(r_tick, ROUNDS));

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
