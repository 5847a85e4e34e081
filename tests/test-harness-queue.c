/* SPDX-License-Identifier: MIT */
/* Task-queue runs: every task runs exactly once (threads and processes,
 * also when a worker fails or dies), its record names the worker and its
 * wait, the I/O kernels write through the queue, and bad options. */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define MAXTASKS 64

/* Runs of each task's size, in memory the worker processes share. */
static atomic_int *runs;
static int crash_size; /* a task of this size fails: kills its process
			  (processes) or returns -EIO (threads) */
static int crash_kill;

static int count_setup(int64_t size, const struct perfkit_kernel_options *o,
		       void *userdata, void **state)
{
	(void)o, (void)userdata;
	*state = (void *)(intptr_t)size;
	return 0;
}

static int count_run(void *state, uint64_t reps)
{
	int64_t size = (int64_t)(intptr_t)state;

	(void)reps;
	atomic_fetch_add(&runs[size], 1);
	if (size == crash_size) {
		if (crash_kill)
			raise(SIGKILL);
		return -EIO;
	}
	return 0;
}

static void count_teardown(void *state)
{
	(void)state;
}

static void setup_kernel(void)
{
	static const struct perfkit_kernel_ops ops = {
		.size = sizeof(struct perfkit_kernel_ops),
		.name = "queue-count",
		.description = "counts its runs per size",
		.setup = count_setup,
		.run = count_run,
		.teardown = count_teardown,
	};
	const struct perfkit_kernel *k;

	if (!runs) {
		runs = mmap(NULL, MAXTASKS * sizeof(*runs), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ck_assert_ptr_ne(runs, MAP_FAILED);
	}
	memset((void *)runs, 0, MAXTASKS * sizeof(*runs));
	if (perfkit_kernel_find("queue-count", &k) != 0)
		ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), 0);
}

static const char *error_of(const struct perfkit_results *res, size_t i)
{
	const char *key, *value;

	for (size_t j = 0; perfkit_results_extra_get(res, i, j, &key, &value) == 0; j++)
		if (strcmp(key, "error") == 0)
			return value;
	return "";
}

static double param(const struct perfkit_record *rec, const char *key)
{
	const char *v;

	ck_assert_int_eq(perfkit_record_get_param(rec, key, &v), 0);
	return strtod(v, NULL);
}

/* Tasks of sizes 1..n through @workers workers; one may fail. */
static int run_counted(enum perfkit_harness_mode mode, unsigned workers,
		       uint64_t n, struct perfkit_results **res)
{
	struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
	int64_t sizes[MAXTASKS];

	for (uint64_t i = 0; i < n; i++)
		sizes[i] = (int64_t)i + 1;
	opt.kernel = "queue-count";
	opt.sizes = sizes;
	opt.tasks = n;
	opt.workers = workers;
	opt.mode = mode;
	return perfkit_queue_run(&opt, res);
}

static void check_once(const struct perfkit_results *res, uint64_t n,
		       unsigned workers)
{
	ck_assert_uint_eq(perfkit_results_count(res), n);
	for (uint64_t i = 0; i < n; i++) {
		const struct perfkit_record *rec;

		ck_assert_int_eq(atomic_load(&runs[i + 1]), 1);
		ck_assert_int_eq(perfkit_results_get(res, i, &rec), 0);
		ck_assert_int_eq(rec->problem_size, (int64_t)i + 1);
		ck_assert_double_eq(param(rec, "task"), (double)i);
		ck_assert_int_ge(rec->worker, 0);
		ck_assert_int_lt(rec->worker, (int)workers);
		ck_assert(rec->t_start >= rec->t_submit);
		ck_assert_close(param(rec, "wait_s"), rec->t_start - rec->t_submit,
				1e-3);
	}
}

START_TEST(test_every_task_once)
{
	enum perfkit_harness_mode modes[] = { PERFKIT_HARNESS_THREADS,
					      PERFKIT_HARNESS_PROCESSES };

	for (int m = 0; m < 2; m++) {
		struct perfkit_results *res = NULL;

		setup_kernel();
		crash_size = -1;
		ck_assert_int_eq(run_counted(modes[m], 3, 40, &res), 0);
		check_once(res, 40, 3);
		for (size_t i = 0; i < 40; i++) {
			const struct perfkit_record *rec;

			perfkit_results_get(res, i, &rec);
			ck_assert_int_eq(rec->status, 0);
			ck_assert_uint_eq(rec->repetitions, 1);
			ck_assert(rec->t_end >= rec->t_setup);
		}
		perfkit_results_destroy(res);
	}
}
END_TEST

/* A task that fails (threads) or kills its worker (processes): every
 * other task still runs once, the failed one's record says so. */
START_TEST(test_failed_worker)
{
	enum perfkit_harness_mode modes[] = { PERFKIT_HARNESS_THREADS,
					      PERFKIT_HARNESS_PROCESSES };
	const int want[] = { -EIO, -ECHILD };
	const char *says[] = { "run:", "killed by signal 9" };

	for (int m = 0; m < 2; m++) {
		struct perfkit_results *res = NULL;
		const struct perfkit_record *rec;

		setup_kernel();
		crash_size = 5;
		crash_kill = m == 1;
		ck_assert_int_eq(run_counted(modes[m], 2, 12, &res), want[m]);
		ck_assert_msg(strstr(perfkit_last_error(), "1 of 12 tasks failed") &&
			      strstr(perfkit_last_error(), "task 4"), "%s",
			      perfkit_last_error());
		check_once(res, 12, 2);
		for (size_t i = 0; i < 12; i++) {
			perfkit_results_get(res, i, &rec);
			ck_assert_int_eq(rec->status, i == 4 ? want[m] : 0);
		}
		ck_assert_msg(strstr(error_of(res, 4), says[m]), "%s", error_of(res, 4));
		perfkit_results_destroy(res);
	}
	crash_size = -1;
}
END_TEST

