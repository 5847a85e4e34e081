/* SPDX-License-Identifier: MIT */
/*
 * The runner's mechanics (calibration, warm-up, stop rules, bookkeeping) are
 * tested against a fake clock that only the fake workload advances, so every
 * count is exact. One smoke test uses the real clock and asserts nothing about
 * speed.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "runner-private.h"

/* A workload that costs costs[call % ncosts] fake ns per iteration. */
struct fake {
	uint64_t now;
	uint64_t calls;
	uint64_t last_iterations;
	const double *costs;
	size_t ncosts;
};

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_work(void *user, uint64_t iterations)
{
	struct fake *f = user;
	double cost = f->ncosts ? f->costs[f->calls % f->ncosts] : 0.0;

	f->now += (uint64_t)llround(cost * (double)iterations);
	f->calls++;
	f->last_iterations = iterations;
}

static struct perfkit_runner *fake_runner(struct fake *f, double resolution_ns)
{
	struct perfkit_runner *r = NULL;

	ck_assert_int_eq(perfkit_runner_new(&r), 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pk_runner_set_clock(r, fake_now, f, resolution_ns, 25.0), 0);
	return r;
}

/* The result's summary must be the summary of its raw samples. */
static void assert_summary_matches_samples(const struct perfkit_runner_result *res)
{
	struct perfkit_stats got, want;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, &n), 0);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &got), 0);
	ck_assert_int_eq(perfkit_stats_compute(ns, n, &want), 0);
	ck_assert_uint_eq(got.n, n);
	ck_assert(got.median == want.median && got.mean == want.mean);
	ck_assert(got.min == want.min && got.max == want.max);
	ck_assert(got.ci_low == want.ci_low && got.ci_high == want.ci_high);
	ck_assert_uint_eq(got.outliers, want.outliers);
}

