/* SPDX-License-Identifier: MIT */
/* Regions: arguments, the Chrome trace, caller-callee edges and cProfile's
 * report. The trace budget is fixed by the first start in a process, and
 * under valgrind (CK_FORK=no) the tests share one: each uses BUDGET, and
 * the test that spends it runs last. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define BUDGET 16384

static void setup(void)
{
	ck_assert_int_eq(perfkit_region_depth(), 0);
	perfkit_region_reset();
}

static char dir[] = "/tmp/pk-trace-test-XXXXXX";

static char *temp_path(const char *name)
{
	static char path[256];

	if (dir[sizeof(dir) - 2] == 'X')
		ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* ---- arguments ------------------------------------------------------- */

START_TEST(arg_bad_input)
{
	ck_assert_fails(perfkit_region_arg(NULL, 1), -EINVAL, "key is NULL");
	ck_assert_fails(perfkit_region_arg("", 1), -EINVAL, "key is empty");
	ck_assert_fails(perfkit_region_arg("a\tb", 1), -EINVAL, "control");
	ck_assert_fails(perfkit_region_arg("k", 1), -EINVAL, "no region is open");
	ck_assert_int_eq(perfkit_region_begin("r"), 0);
	for (int i = 0; i < PERFKIT_REGION_MAX_ARGS; i++) {
		char key[8];

		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(perfkit_region_arg(key, i), 0);
	}
	ck_assert_int_eq(perfkit_region_arg("k0", NAN), 0); /* replaces */
	ck_assert_fails(perfkit_region_arg("k9", 1), -ENOSPC, "already has");
	ck_assert_int_eq(perfkit_region_end("r"), 0);
}
END_TEST

/* ---- trace settings and counts -------------------------------------- */

START_TEST(trace_start_bad_input)
{
	uint64_t events = 1;

	ck_assert_fails(perfkit_region_trace_start(0, 0), -EINVAL, "max_events");
	ck_assert_fails(perfkit_region_trace_start(PERFKIT_REGION_TRACE_MAX_EVENTS + 1u, 0),
			-EINVAL, "max_events");
	ck_assert_fails(perfkit_region_trace_start(BUDGET, UINT64_MAX), -EINVAL,
			"more than an hour");
	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	ck_assert_fails(perfkit_region_trace_start(4 * BUDGET, 0), -EBUSY,
			"since the first call");
	ck_assert_int_eq(perfkit_region_trace_start(BUDGET / 2, 0), 0);
	ck_assert_fails(perfkit_region_trace_counts(NULL, NULL, NULL), -EINVAL, "NULL");
	ck_assert_int_eq(perfkit_region_trace_counts(&events, NULL, NULL), 0);
	perfkit_region_trace_stop();
}
END_TEST

START_TEST(trace_write_bad_path)
{
	char *dir = temp_path("");

	ck_assert_fails(perfkit_region_trace_write(NULL), -EINVAL, "NULL");
	ck_assert_fails(perfkit_region_trace_write(""), -EINVAL, "empty");
	ck_assert_fails(perfkit_region_trace_write("/nonexistent-pk/t.json"), -ENOENT,
			"/nonexistent-pk/t.json");
	/* a folder as the path: refused by the rename, nothing left beside */
	dir[strlen(dir) - 1] = '\0';
	ck_assert_fails(perfkit_region_trace_write(dir), -EISDIR, dir);
	if (geteuid() != 0) {
		ck_assert_int_eq(perfkit_region_trace_write("/proc/pk.json") < 0, 1);
	}
}
END_TEST

START_TEST(trace_min_duration_filters)
{
	uint64_t f0 = 0, f1 = 0;

	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 1000000000u), 0);
	ck_assert_int_eq(perfkit_region_trace_counts(NULL, NULL, &f0), 0);
	perfkit_region_begin("short");
	perfkit_region_end("short");
	ck_assert_int_eq(perfkit_region_trace_counts(NULL, NULL, &f1), 0);
	ck_assert_uint_eq(f1, f0 + 1);
	perfkit_region_trace_stop();
}
END_TEST

/* ---- the file -------------------------------------------------------- */

