/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

/* Wait until the monotonic clock has moved on, so that a running
 * stopwatch must show more time than before. */
static void tick(void)
{
	uint64_t t0 = perfkit_now_ns();

	while (perfkit_now_ns() == t0)
		;
}

static uint64_t elapsed(const struct perfkit_stopwatch *sw)
{
	uint64_t ns = UINT64_MAX;

	ck_assert_int_eq(perfkit_stopwatch_elapsed(sw, &ns), 0);
	return ns;
}

static size_t laps(const struct perfkit_stopwatch *sw)
{
	size_t n = SIZE_MAX;

	ck_assert_int_eq(perfkit_stopwatch_lap_count(sw, &n), 0);
	return n;
}

START_TEST(test_new_is_stopped_at_zero)
{
	struct perfkit_stopwatch *sw = NULL;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_ptr_nonnull(sw);
	ck_assert_uint_eq(elapsed(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 0);
	ck_assert_uint_eq(laps(sw), 0);
	tick();
	ck_assert_uint_eq(elapsed(sw), 0);
	perfkit_stopwatch_destroy(sw);
	perfkit_stopwatch_destroy(NULL);
}
END_TEST

START_TEST(test_start_stop_resume)
{
	struct perfkit_stopwatch *sw;
	uint64_t a, b, c, d, t0, t1;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 1);
	tick();
	a = elapsed(sw);
	tick();
	b = elapsed(sw);
	ck_assert_uint_gt(a, 0);
	ck_assert_uint_gt(b, a); /* runs while read */

	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 0);
	c = elapsed(sw);
	ck_assert_uint_ge(c, b);
	tick();
	ck_assert_uint_eq(elapsed(sw), c); /* frozen while stopped */

	ck_assert_int_eq(perfkit_stopwatch_resume(sw), 0);
	tick();
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	d = elapsed(sw);
	ck_assert_uint_gt(d, c); /* resume adds to the total */

	/* start clears: the new total fits between two clock reads taken
	 * around start and stop, however long it ran before. */
	for (int i = 0; i < 20; i++)
		tick();
	t0 = perfkit_now_ns();
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	t1 = perfkit_now_ns();
	ck_assert_uint_le(elapsed(sw), t1 - t0);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_state_errors)
{
	struct perfkit_stopwatch *sw;
	uint64_t e;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_resume(sw), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 1); /* unchanged */
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	e = elapsed(sw);
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), -EINVAL);
	ck_assert_uint_eq(elapsed(sw), e);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_null_handles)
{
	uint64_t ns = 7;
	size_t n = 7;

	ck_assert_int_eq(perfkit_stopwatch_new(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_start(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_stop(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_resume(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_reset(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_elapsed(NULL, &ns), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_is_running(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap(NULL, &ns), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap_count(NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap_get(NULL, 0, &ns), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(NULL, 4), -EINVAL);
	ck_assert_uint_eq(ns, 7);
	ck_assert_uint_eq(n, 7);
}
END_TEST

START_TEST(test_null_out_params)
{
	struct perfkit_stopwatch *sw;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_elapsed(sw, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap_count(sw, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, 0, NULL), -EINVAL);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_laps_add_up)
{
	struct perfkit_stopwatch *sw;
	uint64_t lap[3], got, sum = 0, total;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	for (int i = 0; i < 3; i++) {
		tick();
		ck_assert_int_eq(perfkit_stopwatch_lap(sw, &lap[i]), 0);
		ck_assert_uint_gt(lap[i], 0);
		sum += lap[i];
	}
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	total = elapsed(sw);
	ck_assert_uint_eq(laps(sw), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, i, &got), 0);
		ck_assert_uint_eq(got, lap[i]);
	}
	/* Laps are consecutive slices of the running time. */
	ck_assert_uint_le(sum, total);

	got = 99;
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, 3, &got), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, SIZE_MAX, &got), -EINVAL);
	ck_assert_uint_eq(got, 99);
	ck_assert_str_ne(perfkit_last_error(), "");
	perfkit_stopwatch_destroy(sw);
}
END_TEST

/* A lap after stop/resume covers running time only: with the stopwatch
 * stopped, the sum of the laps equals the elapsed time exactly when the
 * last lap is taken just before stopping, and no lap can exceed it. */
START_TEST(test_laps_skip_stopped_time)
{
	struct perfkit_stopwatch *sw;
	uint64_t l0, l1, before, total;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	tick();
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, &l0), 0);
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	before = elapsed(sw);
	for (int i = 0; i < 50; i++)
		tick(); /* stopped: must not count */
	ck_assert_int_eq(perfkit_stopwatch_resume(sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, &l1), 0);
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	total = elapsed(sw);
	ck_assert_uint_le(l0, before);
	ck_assert_uint_le(l0 + l1, total);
	/* l1 = (before - l0) + time since resume <= total - l0 */
	ck_assert_uint_le(l1, total - l0);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_laps_grow)
{
	struct perfkit_stopwatch *sw;
	uint64_t sum = 0, lap, got;
	enum { N = 1000 };

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(perfkit_stopwatch_lap(sw, &lap), 0);
		sum += lap;
	}
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	ck_assert_uint_eq(laps(sw), N);
	for (size_t i = 0; i < N; i++) {
		ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, i, &got), 0);
		sum -= got;
	}
	ck_assert_uint_eq(sum, 0); /* every lap kept as returned */
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_lap_bound)
{
	struct perfkit_stopwatch *sw;
	uint64_t lap, sum = 0, total, got;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(sw, 0), -EINVAL);
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(sw, SIZE_MAX), -ERANGE);
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(sw, 5), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(perfkit_stopwatch_lap(sw, &lap), 0);
		sum += lap;
	}
	tick();
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, &lap), -ERANGE);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_uint_eq(laps(sw), 5);
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 1);
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(sw, 4), -ERANGE);

	/* Raising the bound: the next lap covers the refused one's time. */
	ck_assert_int_eq(perfkit_stopwatch_set_max_laps(sw, 6), 0);
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, &lap), 0);
	ck_assert_uint_gt(lap, 0);
	sum += lap;
	ck_assert_int_eq(perfkit_stopwatch_stop(sw), 0);
	total = elapsed(sw);
	ck_assert_uint_le(sum, total);
	ck_assert_int_eq(perfkit_stopwatch_lap_get(sw, 5, &got), 0);
	ck_assert_uint_eq(got, lap);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