/* Every worker dies: replacements finish the queue. */
START_TEST(test_all_workers_die)
{
	struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int64_t sizes[6] = { 5, 1, 5, 2, 5, 3 };
	const struct perfkit_record *rec;

	setup_kernel();
	crash_size = 5;
	crash_kill = 1;
	opt.kernel = "queue-count";
	opt.sizes = sizes;
	opt.tasks = 6;
	opt.workers = 2;
	opt.mode = PERFKIT_HARNESS_PROCESSES;
	ck_assert_int_eq(perfkit_queue_run(&opt, &res), -ECHILD);
	ck_assert_int_eq(atomic_load(&runs[5]), 3);
	for (int s = 1; s <= 3; s++)
		ck_assert_int_eq(atomic_load(&runs[s]), 1);
	for (size_t i = 0; i < 6; i++) {
		perfkit_results_get(res, i, &rec);
		ck_assert_int_eq(rec->status, sizes[i] == 5 ? -ECHILD : 0);
	}
	perfkit_results_destroy(res);
	crash_size = -1;
}
END_TEST

/* The workshop's use: many files through a pool, into the user's folder,
 * removed afterwards; bytes and items per task. */
START_TEST(test_io_through_queue)
{
	enum perfkit_harness_mode modes[] = { PERFKIT_HARNESS_THREADS,
					      PERFKIT_HARNESS_PROCESSES };
	char dir[] = "/tmp/pk-queue-test-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int m = 0; m < 2; m++) {
		struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
		struct perfkit_results *res = NULL;
		const struct perfkit_record *rec;

		opt.kernel = "write-text";
		opt.problem_size = 10;
		opt.tasks = 6;
		opt.workers = 2;
		opt.repetitions = 2;
		opt.mode = modes[m];
		opt.output_dir = dir;
		ck_assert_msg(perfkit_queue_run(&opt, &res) == 0, "%s",
			      perfkit_last_error());
		for (size_t i = 0; i < 6; i++) {
			perfkit_results_get(res, i, &rec);
			ck_assert_str_eq(rec->name, "write-text");
			ck_assert_double_eq(rec->items, 2);
			ck_assert_double_eq(rec->bytes, 2 * 25 * 100);
			ck_assert(rec->elapsed > 0 && isfinite(rec->elapsed));
		}
		perfkit_results_destroy(res);
	}
	ck_assert_int_eq(rmdir(dir), 0); /* empty: every file removed */
}
END_TEST

START_TEST(test_cancel)
{
	struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	volatile sig_atomic_t stop = 1;
	const struct perfkit_record *rec;

	setup_kernel();
	opt.kernel = "queue-count";
	opt.problem_size = 7;
	opt.tasks = 5;
	opt.cancel = &stop;
	ck_assert_int_eq(perfkit_queue_run(&opt, &res), -ECANCELED);
	ck_assert_uint_eq(perfkit_results_count(res), 5);
	perfkit_results_get(res, 0, &rec);
	ck_assert_int_eq(rec->status, -ECANCELED);
	ck_assert_int_eq(rec->worker, -1);
	ck_assert_str_eq(error_of(res, 0), "cancelled before it was taken");
	ck_assert_int_eq(atomic_load(&runs[7]), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_bad_options)
{
	struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int64_t sizes[3] = { 4, 0, 4 };

	ck_assert_fails(perfkit_queue_run(NULL, &res), -EINVAL, "NULL");
	ck_assert_fails(perfkit_queue_run(&opt, NULL), -EINVAL, "NULL");
	opt.size = 8;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "too small");
	opt.size = sizeof(opt);
	opt.kernel = "no-such";
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "unknown kernel");
	opt.kernel = NULL;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "unknown kernel");
	opt.kernel = "write-binary";
	opt.tasks = 0;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "tasks");
	opt.tasks = PERFKIT_QUEUE_TASKS_MAX + 1;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "tasks");
	opt.tasks = 3;
	opt.workers = 0;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "workers");
	opt.workers = PERFKIT_HARNESS_WORKERS_MAX + 1;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "workers");
	opt.workers = 1;
	opt.mode = (enum perfkit_harness_mode)7;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "mode");
	opt.mode = PERFKIT_HARNESS_THREADS;
	opt.repetitions = 0;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "repetitions");
	opt.repetitions = 1;
	opt.problem_size = -1;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "problem size");
	opt.problem_size = 4;
	opt.sizes = sizes;
	ck_assert_fails(perfkit_queue_run(&opt, &res), -EINVAL, "task 1");
	ck_assert_ptr_null(res);
	/* a task whose setup fails (a file, not a folder) is a failed record */
	opt.sizes = NULL;
	opt.output_dir = "/dev/null";
	ck_assert_fails(perfkit_queue_run(&opt, &res), -ENOTDIR, "3 of 3 tasks");
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	ck_assert_msg(strstr(error_of(res, 2), "setup: ") &&
		      strstr(error_of(res, 2), "not a folder"), "%s", error_of(res, 2));
	perfkit_results_destroy(res);
}
END_TEST

static Suite *queue_suite(void)
{
	Suite *s = suite_create("harness-queue");
	TCase *tc = tcase_create("queue");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_every_task_once);
	tcase_add_test(tc, test_failed_worker);
	tcase_add_test(tc, test_all_workers_die);
	tcase_add_test(tc, test_io_through_queue);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_bad_options);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(queue_suite)