START_TEST(test_calibration_and_precision_stop)
{
	const double cost[] = { 100 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	struct perfkit_stats st;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	/* target 1e6 ns: 1, 10, 100 iterations are < 10 % of it (x10); 1000
	 * take 1e5 ns: extrapolate 1000 * 1.2 * 1e6 / 1e5 = 12000 (1.2 ms) */
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 12000);
	/* identical samples: CI width 0, precision met at the default
	 * minimum of 10 samples */
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_PRECISION);
	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, &n), 0);
	ck_assert_uint_eq(n, PERFKIT_RUNNER_DEFAULT_MIN_SAMPLES);
	for (size_t i = 0; i < n; i++)
		ck_assert(ns[i] == 100.0);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &st), 0);
	ck_assert(st.median == 100.0 && st.ci_low == 100.0 && st.ci_high == 100.0);
	/* 5 calibration calls and 1 to confirm, 1 warm-up, 10 samples */
	ck_assert_uint_eq(f.calls, 6 + 1 + 10);
	ck_assert(perfkit_runner_result_elapsed_ns(res) ==
		  100 + 1000 + 1e4 + 1e5 + 2 * 1.2e6 + 1.2e6 + 10 * 1.2e6);
	ck_assert(perfkit_runner_result_timer_overhead_ns(res) == 25.0);
	ck_assert(perfkit_runner_result_timer_resolution_ns(res) == 1.0);
	assert_summary_matches_samples(res);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_calibration_resolution_floor)
{
	const double cost[] = { 100 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 10000.0);
	struct perfkit_runner_result *res = NULL;

	/* 1 ms asked, but 1000 x 10 us resolution = 10 ms wins: 1 ... 10000
	 * iterations (1e6 ns, exactly 10 %), then 10000 * 1.2 * 10 = 120000 */
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 120000);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_calibration_ignores_one_stretched_call)
{
	double costs[64];
	struct fake f = { .costs = costs, .ncosts = 64 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;

	for (int i = 0; i < 64; i++)
		costs[i] = 100;
	/* call 2 (100 iterations) is preempted: 1e7 ns, past the 1e6 target.
	 * The confirming call 3 takes 1e4 ns, so calibration goes on:
	 * 1000 (1e5), then 12000 (1.2e6, confirmed by call 6). */
	costs[2] = 1e5;
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 0, 0.0), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 1, 1), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 12000);
	ck_assert_uint_eq(f.calls, 7 + 1);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_stop_by_sample_count)
{
	const double costs[] = { 100, 103, 99, 107, 101, 98, 104 };
	struct fake f = { .costs = costs, .ncosts = 7 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_set_iterations(r, 1000), 0);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 2, 0.0), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 5, 20), 0);
	ck_assert_int_eq(perfkit_runner_set_precision(r, 1e-9), 0);
	ck_assert_int_eq(perfkit_runner_set_max_time(r, INFINITY), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_SAMPLES);
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 1000);
	ck_assert_uint_eq(f.last_iterations, 1000);
	/* fixed count: no calibration calls; 2 warm-up calls then 20 */
	ck_assert_uint_eq(f.calls, 2 + 20);
	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, &n), 0);
	ck_assert_uint_eq(n, 20);
	for (size_t i = 0; i < n; i++)
		ck_assert(ns[i] == costs[(i + 2) % 7]);
	assert_summary_matches_samples(res);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_stop_by_time_budget)
{
	/* samples of 1 ms and 3 ms alternate; budget 10 ms */
	const double costs[] = { 100, 300 };
	struct fake f = { .costs = costs, .ncosts = 2 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_set_iterations(r, 10000), 0);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 0, 0.0), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 1, 1000), 0);
	ck_assert_int_eq(perfkit_runner_set_max_time(r, 0.010), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	/* after 1, 4, 5 ms the next sample (1 or 3 ms) fits; after 8 ms
	 * (4 samples) another 3 ms would end at 11 > 10 */
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_TIME);
	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(ns[0] == 100.0 && ns[1] == 300.0 && ns[2] == 100.0 && ns[3] == 300.0);
	ck_assert(perfkit_runner_result_elapsed_ns(res) == 8e6);
	perfkit_runner_result_destroy(res);

	/* the minimum sample count wins over the budget */
	ck_assert_int_eq(perfkit_runner_set_samples(r, 8, 1000), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_TIME);
	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, &n), 0);
	ck_assert_uint_eq(n, 8);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_precision_needs_six_samples)
{
	const double cost[] = { 50 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_runner_set_iterations(r, 10), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 1, 100), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_PRECISION);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &st), 0);
	ck_assert_uint_eq(st.n, PERFKIT_RUNNER_PRECISION_MIN_SAMPLES);
	ck_assert(st.median == 50.0);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_precision_reached_when_ci_narrows)
{
	/* Per-iteration times 100 and 102 alternate: median 101, and the CI
	 * [100, 102] has half-width 1 (0.99 %): met at 1 %, never at 0.5 %. */
	const double costs[] = { 100, 102 };
	struct fake f = { .costs = costs, .ncosts = 2 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_runner_set_iterations(r, 100), 0);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 0, 0.0), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 10, 40), 0);
	ck_assert_int_eq(perfkit_runner_set_precision(r, 0.01), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_PRECISION);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &st), 0);
	ck_assert_uint_eq(st.n, 10);
	ck_assert(st.median == 101.0);
	perfkit_runner_result_destroy(res);

	ck_assert_int_eq(perfkit_runner_set_precision(r, 0.005), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_SAMPLES);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &st), 0);
	ck_assert_uint_eq(st.n, 40);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_warmup_time)
{
	const double cost[] = { 100, 101 };
	struct fake f = { .costs = cost, .ncosts = 2 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;

	/* 1 ms samples; warm up for at least 5 ms and 2 samples: 5 calls */
	ck_assert_int_eq(perfkit_runner_set_iterations(r, 10000), 0);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 2, 0.005), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 3, 3), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_uint_eq(f.calls, 5 + 3);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(res),
			 PERFKIT_RUNNER_STOP_SAMPLES);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_fixed_iterations_then_auto_again)
{
	const double cost[] = { 100 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;

	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_set_iterations(r, 7), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	/* used as given, although 700 ns is below the 1 ms minimum */
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 7);
	perfkit_runner_result_destroy(res);
	ck_assert_int_eq(perfkit_runner_set_iterations(r, 0), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 12000);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_empty_function_hits_the_cap)
{
	struct fake f = { .costs = NULL, .ncosts = 0 }; /* costs nothing */
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = (void *)&f;

	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, 1000), 0);
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), -ERANGE);
	ck_assert_ptr_null(res);
	ck_assert_str_ne(perfkit_last_error(), "");
	/* 1, 10, 100, 1000 iterations, then give up */
	ck_assert_uint_eq(f.calls, 4);
	ck_assert_uint_eq(f.last_iterations, 1000);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_cap_below_needed_count)
{
	const double cost[] = { 100 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;

	/* 12000 iterations are needed; the cap stops calibration at 5000 */
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, 5000), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), -ERANGE);
	ck_assert_uint_eq(f.last_iterations, 5000);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, 12000), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_uint_eq(perfkit_runner_result_iterations(res), 12000);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