static void nest(const char *top, int n)
{
	for (int i = 0; i < n; i++) {
		perfkit_region_begin(top);
		perfkit_region_arg("i", i);
		perfkit_region_begin("inner \"quoted\" \\ name");
		perfkit_region_end("inner \"quoted\" \\ name");
		perfkit_region_begin("leaf");
		perfkit_region_end("leaf");
		perfkit_region_end(top);
	}
}

static void *thread_main(void *arg)
{
	nest("thread", (int)(intptr_t)arg);
	return NULL;
}

/* Every B has its E on the same thread, names match, time never goes
 * back; returns the number of B events. */
static size_t check_trace(const char *path, size_t *threads, json_t **other)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *events, *ev;
	long tids[64];
	size_t ntids = 0, begins = 0, i;

	ck_assert_msg(root != NULL, "%s: %s at line %d", path, err.text, err.line);
	events = json_object_get(root, "traceEvents");
	ck_assert(json_is_array(events));
	ck_assert_str_eq(json_string_value(json_object_get(root, "displayTimeUnit")), "ns");
	for (size_t t = 0; t < 64; t++) {
		const char *stack[PERFKIT_REGION_MAX_DEPTH];
		size_t top = 0;
		double last = -1;
		long tid = -1;

		json_array_foreach(events, i, ev) {
			const char *ph = json_string_value(json_object_get(ev, "ph"));
			const char *name = json_string_value(json_object_get(ev, "name"));
			long etid = (long)json_integer_value(json_object_get(ev, "tid"));
			double ts;

			ck_assert_ptr_nonnull(ph);
			ck_assert_ptr_nonnull(name);
			if (strcmp(ph, "M") == 0)
				continue;
			if (tid < 0) {
				size_t k;

				for (k = 0; k < ntids && tids[k] != etid; k++)
					;
				if (k < ntids)
					continue;
				tid = tids[ntids++] = etid;
			}
			if (etid != tid)
				continue;
			ts = json_number_value(json_object_get(ev, "ts"));
			ck_assert(ts >= last);
			last = ts;
			if (strcmp(ph, "B") == 0) {
				ck_assert_uint_lt(top, PERFKIT_REGION_MAX_DEPTH);
				stack[top++] = name;
				begins++;
			} else {
				ck_assert_str_eq(ph, "E");
				ck_assert_uint_gt(top, 0);
				ck_assert_str_eq(stack[--top], name);
			}
		}
		ck_assert_uint_eq(top, 0);
		if (tid < 0)
			break;
	}
	*threads = ntids;
	*other = json_incref(json_object_get(root, "otherData"));
	json_decref(root);
	return begins;
}

