/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static const enum perfkit_clock all_clocks[] = {
	PERFKIT_CLOCK_MONOTONIC, PERFKIT_CLOCK_PROCESS_CPU,
	PERFKIT_CLOCK_THREAD_CPU, PERFKIT_CLOCK_TICKS,
};

/* Burn CPU so that CPU clocks must advance. */
static double spin(long n)
{
	volatile double x = 1.0;

	for (long i = 0; i < n; i++)
		x = x * 1.0000001 + 1e-9;
	return x;
}

START_TEST(test_now_is_monotonic)
{
	uint64_t prev = perfkit_now_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t t = perfkit_now_ns();

		ck_assert_uint_ge(t, prev);
		prev = t;
	}
}
END_TEST

START_TEST(test_clock_read_every_clock_advances)
{
	for (size_t i = 0; i < 4; i++) {
		uint64_t a = 0, b = 0;

		ck_assert_int_eq(perfkit_clock_read(all_clocks[i], &a), 0);
		spin(2000000);
		ck_assert_int_eq(perfkit_clock_read(all_clocks[i], &b), 0);
		ck_assert_msg(b > a, "clock %s did not advance",
			      perfkit_clock_name(all_clocks[i]));
	}
}
END_TEST

START_TEST(test_clock_read_bad_input)
{
	uint64_t ns = 42;

	ck_assert_int_eq(perfkit_clock_read(PERFKIT_CLOCK_MONOTONIC, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_clock_read((enum perfkit_clock)99, &ns), -EINVAL);
	ck_assert_int_eq(perfkit_clock_read((enum perfkit_clock)-1, &ns), -EINVAL);
	ck_assert_uint_eq(ns, 42);
	ck_assert_str_ne(perfkit_last_error(), "");
}
END_TEST

START_TEST(test_clock_names)
{
	ck_assert_str_eq(perfkit_clock_name(PERFKIT_CLOCK_MONOTONIC), "monotonic");
	ck_assert_str_eq(perfkit_clock_name(PERFKIT_CLOCK_PROCESS_CPU), "process-cpu");
	ck_assert_str_eq(perfkit_clock_name(PERFKIT_CLOCK_THREAD_CPU), "thread-cpu");
	ck_assert_str_eq(perfkit_clock_name(PERFKIT_CLOCK_TICKS), "ticks");
	ck_assert_str_eq(perfkit_clock_name((enum perfkit_clock)7), "unknown");
}
END_TEST

START_TEST(test_ticks_rate_positive_and_consistent)
{
	double hz = 0, again = 0;
	uint64_t t0, t1, c0, c1;

	ck_assert_int_eq(perfkit_ticks_rate(&hz), 0);
	ck_assert(isfinite(hz) && hz > 0);
	ck_assert_int_eq(perfkit_ticks_rate(&again), 0);
	ck_assert(hz == again); /* cached */
	ck_assert_int_eq(perfkit_ticks_rate(NULL), -EINVAL);

	/* Converted ticks and the monotonic clock agree on a ~50 ms span
	 * to within 10%: a consistency check, not a speed check. */
	t0 = perfkit_now_ns();
	c0 = perfkit_ticks();
	do
		t1 = perfkit_now_ns();
	while (t1 - t0 < 50000000u);
	c1 = perfkit_ticks();
	ck_assert_close((double)(c1 - c0) / hz * 1e9, (double)(t1 - t0), 0.10);
}
END_TEST

START_TEST(test_clock_measure_every_clock)
{
	for (size_t i = 0; i < 4; i++) {
		struct perfkit_clock_info info;

		ck_assert_int_eq(perfkit_clock_measure(all_clocks[i], &info), 0);
		ck_assert_int_eq(info.clock, all_clocks[i]);
		ck_assert(isfinite(info.overhead_ns) && info.overhead_ns > 0);
		ck_assert(isfinite(info.observed_resolution_ns) &&
			  info.observed_resolution_ns >= 0);
		ck_assert(info.reported_resolution_ns >= 0);
		ck_assert_uint_gt(info.reads, 0);
	}
}
END_TEST

START_TEST(test_clock_measure_bad_input)
{
	struct perfkit_clock_info info;

	ck_assert_int_eq(perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_clock_measure((enum perfkit_clock)4, &info), -EINVAL);
}
END_TEST

static Suite *timer_suite(void)
{
	Suite *s = suite_create("timer");
	TCase *clocks = tcase_create("clocks");

	tcase_add_test(clocks, test_now_is_monotonic);
	tcase_add_test(clocks, test_clock_read_every_clock_advances);
	tcase_add_test(clocks, test_clock_read_bad_input);
	tcase_add_test(clocks, test_clock_names);
	tcase_add_test(clocks, test_ticks_rate_positive_and_consistent);
	tcase_add_test(clocks, test_clock_measure_every_clock);
	tcase_add_test(clocks, test_clock_measure_bad_input);
	suite_add_tcase(s, clocks);
	return s;
}

PK_CHECK_MAIN(timer_suite)