static void real_empty(void *user, uint64_t iterations)
{
	(void)user;
	(void)iterations;
}

static void real_work(void *user, uint64_t iterations)
{
	volatile double *acc = user;

	for (uint64_t i = 0; i < iterations; i++)
		*acc = *acc * 0.999 + 1.0;
}

START_TEST(test_real_clock_smoke)
{
	struct perfkit_runner *r = NULL;
	struct perfkit_runner_result *res = NULL;
	struct perfkit_stats st;
	volatile double acc = 0.0;
	enum perfkit_runner_stop why;
	double overhead;

	ck_assert_int_eq(perfkit_runner_new(&r), 0);
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1e-3), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 6, 20), 0);
	ck_assert_int_eq(perfkit_runner_set_max_time(r, 0.3), 0);
	ck_assert_int_eq(perfkit_runner_run(r, real_work, (void *)&acc, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stats(res, &st), 0);
	ck_assert(st.n >= 6 && st.n <= 20);
	ck_assert(isfinite(st.median) && st.median > 0);
	ck_assert(st.ci_low <= st.median && st.median <= st.ci_high);
	ck_assert_uint_ge(perfkit_runner_result_iterations(res), 1);
	overhead = perfkit_runner_result_timer_overhead_ns(res);
	ck_assert(isfinite(overhead) && overhead > 0);
	ck_assert(perfkit_runner_result_timer_resolution_ns(res) >= 0);
	ck_assert(perfkit_runner_result_elapsed_ns(res) > 0);
	why = perfkit_runner_result_stop_reason(res);
	ck_assert(why == PERFKIT_RUNNER_STOP_PRECISION ||
		  why == PERFKIT_RUNNER_STOP_SAMPLES || why == PERFKIT_RUNNER_STOP_TIME);
	assert_summary_matches_samples(res);
	perfkit_runner_result_destroy(res);

	/* A function that does nothing cannot be timed: -ERANGE, quickly.
	 * The target is 1 s so that a descheduled call (a loaded machine,
	 * valgrind) cannot pass for a long one. */
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, 1.0), 0);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, 1000000), 0);
	ck_assert_int_eq(perfkit_runner_run(r, real_empty, NULL, &res), -ERANGE);
	ck_assert_ptr_null(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_bad_options)
{
	const double bad_times[] = { 0.0, -1.0, NAN, -INFINITY };
	struct perfkit_runner *r = NULL;
	struct perfkit_runner_result *res = NULL;

	ck_assert_int_eq(perfkit_runner_new(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_runner_new(&r), 0);

	for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
		double t = bad_times[i];

		perfkit_clear_error();
		ck_assert_int_eq(perfkit_runner_set_precision(r, t), -EINVAL);
		ck_assert_str_ne(perfkit_last_error(), "");
		ck_assert_int_eq(perfkit_runner_set_max_time(r, t), -EINVAL);
		ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, t), -EINVAL);
	}
	ck_assert_int_eq(perfkit_runner_set_precision(r, INFINITY), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(r, INFINITY), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 1, -1.0), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 1, NAN), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 1, INFINITY), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 0, 5), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 6, 5), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, 0), -EINVAL);

	/* valid edge values */
	ck_assert_int_eq(perfkit_runner_set_warmup(r, 0, 0.0), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 1, 1), 0);
	ck_assert_int_eq(perfkit_runner_set_samples(r, 3, UINT64_MAX), 0);
	ck_assert_int_eq(perfkit_runner_set_max_time(r, INFINITY), 0);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(r, UINT64_MAX), 0);
	ck_assert_int_eq(perfkit_runner_set_precision(r, 1e-12), 0);

	/* NULL runner everywhere */
	ck_assert_int_eq(perfkit_runner_set_warmup(NULL, 1, 0), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_min_sample_time(NULL, 1), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_iterations(NULL, 1), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_max_iterations(NULL, 1), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_samples(NULL, 1, 2), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_max_time(NULL, 1), -EINVAL);
	ck_assert_int_eq(perfkit_runner_set_precision(NULL, 0.1), -EINVAL);

	/* run: NULL runner, fn, out */
	ck_assert_int_eq(perfkit_runner_run(NULL, real_empty, NULL, &res), -EINVAL);
	ck_assert_ptr_null(res);
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_runner_run(r, NULL, NULL, &res), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_runner_run(r, real_empty, NULL, NULL), -EINVAL);

	perfkit_runner_destroy(r);
	perfkit_runner_destroy(NULL);
}
END_TEST