START_TEST(trace_file_nested_threads_args)
{
	char *path = temp_path("trace.json");
	uint64_t events = 0, dropped = 0;
	pthread_t th[3];
	json_t *other;
	size_t threads = 0, begins;
	struct stat st;

	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	nest("main", 5);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, thread_main,
						(void *)(intptr_t)(i + 1)), 0);
	for (int i = 0; i < 2; i++) /* two exit, one is alive while writing */
		pthread_join(th[i], NULL);
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	pthread_join(th[2], NULL);
	perfkit_region_trace_stop();
	ck_assert_int_eq(perfkit_region_trace_counts(&events, &dropped, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	begins = check_trace(path, &threads, &other);
	ck_assert_uint_ge(begins, 15 + 3 * 2);
	ck_assert_uint_ge(threads, 3);
	ck_assert(json_is_integer(json_object_get(other, "events")));
	ck_assert(json_is_integer(json_object_get(other, "dropped")));
	ck_assert_int_eq(json_integer_value(json_object_get(other, "dropped")), 0);
	json_decref(other);
	unlink(path);
}
END_TEST

/* ---- open regions, forked children ----------------------------------- */

/* E events of `name` (in process `pid`, or any if 0) and how many of
 * them say the region was still open. */
static int count_ends(json_t *events, const char *name, long pid, int *open)
{
	size_t i;
	json_t *ev;
	int n = 0;

	*open = 0;
	json_array_foreach(events, i, ev) {
		json_t *args = json_object_get(ev, "args");

		if (strcmp(json_string_value(json_object_get(ev, "ph")), "E") != 0 ||
		    strcmp(json_string_value(json_object_get(ev, "name")), name) != 0 ||
		    (pid && json_integer_value(json_object_get(ev, "pid")) != pid))
			continue;
		n++;
		*open += json_is_true(json_object_get(args, "open"));
	}
	return n;
}

static json_t *load_events(const char *path, json_t **root)
{
	json_error_t err;

	*root = json_load_file(path, 0, &err);
	ck_assert_msg(*root != NULL, "%s: %s", path, err.text);
	return json_object_get(*root, "traceEvents");
}

static void *leave_open(void *arg)
{
	(void)arg;
	perfkit_region_begin("thread-left-open");
	return NULL; /* exits with the region open */
}

START_TEST(trace_open_regions_written)
{
	char *path = temp_path("open.json");
	size_t threads = 0;
	json_t *other, *root, *events;
	pthread_t th;
	int open = 0;

	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, leave_open, NULL), 0);
	pthread_join(th, NULL);
	perfkit_region_begin("outer");
	perfkit_region_arg("k", 7);
	perfkit_region_begin("inner");
	perfkit_region_begin("done");
	perfkit_region_end("done");
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	/* every B has its E: the open regions end where the file was written */
	check_trace(path, &threads, &other);
	ck_assert_int_ge(json_integer_value(json_object_get(other, "open")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(other, "processes")), 1);
	json_decref(other);
	events = load_events(path, &root);
	ck_assert_int_eq(count_ends(events, "outer", 0, &open), 1);
	ck_assert_int_eq(open, 1);
	ck_assert_int_eq(count_ends(events, "inner", 0, &open), 1);
	ck_assert_int_eq(open, 1);
	ck_assert_int_eq(count_ends(events, "done", 0, &open), 1);
	ck_assert_int_eq(open, 0);
	ck_assert_int_eq(count_ends(events, "thread-left-open", 0, &open), 1);
	ck_assert_int_eq(open, 1);
	json_decref(root);
	/* writing changed nothing: the regions end as usual, once */
	ck_assert_int_eq(perfkit_region_end("inner"), 0);
	ck_assert_int_eq(perfkit_region_end("outer"), 0);
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	events = load_events(path, &root);
	ck_assert_int_eq(count_ends(events, "outer", 0, &open), 1);
	ck_assert_int_eq(open, 0);
	json_decref(root);
	perfkit_region_trace_stop();
	unlink(path);
}
END_TEST

/* A forked child traces on its own; perfkit_region_trace_flush() before
 * _exit() leaves its events where the parent's file picks them up. */
START_TEST(trace_fork_child_merged)
{
	char *path = temp_path("fork.json");
	size_t threads = 0;
	json_t *other, *root, *events;
	pid_t kid[2];
	int open = 0, status;

	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	ck_assert_int_eq(perfkit_region_trace_flush(), 0); /* nothing to do here */
	perfkit_region_begin("parent");
	for (int i = 0; i < 2; i++) {
		fflush(NULL);
		kid[i] = fork();
		ck_assert_int_ge(kid[i], 0);
		if (kid[i] == 0) {
			perfkit_region_begin("child-work");
			perfkit_region_arg("child", i);
			perfkit_region_end("child-work");
			perfkit_region_begin("child-open");
			_exit(perfkit_region_trace_flush() == 0 ? 0 : 3);
		}
	}
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(kid[i], &status, 0), kid[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	perfkit_region_end("parent");
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	check_trace(path, &threads, &other);
	ck_assert_uint_ge(threads, 3);
	ck_assert_int_ge(json_integer_value(json_object_get(other, "processes")), 3);
	json_decref(other);
	events = load_events(path, &root);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(count_ends(events, "child-work", kid[i], &open), 1);
		ck_assert_int_eq(open, 0);
		ck_assert_int_eq(count_ends(events, "child-open", kid[i], &open), 1);
		ck_assert_int_eq(open, 1);
		/* the region the child inherited open, from the fork on */
		ck_assert_int_eq(count_ends(events, "parent", kid[i], &open), 1);
		ck_assert_int_eq(open, 1);
	}
	/* the parent's own events are not repeated in the children's */
	ck_assert_int_eq(count_ends(events, "parent", getpid(), &open), 1);
	ck_assert_int_eq(open, 0);
	json_decref(root);
	perfkit_region_trace_stop();
	unlink(path);
}
END_TEST