START_TEST(test_reset)
{
	struct perfkit_stopwatch *sw;

	ck_assert_int_eq(perfkit_stopwatch_new(&sw), 0);
	ck_assert_int_eq(perfkit_stopwatch_start(sw), 0);
	tick();
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, NULL), 0);
	ck_assert_int_eq(perfkit_stopwatch_reset(sw), 0); /* while running */
	ck_assert_int_eq(perfkit_stopwatch_is_running(sw), 0);
	ck_assert_uint_eq(elapsed(sw), 0);
	ck_assert_uint_eq(laps(sw), 0);
	tick();
	ck_assert_uint_eq(elapsed(sw), 0);
	/* Resume after reset behaves as start. */
	ck_assert_int_eq(perfkit_stopwatch_resume(sw), 0);
	tick();
	ck_assert_int_eq(perfkit_stopwatch_lap(sw, NULL), 0);
	ck_assert_uint_eq(laps(sw), 1);
	perfkit_stopwatch_destroy(sw);
}
END_TEST

static Suite *stopwatch_suite(void)
{
	Suite *s = suite_create("stopwatch");
	TCase *tc = tcase_create("stopwatch");

	tcase_add_test(tc, test_new_is_stopped_at_zero);
	tcase_add_test(tc, test_start_stop_resume);
	tcase_add_test(tc, test_state_errors);
	tcase_add_test(tc, test_null_handles);
	tcase_add_test(tc, test_null_out_params);
	tcase_add_test(tc, test_laps_add_up);
	tcase_add_test(tc, test_laps_skip_stopped_time);
	tcase_add_test(tc, test_laps_grow);
	tcase_add_test(tc, test_lap_bound);
	tcase_add_test(tc, test_reset);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(stopwatch_suite)
