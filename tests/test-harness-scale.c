/* SPDX-License-Identifier: MIT */
/* The harness at the pywren GFLOPS notebook's scale (2,800 workers), in
 * threads and in processes, all live at once as the notebook's lambdas
 * were. Its own test, run alone (is_parallel: false) with its own time
 * limit. It first asks whether the machine can hold that many workers
 * (tests/scale-budget.h: memory, task and file limits) and skips with the
 * reason (exit 77) when it cannot; one instance runs at a time per
 * machine. Measured here: ~0.85 GB at the peak for 2,800 forked workers. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk-results-check.h"
#include "scale-budget.h"
#include "perfkit/perfkit.h"

/* The notebook's 2,800; under valgrind and ASan (each forked worker
 * carries the tool's own memory) 64. PERFKIT_TEST_SCALE_WORKERS, 1 to
 * 100000, overrides for both modes.
 *
 * Processes get 256 by default: 2,800 runnable processes on a 2-vCPU VM
 * (load average past 2,500) left it unresponsive for 15 minutes, twice,
 * although memory sufficed. The notebook's 2,800 processes run when
 * PERFKIT_TEST_SCALE=full is set (or PERFKIT_TEST_SCALE_WORKERS=2800): run
 * that alone, on a machine with more cores. */
#define SCALE_WORKERS 2800
#define SCALE_PROCESSES 256
#define SCALE_WORKERS_CHECKED 64

static unsigned workers, processes;

static unsigned scale_workers(void)
{
	const char *env = getenv("PERFKIT_TEST_SCALE_WORKERS");
	char *end;
	unsigned long w;

	if (!env)
		return RUNNING_ON_VALGRIND || pk_scale_asan() ? SCALE_WORKERS_CHECKED
							      : SCALE_WORKERS;
	errno = 0;
	w = strtoul(env, &end, 10);
	if (errno || end == env || *end || w < 1 || w > 100000) {
		fprintf(stderr, "PERFKIT_TEST_SCALE_WORKERS=%s: want 1 to 100000\n", env);
		exit(EXIT_FAILURE);
	}
	return (unsigned)w;
}

/* The pywren notebook's scale: thousands of workers time-sliced on a few
 * cores. Rates are checked, never times: the concurrent rate stays under
 * the allowed cores' theoretical peak (and under the per-worker sum),
 * effective under it, all finite and positive. */
static void scale_run(enum perfkit_harness_mode mode, unsigned count)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_harness_summary s;
	struct perfkit_results *res = NULL;

	o.problem_size = 8;
	o.mode = mode;
	o.loopcount = 1;
	o.peak_reference = 0.01;
	o.workers = count;
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
	scale_run(PERFKIT_HARNESS_THREADS, workers);
}
END_TEST

START_TEST(test_scale_processes)
{
	scale_run(PERFKIT_HARNESS_PROCESSES, processes);
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

/* Skip (77) when the machine cannot hold the workers, or another
 * instance holds the lock for longer than 240 s. */
int main(void)
{
	char why[256] = "";
	SRunner *sr;
	int failed;

	workers = scale_workers();
	processes = workers;
	if (workers == SCALE_WORKERS && !getenv("PERFKIT_TEST_SCALE_WORKERS")) {
		const char *full = getenv("PERFKIT_TEST_SCALE");

		if (!full || strcmp(full, "full") != 0)
			processes = SCALE_PROCESSES;
	}
	if (pk_scale_lock(240) < 0) {
		printf("SKIP: another test-harness-scale holds %s (one at a time "
		       "per machine)\n", PK_SCALE_LOCK);
		return 77;
	}
	if (!pk_scale_fits(workers, why, sizeof(why))) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	printf("%u threads, %u processes (%lld MB available)%s\n", workers,
	       processes, pk_scale_mem_kb() / 1024,
	       processes < workers ? "; PERFKIT_TEST_SCALE=full for 2,800 processes" : "");
	sr = srunner_create(scale_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