/* A child forked after the parent took the whole budget still has it:
 * it forgets the parent's slots, so their room is its own again. */
START_TEST(trace_fork_child_gets_the_budget)
{
	char *path = temp_path("fork-budget.json");
	json_t *root, *events;
	int open = 0, status;
	pid_t kid;

	ck_assert_int_eq(perfkit_region_trace_start(1, 0), 0); /* one chunk */
	perfkit_region_begin("parent-work");
	perfkit_region_end("parent-work");
	fflush(NULL);
	kid = fork();
	ck_assert_int_ge(kid, 0);
	if (kid == 0) {
		perfkit_region_begin("child-work");
		perfkit_region_end("child-work");
		_exit(perfkit_region_trace_flush() == 0 ? 0 : 3);
	}
	ck_assert_int_eq(waitpid(kid, &status, 0), kid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	events = load_events(path, &root);
	ck_assert_int_eq(count_ends(events, "parent-work", getpid(), &open), 1);
	ck_assert_int_eq(count_ends(events, "child-work", kid, &open), 1);
	ck_assert_int_eq(open, 0);
	json_decref(root);
	perfkit_region_trace_stop();
	unlink(path);
}
END_TEST

static int task_setup(int64_t size, const struct perfkit_kernel_options *o,
		      void *userdata, void **state)
{
	(void)o;
	(void)userdata;
	*state = (void *)(intptr_t)size;
	return 0;
}

/* Each test names its regions: with CK_FORK=no, the workers' files of an
 * earlier test are merged into later files too. */
static const char *task_region = "task";

static int task_run(void *state, uint64_t reps)
{
	(void)reps;
	perfkit_region_begin(task_region);
	perfkit_region_arg("size", (double)(intptr_t)state);
	perfkit_region_end(task_region);
	return 0;
}

static void task_teardown(void *state)
{
	(void)state;
}

static void register_task_kernel(void)
{
	static const struct perfkit_kernel_ops ops = {
		.size = sizeof(struct perfkit_kernel_ops),
		.name = "trace-task",
		.description = "one region per run",
		.setup = task_setup,
		.run = task_run,
		.teardown = task_teardown,
	};
	const struct perfkit_kernel *k;

	if (perfkit_kernel_find("trace-task", &k) != 0)
		ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), 0);
}

/* Write the trace to `name`; count the task regions in it and those in
 * this process (the workers' are in theirs), and the workers' pids. */
static int count_tasks(const char *name, int *in_parent, int *pids)
{
	char *path = temp_path(name);
	json_t *root, *events, *ev, *other;
	long seen[64];
	size_t threads = 0, i;
	int tasks = 0;

	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	check_trace(path, &threads, &other);
	json_decref(other);
	events = load_events(path, &root);
	*in_parent = *pids = 0;
	json_array_foreach(events, i, ev) {
		long pid = (long)json_integer_value(json_object_get(ev, "pid"));
		int k;

		if (strcmp(json_string_value(json_object_get(ev, "ph")), "B") != 0 ||
		    strcmp(json_string_value(json_object_get(ev, "name")), task_region) != 0)
			continue;
		tasks++;
		*in_parent += pid == getpid();
		ck_assert_ptr_nonnull(json_object_get(json_object_get(ev, "args"), "size"));
		for (k = 0; k < *pids && seen[k] != pid; k++)
			;
		if (k == *pids && *pids < 64)
			seen[(*pids)++] = pid;
	}
	json_decref(root);
	unlink(path);
	return tasks;
}

/* The task queue's worker processes end with _exit(): their regions
 * still reach the parent's trace. */
START_TEST(trace_queue_processes)
{
	struct perfkit_queue_options opt = PERFKIT_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int in_parent, pids;

	register_task_kernel();
	task_region = "queue-task";
	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	opt.kernel = "trace-task";
	opt.tasks = 6;
	opt.workers = 2;
	opt.mode = PERFKIT_HARNESS_PROCESSES;
	opt.verify = 0;
	ck_assert_int_eq(perfkit_queue_run(&opt, &res), 0);
	perfkit_results_destroy(res);
	ck_assert_int_eq(count_tasks("queue.json", &in_parent, &pids), 6);
	ck_assert_int_eq(in_parent, 0);
	ck_assert_int_ge(pids, 1);
	perfkit_region_trace_stop();
}
END_TEST

