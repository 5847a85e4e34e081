/* SPDX-License-Identifier: MIT */
/*
 * Cost of a perfkit_region_begin()/perfkit_region_end() pair, flat and
 * nested three deep, against the goal of 100 ns, beside the cost of the
 * clock reads each pair makes (two) measured in the same run.
 *
 * Then the same flat pair with tracing off and on, alternating round by
 * round (perfkit_region_trace_start(): each end appends an event), and
 * with the trace budget spent (each end counts a dropped event).
 *
 *   build/benchmarks/bench-region               (the default region clock)
 *   build/benchmarks/bench-region --monotonic   (PERFKIT_REGION_CLOCK=monotonic)
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfkit/perfkit.h"

/* Short batches, many rounds: on a shared machine a batch that is
 * preempted is an outlier, and the median and minimum ignore it. */
enum { ROUNDS = 101, PAIRS = 10000 };
#define GOAL_NS 100.0

static uint64_t raw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double flat(void)
{
	uint64_t t0 = raw_now();

	for (int i = 0; i < PAIRS; i++) {
		perfkit_region_begin("flat");
		perfkit_region_end("flat");
	}
	return (double)(raw_now() - t0) / PAIRS;
}

/* Three pairs per iteration, nested: a { b { c } }. */
static double nested(void)
{
	uint64_t t0 = raw_now();

	for (int i = 0; i < PAIRS / 3; i++) {
		perfkit_region_begin("a");
		perfkit_region_begin("b");
		perfkit_region_begin("c");
		perfkit_region_end("c");
		perfkit_region_end("b");
		perfkit_region_end("a");
	}
	return (double)(raw_now() - t0) / (PAIRS / 3 * 3);
}

static volatile uint64_t sink;

static double clock_read(uint64_t (*read)(void))
{
	uint64_t t0 = raw_now(), acc = 0;

	for (int i = 0; i < PAIRS; i++)
		acc += read();
	sink = acc;
	return (double)(raw_now() - t0) / PAIRS;
}

static void *flat_thread(void *arg)
{
	double *v = arg;

	for (int r = 0; r < ROUNDS; r++)
		v[r] = flat();
	return NULL;
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

enum { TRACE_ROUNDS = 41 };

/* Flat pairs, tracing off and on by turns; then with the budget spent. */
static void traced(double *off, double *on, double *full)
{
	uint64_t events = 0, dropped = 0;

	perfkit_region_trace_start((size_t)TRACE_ROUNDS * PAIRS + 4096, 0);
	for (int r = 0; r < TRACE_ROUNDS; r++) {
		perfkit_region_trace_stop();
		off[r] = flat();
		perfkit_region_trace_start((size_t)TRACE_ROUNDS * PAIRS + 4096, 0);
		on[r] = flat();
	}
	perfkit_region_trace_counts(&events, &dropped, NULL);
	/* The budget is now (nearly) spent: what does a full buffer cost? */
	flat();
	for (int r = 0; r < TRACE_ROUNDS; r++)
		full[r] = flat();
	perfkit_region_trace_stop();
	perfkit_region_trace_counts(&events, &dropped, NULL);
	printf("trace: %llu events kept, %llu dropped\n",
	       (unsigned long long)events, (unsigned long long)dropped);
}

int main(int argc, char **argv)
{
	double off[TRACE_ROUNDS], on[TRACE_ROUNDS], full[TRACE_ROUNDS];
	double f[ROUNDS], n[ROUNDS], c[ROUNDS], t2[2][ROUNDS], overhead = 0;
	enum perfkit_clock clk;
	uint64_t (*read)(void);
	pthread_t th[2];

	if (argc > 1 && strcmp(argv[1], "--monotonic") == 0)
		setenv("PERFKIT_REGION_CLOCK", "monotonic", 1);
	clk = perfkit_region_clock();
	read = clk == PERFKIT_CLOCK_TICKS ? perfkit_ticks : perfkit_now_ns;

	flat();		/* first use of each name allocates: keep it out */
	nested();
	for (int r = 0; r < ROUNDS; r++) {
		f[r] = flat();
		n[r] = nested();
		c[r] = clock_read(read);
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, flat_thread, t2[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	perfkit_region_overhead(&overhead);

	printf("bench-region: %d rounds of %d pairs, alternating\n", ROUNDS, PAIRS);
	printf("region clock: %s\n\n", perfkit_clock_name(clk));
	printf("%-34s %9s %9s %14s\n", "ns", "median", "min", "median/goal");
	printf("%-34s %9.2f %9.2f\n", "one clock read (a pair makes two)",
	       median(c, ROUNDS), minimum(c, ROUNDS));
	printf("%-34s %9.2f %9.2f %14.2f  (goal <= %.0f ns)\n", "flat pair",
	       median(f, ROUNDS), minimum(f, ROUNDS), median(f, ROUNDS) / GOAL_NS, GOAL_NS);
	printf("%-34s %9.2f %9.2f %14.2f  (goal <= %.0f ns)\n",
	       "nested pair (3 deep)", median(n, ROUNDS), minimum(n, ROUNDS),
	       median(n, ROUNDS) / GOAL_NS, GOAL_NS);
	for (int i = 0; i < 2; i++)
		printf("flat pair, thread %d of 2 at once   %9.2f %9.2f\n", i + 1,
		       median(t2[i], ROUNDS), minimum(t2[i], ROUNDS));
	printf("%-34s %9.2f\n", "perfkit_region_overhead()", overhead);

	printf("\n");
	traced(off, on, full);
	printf("%-34s %9s %9s %14s\n", "ns, flat pair", "median", "min", "median/goal");
	printf("%-34s %9.2f %9.2f %14.2f  (goal <= %.0f ns)\n", "tracing off",
	       median(off, TRACE_ROUNDS), minimum(off, TRACE_ROUNDS),
	       median(off, TRACE_ROUNDS) / GOAL_NS, GOAL_NS);
	printf("%-34s %9.2f %9.2f %14.2f  (goal <= %.0f ns)\n", "tracing on",
	       median(on, TRACE_ROUNDS), minimum(on, TRACE_ROUNDS),
	       median(on, TRACE_ROUNDS) / GOAL_NS, GOAL_NS);
	printf("%-34s %9.2f %9.2f %14.2f  (goal <= %.0f ns)\n", "tracing on, budget spent",
	       median(full, TRACE_ROUNDS), minimum(full, TRACE_ROUNDS),
	       median(full, TRACE_ROUNDS) / GOAL_NS, GOAL_NS);
	printf("%-34s %9.2f\n", "tracing on - off (median)",
	       median(on, TRACE_ROUNDS) - median(off, TRACE_ROUNDS));
	return 0;
}
