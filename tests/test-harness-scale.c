/* SPDX-License-Identifier: MIT */
/* The harness at the pywren GFLOPS notebook's scale (2,800 workers), in
 * threads and in processes. Its own test, with its own time limit: on a
 * busy 2-core machine forking 2,800 children takes minutes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#include "pk-results-check.h"
#include "perfkit/perfkit.h"

/* The pywren notebook's scale: thousands of workers time-sliced on a few
 * cores. Rates are checked, never times: the concurrent rate stays under
 * the allowed cores' theoretical peak (and under the per-worker sum),
 * effective under it, all finite and positive. Under valgrind, or with
 * PERFKIT_TEST_SCALE_WORKERS, fewer workers. */
static void scale_run(enum perfkit_harness_mode mode)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_harness_summary s;
	struct perfkit_results *res = NULL;
	const char *env = getenv("PERFKIT_TEST_SCALE_WORKERS");

	o.problem_size = 8;
	o.mode = mode;
	o.loopcount = 1;
	o.peak_reference = 0.01;
	o.workers = env ? (unsigned)atoi(env) : RUNNING_ON_VALGRIND ? 64 : 2800;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), o.workers);
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_uint_eq(s.failed, 0);
	ck_assert(isfinite(s.concurrent_gflops) && s.concurrent_gflops > 0);
	ck_assert(isfinite(s.effective_gflops) && s.effective_gflops > 0);
	ck_assert(isfinite(s.peak_gflops) && s.peak_gflops > 0);
	ck_assert(s.effective_gflops <= s.concurrent_gflops);
	ck_assert(s.concurrent_gflops <= s.peak_gflops * (1 + 1e-9));
	if (isfinite(s.machine_gflops)) /* the probe may not know the peak */
		ck_assert_msg(s.concurrent_gflops <= s.machine_gflops,
			      "concurrent %g > theoretical %g of the allowed cores",
			      s.concurrent_gflops, s.machine_gflops);
	ck_assert(s.oversubscription == o.workers / atof(meta(res, "harness.cores")));
	perfkit_results_destroy(res);
}

START_TEST(test_scale_threads)
{
	scale_run(PERFKIT_HARNESS_THREADS);
}
END_TEST

START_TEST(test_scale_processes)
{
	scale_run(PERFKIT_HARNESS_PROCESSES);
}
END_TEST

static Suite *scale_suite(void)
{
	Suite *s = suite_create("harness-scale");
	TCase *tc = tcase_create("scale");

	tcase_set_timeout(tc, 0); /* no limit: rates are checked, not times */
	tcase_add_test(tc, test_scale_threads);
	tcase_add_test(tc, test_scale_processes);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(scale_suite)