/* So do the harness's worker processes. */
START_TEST(trace_harness_processes)
{
	struct perfkit_harness_options opt = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int in_parent, pids;

	register_task_kernel();
	task_region = "harness-task";
	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	opt.kernel = "trace-task";
	opt.problem_size = 3;
	opt.loopcount = 2;
	opt.workers = 2;
	opt.mode = PERFKIT_HARNESS_PROCESSES;
	opt.verify = 0;
	ck_assert_int_eq(perfkit_harness_run(&opt, &res), 0);
	perfkit_results_destroy(res);
	/* each worker runs the kernel at least once, in its own process */
	ck_assert_int_ge(count_tasks("harness.json", &in_parent, &pids), 2);
	ck_assert_int_eq(in_parent, 0);
	ck_assert_int_eq(pids, 2);
	perfkit_region_trace_stop();
}
END_TEST

/* Last: spends the budget. Recording goes on, events are dropped and
 * counted, the file stays valid and nested. */
START_TEST(trace_full_budget_drops)
{
	char *path = temp_path("full.json");
	uint64_t events = 0, dropped = 0;
	size_t threads = 0;
	json_t *other;

	ck_assert_int_eq(perfkit_region_trace_start(BUDGET, 0), 0);
	nest("fill", BUDGET);
	ck_assert_int_eq(perfkit_region_trace_counts(&events, &dropped, NULL), 0);
	ck_assert_uint_gt(dropped, 0);
	ck_assert_uint_le(events, BUDGET);
	ck_assert_int_eq(perfkit_region_trace_write(path), 0);
	check_trace(path, &threads, &other);
	ck_assert_int_eq(json_integer_value(json_object_get(other, "dropped")),
			 (json_int_t)dropped);
	json_decref(other);
	/* the profile still counts every call */
	{
		struct perfkit_region_snapshot *s;
		const struct perfkit_region_entry *e;
		size_t n;
		int found = 0;

		ck_assert_int_eq(perfkit_region_snapshot_new(PERFKIT_REGION_CALLING_THREAD, &s), 0);
		perfkit_region_snapshot_count(s, &n);
		for (size_t i = 0; i < n; i++) {
			perfkit_region_snapshot_entry(s, i, &e);
			if (strcmp(e->name, "fill") == 0)
				found = e->calls == BUDGET;
		}
		ck_assert(found);
		perfkit_region_snapshot_destroy(s);
	}
	perfkit_region_trace_stop();
	unlink(path);
	rmdir(dir);
}
END_TEST

/* ---- callers and callees, cProfile's report -------------------------- */

static struct perfkit_region_snapshot *profile_abc(void)
{
	struct perfkit_region_snapshot *s = NULL;

	/* a { b { c } c } twice, and c at the top level once */
	for (int i = 0; i < 2; i++) {
		perfkit_region_begin("a");
		perfkit_region_begin("b");
		perfkit_region_begin("c");
		perfkit_region_end("c");
		perfkit_region_end("b");
		perfkit_region_begin("c");
		perfkit_region_end("c");
		perfkit_region_end("a");
	}
	perfkit_region_begin("c");
	perfkit_region_end("c");
	ck_assert_int_eq(perfkit_region_snapshot_new(PERFKIT_REGION_CALLING_THREAD, &s), 0);
	return s;
}