START_TEST(test_result_getters_null)
{
	struct perfkit_stats st;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_result_stats(NULL, &st), -EINVAL);
	ck_assert_int_eq(perfkit_runner_result_samples(NULL, &ns, &n), -EINVAL);
	ck_assert_uint_eq(perfkit_runner_result_iterations(NULL), 0);
	ck_assert_int_eq(perfkit_runner_result_stop_reason(NULL), 0);
	ck_assert(isnan(perfkit_runner_result_timer_overhead_ns(NULL)));
	ck_assert(isnan(perfkit_runner_result_timer_resolution_ns(NULL)));
	ck_assert(isnan(perfkit_runner_result_elapsed_ns(NULL)));
	perfkit_runner_result_destroy(NULL);
}
END_TEST

START_TEST(test_result_getters_bad_out)
{
	const double cost[] = { 10 };
	struct fake f = { .costs = cost, .ncosts = 1 };
	struct perfkit_runner *r = fake_runner(&f, 1.0);
	struct perfkit_runner_result *res = NULL;
	const double *ns;
	size_t n;

	ck_assert_int_eq(perfkit_runner_set_iterations(r, 10), 0);
	ck_assert_int_eq(perfkit_runner_run(r, fake_work, &f, &res), 0);
	ck_assert_int_eq(perfkit_runner_result_stats(res, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_runner_result_samples(res, NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_runner_result_samples(res, &ns, NULL), -EINVAL);
	perfkit_runner_result_destroy(res);
	perfkit_runner_destroy(r);
}
END_TEST

START_TEST(test_stop_names)
{
	ck_assert_str_eq(perfkit_runner_stop_name(PERFKIT_RUNNER_STOP_PRECISION),
			 "precision");
	ck_assert_str_eq(perfkit_runner_stop_name(PERFKIT_RUNNER_STOP_SAMPLES),
			 "samples");
	ck_assert_str_eq(perfkit_runner_stop_name(PERFKIT_RUNNER_STOP_TIME), "time");
	ck_assert_str_eq(perfkit_runner_stop_name((enum perfkit_runner_stop)0),
			 "unknown");
	ck_assert_str_eq(perfkit_runner_stop_name((enum perfkit_runner_stop)99),
			 "unknown");
}
END_TEST

static Suite *runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *mech = tcase_create("mechanics");
	TCase *real = tcase_create("real-clock");
	TCase *api = tcase_create("api");

	tcase_add_test(mech, test_calibration_and_precision_stop);
	tcase_add_test(mech, test_calibration_resolution_floor);
	tcase_add_test(mech, test_calibration_ignores_one_stretched_call);
	tcase_add_test(mech, test_stop_by_sample_count);
	tcase_add_test(mech, test_stop_by_time_budget);
	tcase_add_test(mech, test_precision_needs_six_samples);
	tcase_add_test(mech, test_precision_reached_when_ci_narrows);
	tcase_add_test(mech, test_warmup_time);
	tcase_add_test(mech, test_fixed_iterations_then_auto_again);
	tcase_add_test(mech, test_empty_function_hits_the_cap);
	tcase_add_test(mech, test_cap_below_needed_count);
	suite_add_tcase(s, mech);
	tcase_add_test(real, test_real_clock_smoke);
	suite_add_tcase(s, real);
	tcase_add_test(api, test_bad_options);
	tcase_add_test(api, test_result_getters_null);
	tcase_add_test(api, test_result_getters_bad_out);
	tcase_add_test(api, test_stop_names);
	suite_add_tcase(s, api);
	return s;
}

PK_CHECK_MAIN(runner_suite)