START_TEST(edges_add_up)
{
	struct perfkit_region_snapshot *s = profile_abc();
	const struct perfkit_region_entry *e;
	const struct perfkit_region_edge *g;
	size_t n = 0, ng = 0;

	ck_assert_int_eq(perfkit_region_snapshot_count(s, &n), 0);
	ck_assert_int_eq(perfkit_region_snapshot_edge_count(s, &ng), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(ng, 5); /* top>a, a>b, b>c, a>c, top>c */
	for (size_t i = 0; i < n; i++) {
		uint64_t calls = 0, incl = 0, excl = 0;

		perfkit_region_snapshot_entry(s, i, &e);
		for (size_t k = 0; k < ng; k++) {
			ck_assert_int_eq(perfkit_region_snapshot_edge(s, k, &g), 0);
			if (strcmp(g->callee, e->name) == 0) {
				calls += g->calls;
				incl += g->inclusive_ns;
				excl += g->exclusive_ns;
			}
		}
		/* each figure is rounded to the ns on its own */
		ck_assert_uint_eq(calls, e->calls);
		ck_assert_uint_le(excl > e->exclusive_ns ? excl - e->exclusive_ns :
				  e->exclusive_ns - excl, ng);
		ck_assert_uint_le(incl > e->inclusive_ns ? incl - e->inclusive_ns :
				  e->inclusive_ns - incl, ng);
	}
	/* sorted by callee, the top level first */
	ck_assert_int_eq(perfkit_region_snapshot_edge(s, 0, &g), 0);
	ck_assert_ptr_null(g->caller);
	ck_assert_str_eq(g->callee, "a");
	ck_assert_int_eq(perfkit_region_snapshot_edge(s, 2, &g), 0);
	ck_assert_ptr_null(g->caller);
	ck_assert_str_eq(g->callee, "c");
	ck_assert_uint_eq(g->calls, 1);
	ck_assert_fails(perfkit_region_snapshot_edge(s, ng, &g), -EINVAL, "out of range");
	ck_assert_fails(perfkit_region_snapshot_edge(NULL, 0, &g), -EINVAL, "snap");
	ck_assert_fails(perfkit_region_snapshot_edge(s, 0, NULL), -EINVAL, "edge");
	ck_assert_fails(perfkit_region_snapshot_edge_count(NULL, &ng), -EINVAL, "snap");
	ck_assert_fails(perfkit_region_snapshot_edge_count(s, NULL), -EINVAL, "count");
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(sort_words)
{
	enum perfkit_region_sort by;
	const char *words[] = { "tottime", "cumtime", "calls", "name" };

	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(perfkit_region_sort_parse(words[i], &by), 0);
		ck_assert_int_eq(by, i);
		ck_assert_str_eq(perfkit_region_sort_name(by), words[i]);
	}
	ck_assert_ptr_null(perfkit_region_sort_name((enum perfkit_region_sort)4));
	ck_assert_ptr_null(perfkit_region_sort_name((enum perfkit_region_sort)-1));
	ck_assert_fails(perfkit_region_sort_parse("time", &by), -EINVAL, "\"time\"");
	ck_assert_fails(perfkit_region_sort_parse("", &by), -EINVAL, "tottime");
	ck_assert_fails(perfkit_region_sort_parse(NULL, &by), -EINVAL, "word");
	ck_assert_fails(perfkit_region_sort_parse("name", NULL), -EINVAL, "sort");
}
END_TEST

START_TEST(order_each_key)
{
	struct perfkit_region_snapshot *s = profile_abc();
	const struct perfkit_region_entry *e, *prev;
	size_t ix[3];

	for (int by = 0; by < 4; by++) {
		ck_assert_int_eq(perfkit_region_snapshot_order(s, (enum perfkit_region_sort)by,
							       ix, 3), 0);
		for (size_t i = 1; i < 3; i++) {
			perfkit_region_snapshot_entry(s, ix[i - 1], &prev);
			perfkit_region_snapshot_entry(s, ix[i], &e);
			if (by == PERFKIT_REGION_SORT_TOTTIME)
				ck_assert_uint_ge(prev->exclusive_ns, e->exclusive_ns);
			else if (by == PERFKIT_REGION_SORT_CUMTIME)
				ck_assert_uint_ge(prev->inclusive_ns, e->inclusive_ns);
			else if (by == PERFKIT_REGION_SORT_CALLS)
				ck_assert_uint_ge(prev->calls, e->calls);
			else
				ck_assert_int_lt(strcmp(prev->name, e->name), 0);
		}
	}
	perfkit_region_snapshot_entry(s, ix[0], &e);
	ck_assert_str_eq(e->name, "a"); /* by name */
	ck_assert_fails(perfkit_region_snapshot_order(s, PERFKIT_REGION_SORT_NAME, ix, 2),
			-EINVAL, "3 entries");
	ck_assert_fails(perfkit_region_snapshot_order(s, (enum perfkit_region_sort)7, ix, 3),
			-EINVAL, "unknown");
	ck_assert_fails(perfkit_region_snapshot_order(NULL, 0, ix, 3), -EINVAL, "snap");
	ck_assert_fails(perfkit_region_snapshot_order(s, 0, NULL, 3), -EINVAL, "index");
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(print_profile_lines)
{
	struct perfkit_region_snapshot *s = profile_abc();
	char line[512];
	int rows = 0, links = 0, names = 0;
	FILE *f = tmpfile(), *full;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(perfkit_region_snapshot_print_profile(s, PERFKIT_REGION_SORT_CALLS, f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_nonnull(strstr(line, "sorted by calls"));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long calls;
		double t1, t2, t3, t4;
		char name[64];

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%llu %lf %lf %lf %lf %63s", &calls, &t1, &t2, &t3, &t4,
			   name) == 6) {
			rows++;
			if (rows == 1) /* most calls first: c, 5 */
				ck_assert(calls == 5 && strcmp(name, "c") == 0);
		} else if (strncmp(line, "  <-", 4) == 0 || strncmp(line, "  ->", 4) == 0) {
			links++;
		} else {
			names++;
		}
	}
	ck_assert_int_eq(rows, 3);
	ck_assert_int_eq(names, 3);
	/* 3 pairs inside a region give a "<-" and a "->" line, 2 at the top
	 * level a "<-" line only */
	ck_assert_int_eq(links, 8);
	fclose(f);
	ck_assert_fails(perfkit_region_snapshot_print_profile(NULL, 0, stdout), -EINVAL, "snap");
	ck_assert_fails(perfkit_region_snapshot_print_profile(s, 0, NULL), -EINVAL, "f");
	ck_assert_fails(perfkit_region_snapshot_print_profile(s, (enum perfkit_region_sort)9,
							       stdout), -EINVAL, "unknown");
	full = fopen("/dev/full", "w");
	if (full) {
		ck_assert_fails(perfkit_region_snapshot_print_profile(s, 0, full), -EIO,
				"write failed");
		fclose(full);
	}
	perfkit_region_snapshot_destroy(s);
}
END_TEST

/* Pairs made in other threads reach a snapshot, also after they exit. */
START_TEST(edges_from_threads)
{
	struct perfkit_region_snapshot *s;
	const struct perfkit_region_edge *g;
	pthread_t th[2];
	size_t ng = 0;
	uint64_t calls = 0;

	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)3);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(perfkit_region_snapshot_new(PERFKIT_REGION_ALL_THREADS, &s), 0);
	perfkit_region_snapshot_edge_count(s, &ng);
	for (size_t i = 0; i < ng; i++) {
		perfkit_region_snapshot_edge(s, i, &g);
		if (g->caller && strcmp(g->caller, "thread") == 0 &&
		    strcmp(g->callee, "leaf") == 0) {
			calls = g->calls;
			ck_assert_uint_eq(g->threads, 2);
		}
	}
	ck_assert_uint_eq(calls, 6);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("region-trace");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, arg_bad_input);
	tcase_add_test(tc, edges_add_up);
	tcase_add_test(tc, sort_words);
	tcase_add_test(tc, order_each_key);
	tcase_add_test(tc, print_profile_lines);
	tcase_add_test(tc, edges_from_threads);
	tcase_add_test(tc, trace_start_bad_input);
	tcase_add_test(tc, trace_write_bad_path);
	tcase_add_test(tc, trace_min_duration_filters);
	tcase_add_test(tc, trace_file_nested_threads_args);
	tcase_add_test(tc, trace_open_regions_written);
	tcase_add_test(tc, trace_fork_child_merged);
	tcase_add_test(tc, trace_fork_child_gets_the_budget);
	tcase_add_test(tc, trace_queue_processes);
	tcase_add_test(tc, trace_harness_processes);
	tcase_add_test(tc, trace_full_budget_drops); /* last: spends the budget */
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(suite)
