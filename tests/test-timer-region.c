/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

/* Under valgrind the tests share one process (CK_FORK=no): each test starts
 * from a reset profile with no region open. */
static void setup(void)
{
	ck_assert_int_eq(perfkit_region_depth(), 0);
	perfkit_region_reset();
}

/* Make some time pass inside a region. */
static void work(void)
{
	uint64_t t0 = perfkit_now_ns();

	while (perfkit_now_ns() - t0 < 2000)
		;
}

static struct perfkit_region_snapshot *snap_of(enum perfkit_region_scope scope)
{
	struct perfkit_region_snapshot *s = NULL;

	ck_assert_int_eq(perfkit_region_snapshot_new(scope, &s), 0);
	ck_assert_ptr_nonnull(s);
	return s;
}

static size_t count_of(const struct perfkit_region_snapshot *s)
{
	size_t n = SIZE_MAX;

	ck_assert_int_eq(perfkit_region_snapshot_count(s, &n), 0);
	return n;
}

static const struct perfkit_region_entry *entry_at(const struct perfkit_region_snapshot *s,
						   size_t i)
{
	const struct perfkit_region_entry *e = NULL;

	ck_assert_int_eq(perfkit_region_snapshot_entry(s, i, &e), 0);
	ck_assert_ptr_nonnull(e);
	return e;
}

/* The entry called `name`, or NULL. */
static const struct perfkit_region_entry *find(const struct perfkit_region_snapshot *s,
					       const char *name)
{
	for (size_t i = 0; i < count_of(s); i++)
		if (strcmp(entry_at(s, i)->name, name) == 0)
			return entry_at(s, i);
	return NULL;
}

static uint64_t calls_of(const struct perfkit_region_snapshot *s, const char *name)
{
	const struct perfkit_region_entry *e = find(s, name);

	return e ? e->calls : 0;
}

/* Invariants every snapshot must satisfy. */
static void check_invariants(const struct perfkit_region_snapshot *s)
{
	uint64_t total = 0, sum = 0;

	ck_assert_int_eq(perfkit_region_snapshot_total(s, &total), 0);
	for (size_t i = 0; i < count_of(s); i++) {
		const struct perfkit_region_entry *e = entry_at(s, i);

		ck_assert_uint_gt(e->calls, 0);
		ck_assert_uint_le(e->exclusive_ns, e->inclusive_ns);
		ck_assert_uint_ge(e->threads, 1);
		if (i > 0)
			ck_assert_uint_le(e->exclusive_ns, entry_at(s, i - 1)->exclusive_ns);
		sum += e->exclusive_ns;
	}
	ck_assert_uint_eq(sum, total);
}

START_TEST(test_nesting_counts_and_times)
{
	struct perfkit_region_snapshot *s;
	const struct perfkit_region_entry *outer, *inner, *other;
	size_t threads = 0;
	uint64_t total, dropped = 1;

	setup();
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(perfkit_region_begin("outer"), 0);
		ck_assert_int_eq(perfkit_region_depth(), 1);
		for (int j = 0; j < 3; j++) {
			ck_assert_int_eq(perfkit_region_begin("inner"), 0);
			ck_assert_int_eq(perfkit_region_depth(), 2);
			work();
			ck_assert_int_eq(perfkit_region_end("inner"), 0);
		}
		ck_assert_int_eq(perfkit_region_begin("other"), 0);
		work();
		ck_assert_int_eq(perfkit_region_end("other"), 0);
		work();
		ck_assert_int_eq(perfkit_region_end("outer"), 0);
	}
	ck_assert_int_eq(perfkit_region_depth(), 0);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(count_of(s), 3);
	outer = find(s, "outer");
	inner = find(s, "inner");
	other = find(s, "other");
	ck_assert_ptr_nonnull(outer);
	ck_assert_ptr_nonnull(inner);
	ck_assert_ptr_nonnull(other);
	ck_assert_uint_eq(outer->calls, 10);
	ck_assert_uint_eq(inner->calls, 30);
	ck_assert_uint_eq(other->calls, 10);
	/* Leaves: nothing nested, so exclusive is inclusive. */
	ck_assert_uint_eq(inner->exclusive_ns, inner->inclusive_ns);
	ck_assert_uint_eq(other->exclusive_ns, other->inclusive_ns);
	ck_assert_uint_gt(inner->inclusive_ns, 0);
	/* outer = its own time + its children's (each figure rounded to ns). */
	ck_assert_uint_le(llabs((long long)(outer->exclusive_ns + inner->inclusive_ns +
					    other->inclusive_ns) -
				(long long)outer->inclusive_ns), 2);
	/* Only outer is top-level: the total is its inclusive time. */
	ck_assert_int_eq(perfkit_region_snapshot_total(s, &total), 0);
	ck_assert_uint_le(llabs((long long)total - (long long)outer->inclusive_ns), 2);
	ck_assert_int_eq(perfkit_region_snapshot_threads(s, &threads), 0);
	ck_assert_uint_eq(threads, 1);
	ck_assert_int_eq(perfkit_region_snapshot_dropped(s, &dropped), 0);
	ck_assert_uint_eq(dropped, 0);
	ck_assert_uint_eq(outer->threads, 1);
	perfkit_region_snapshot_destroy(s);
	perfkit_region_snapshot_destroy(NULL);
}
END_TEST

/* A name open inside itself counts its inclusive time once. */
START_TEST(test_recursion)
{
	struct perfkit_region_snapshot *s;
	const struct perfkit_region_entry *f, *g;

	setup();
	ck_assert_int_eq(perfkit_region_begin("f"), 0);
	work();
	ck_assert_int_eq(perfkit_region_begin("f"), 0);
	work();
	ck_assert_int_eq(perfkit_region_begin("g"), 0);
	ck_assert_int_eq(perfkit_region_begin("f"), 0);
	work();
	ck_assert_int_eq(perfkit_region_end("f"), 0);
	ck_assert_int_eq(perfkit_region_end("g"), 0);
	ck_assert_int_eq(perfkit_region_end("f"), 0);
	ck_assert_int_eq(perfkit_region_end("f"), 0);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	f = find(s, "f");
	g = find(s, "g");
	ck_assert_uint_eq(f->calls, 3);
	ck_assert_uint_eq(g->calls, 1);
	/* The outermost f encloses everything: f's inclusive time is the
	 * total, and f's and g's exclusive times add up to it. */
	ck_assert_uint_le(llabs((long long)(f->exclusive_ns + g->exclusive_ns) -
				(long long)f->inclusive_ns), 2);
	ck_assert_uint_le(g->inclusive_ns, f->inclusive_ns);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

/* Same text, different pointers: one entry. Same pointer, new text: the
 * pointer cache must not return the old name. */
START_TEST(test_names_by_content)
{
	struct perfkit_region_snapshot *s;
	char buf[32];
	char *copy = strdup("alpha");

	setup();
	strcpy(buf, "alpha");
	ck_assert_int_eq(perfkit_region_begin(buf), 0);
	ck_assert_int_eq(perfkit_region_end("alpha"), 0);
	ck_assert_int_eq(perfkit_region_begin(copy), 0);
	ck_assert_int_eq(perfkit_region_end(buf), 0);
	strcpy(buf, "beta");
	ck_assert_int_eq(perfkit_region_begin(buf), 0);
	ck_assert_int_eq(perfkit_region_end("alpha"), -EINVAL);
	ck_assert_int_eq(perfkit_region_end("beta"), 0);
	strcpy(buf, "alpha");
	ck_assert_int_eq(perfkit_region_begin(buf), 0);
	ck_assert_int_eq(perfkit_region_end(buf), 0);
	free(copy);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(count_of(s), 2);
	ck_assert_uint_eq(calls_of(s, "alpha"), 3);
	ck_assert_uint_eq(calls_of(s, "beta"), 1);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

/* Many names through one buffer, and one name through many buffers: the
 * tables grow, and the pointer cache is emptied rather than grown. */
START_TEST(test_many_names_and_pointers)
{
	static char bufs[600][8];
	struct perfkit_region_snapshot *s;
	char name[32];

	setup();
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "name-%d", i);
		ck_assert_int_eq(perfkit_region_begin(name), 0);
		ck_assert_int_eq(perfkit_region_end(name), 0);
	}
	for (int i = 0; i < 600; i++)
		strcpy(bufs[i], "same");
	for (int rep = 0; rep < 2; rep++)
		for (int i = 0; i < 600; i++) {
			ck_assert_int_eq(perfkit_region_begin(bufs[i]), 0);
			ck_assert_int_eq(perfkit_region_end(bufs[599 - i]), 0);
		}
	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(count_of(s), 501);
	ck_assert_uint_eq(calls_of(s, "name-0"), 1);
	ck_assert_uint_eq(calls_of(s, "name-499"), 1);
	ck_assert_uint_eq(calls_of(s, "same"), 1200);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_mismatched_end)
{
	struct perfkit_region_snapshot *s;

	setup();
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_region_end("nothing-open"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "no region is open"));
	ck_assert_int_eq(perfkit_region_begin("a"), 0);
	ck_assert_int_eq(perfkit_region_begin("b"), 0);
	ck_assert_int_eq(perfkit_region_end("a"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "\"b\""));
	ck_assert_int_eq(perfkit_region_depth(), 2);
	ck_assert_int_eq(perfkit_region_end("ab"), -EINVAL);
	ck_assert_int_eq(perfkit_region_end("b"), 0);
	ck_assert_int_eq(perfkit_region_end("b"), -EINVAL);
	ck_assert_int_eq(perfkit_region_end("a"), 0);
	ck_assert_int_eq(perfkit_region_depth(), 0);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(count_of(s), 2);
	ck_assert_uint_eq(calls_of(s, "a"), 1);
	ck_assert_uint_eq(calls_of(s, "b"), 1);
	ck_assert_ptr_null(find(s, "nothing-open"));
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_bad_names)
{
	char longest[PERFKIT_REGION_NAME_MAX + 1], too_long[PERFKIT_REGION_NAME_MAX + 2];
	struct perfkit_region_snapshot *s;
	const char *bad[] = { "", "tab\there", "new\nline", "del\x7f" };

	setup();
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(too_long, 'y', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';

	perfkit_clear_error();
	ck_assert_int_eq(perfkit_region_begin(NULL), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_region_end(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_begin(too_long), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "longer than 255"));
	ck_assert_int_eq(perfkit_region_end(too_long), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(perfkit_region_begin(bad[i]), -EINVAL);
		ck_assert_int_eq(perfkit_region_end(bad[i]), -EINVAL);
	}
	ck_assert_int_eq(perfkit_region_depth(), 0);

	/* Inside an open region, a bad name changes nothing either. */
	ck_assert_int_eq(perfkit_region_begin(longest), 0);
	ck_assert_int_eq(perfkit_region_begin(""), -EINVAL);
	ck_assert_int_eq(perfkit_region_end(""), -EINVAL);
	ck_assert_int_eq(perfkit_region_end(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_depth(), 1);
	ck_assert_int_eq(perfkit_region_end(longest), 0);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	ck_assert_uint_eq(count_of(s), 1);
	ck_assert_uint_eq(strlen(entry_at(s, 0)->name), PERFKIT_REGION_NAME_MAX);
	ck_assert_uint_eq(entry_at(s, 0)->calls, 1);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_depth_cap)
{
	struct perfkit_region_snapshot *s;
	uint64_t dropped = 0;

	setup();
	for (int i = 0; i < PERFKIT_REGION_MAX_DEPTH; i++)
		ck_assert_int_eq(perfkit_region_begin("deep"), 0);
	perfkit_clear_error();
	ck_assert_int_eq(perfkit_region_begin("deep"), -ERANGE);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_region_begin("deeper"), -ERANGE);
	ck_assert_int_eq(perfkit_region_depth(), PERFKIT_REGION_MAX_DEPTH + 2);
	/* The refused levels still close in step... */
	ck_assert_int_eq(perfkit_region_end("deeper"), -ERANGE);
	ck_assert_int_eq(perfkit_region_end("deep"), -ERANGE);
	/* ...and the recorded ones after them. */
	for (int i = 0; i < PERFKIT_REGION_MAX_DEPTH; i++)
		ck_assert_int_eq(perfkit_region_end("deep"), 0);
	ck_assert_int_eq(perfkit_region_depth(), 0);
	ck_assert_int_eq(perfkit_region_end("deep"), -EINVAL);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(calls_of(s, "deep"), PERFKIT_REGION_MAX_DEPTH);
	ck_assert_ptr_null(find(s, "deeper"));
	ck_assert_int_eq(perfkit_region_snapshot_dropped(s, &dropped), 0);
	ck_assert_uint_eq(dropped, 2);
	/* Recursion: inclusive once, so it equals the exclusive sum. */
	ck_assert_uint_le(llabs((long long)entry_at(s, 0)->inclusive_ns -
				(long long)entry_at(s, 0)->exclusive_ns), 1);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

static void *too_many_names(void *arg)
{
	char name[32];
	int *rc = arg;

	for (int i = 0; i < PERFKIT_REGION_MAX_NAMES; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		if (perfkit_region_begin(name) != 0 || perfkit_region_end(name) != 0) {
			*rc = -1;
			return NULL;
		}
	}
	rc[0] = perfkit_region_begin("one-too-many");
	rc[1] = perfkit_region_end("one-too-many");
	rc[2] = perfkit_region_begin("n7"); /* known names still work */
	rc[3] = perfkit_region_end("n7");
	return NULL;
}

START_TEST(test_names_cap)
{
	struct perfkit_region_snapshot *s;
	pthread_t t;
	int rc[4] = { 1, 1, 1, 1 };

	setup();
	ck_assert_int_eq(pthread_create(&t, NULL, too_many_names, rc), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(rc[0], -ERANGE);
	ck_assert_int_eq(rc[1], -ERANGE);
	ck_assert_int_eq(rc[2], 0);
	ck_assert_int_eq(rc[3], 0);
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	ck_assert_uint_eq(count_of(s), PERFKIT_REGION_MAX_NAMES);
	ck_assert_uint_eq(calls_of(s, "n7"), 2);
	perfkit_region_snapshot_destroy(s);
	perfkit_region_reset(); /* drop the exited thread's names */
}
END_TEST

START_TEST(test_reset_clears_counts)
{
	struct perfkit_region_snapshot *s;
	uint64_t total = 1;

	setup();
	ck_assert_int_eq(perfkit_region_begin("r"), 0);
	ck_assert_int_eq(perfkit_region_end("r"), 0);
	ck_assert_int_eq(perfkit_region_begin("open"), 0);
	perfkit_region_reset();
	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	ck_assert_uint_eq(count_of(s), 0);
	ck_assert_int_eq(perfkit_region_snapshot_total(s, &total), 0);
	ck_assert_uint_eq(total, 0);
	perfkit_region_snapshot_destroy(s);

	ck_assert_int_eq(perfkit_region_depth(), 1); /* still open */
	ck_assert_int_eq(perfkit_region_begin("r"), 0);
	ck_assert_int_eq(perfkit_region_end("r"), 0);
	ck_assert_int_eq(perfkit_region_end("open"), 0);
	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	check_invariants(s);
	ck_assert_uint_eq(calls_of(s, "r"), 1);
	ck_assert_uint_eq(calls_of(s, "open"), 1);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

struct worker {
	int id, iterations;
	pthread_barrier_t *recorded, *release;
};

static void *record(void *arg)
{
	struct worker *w = arg;
	char own[32];

	snprintf(own, sizeof(own), "thread-%d", w->id);
	for (int i = 0; i < w->iterations; i++) {
		perfkit_region_begin("step");
		perfkit_region_begin("compute");
		perfkit_region_end("compute");
		perfkit_region_begin(own);
		perfkit_region_end(own);
		perfkit_region_end("step");
	}
	perfkit_region_begin("left-open"); /* discarded at exit */
	if (w->recorded) {
		pthread_barrier_wait(w->recorded);
		pthread_barrier_wait(w->release);
	}
	return NULL;
}

enum { NTHREADS = 4, ITER = 200 };

static void check_threads(const struct perfkit_region_snapshot *s)
{
	size_t threads = 0;

	check_invariants(s);
	ck_assert_uint_eq(count_of(s), 2 + NTHREADS);
	ck_assert_uint_eq(calls_of(s, "step"), NTHREADS * ITER);
	ck_assert_uint_eq(calls_of(s, "compute"), NTHREADS * ITER);
	ck_assert_uint_eq(find(s, "step")->threads, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		char own[32];

		snprintf(own, sizeof(own), "thread-%d", i);
		ck_assert_uint_eq(calls_of(s, own), ITER);
		ck_assert_uint_eq(find(s, own)->threads, 1);
	}
	ck_assert_ptr_null(find(s, "left-open"));
	ck_assert_int_eq(perfkit_region_snapshot_threads(s, &threads), 0);
	ck_assert_uint_eq(threads, NTHREADS);
}

/* Merged while the threads are alive, and again after they exited. */
START_TEST(test_threads_live_and_exited)
{
	pthread_barrier_t recorded, release;
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	struct perfkit_region_snapshot *s;

	setup();
	pthread_barrier_init(&recorded, NULL, NTHREADS + 1);
	pthread_barrier_init(&release, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ i, ITER, &recorded, &release };
		ck_assert_int_eq(pthread_create(&t[i], NULL, record, &w[i]), 0);
	}
	pthread_barrier_wait(&recorded);
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	check_threads(s);
	perfkit_region_snapshot_destroy(s);
	s = snap_of(PERFKIT_REGION_CALLING_THREAD); /* main recorded nothing */
	ck_assert_uint_eq(count_of(s), 0);
	perfkit_region_snapshot_destroy(s);
	pthread_barrier_wait(&release);
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);

	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	check_threads(s);
	perfkit_region_snapshot_destroy(s);
	pthread_barrier_destroy(&recorded);
	pthread_barrier_destroy(&release);

	perfkit_region_reset();
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	ck_assert_uint_eq(count_of(s), 0);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

/* Snapshots while threads record and exit: counts only ever grow, and the
 * final one has everything. */
START_TEST(test_snapshot_while_recording)
{
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	struct perfkit_region_snapshot *s;
	uint64_t prev = 0;

	setup();
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ i, ITER, NULL, NULL };
		ck_assert_int_eq(pthread_create(&t[i], NULL, record, &w[i]), 0);
	}
	for (int k = 0; k < 20; k++) {
		uint64_t c;

		s = snap_of(PERFKIT_REGION_ALL_THREADS);
		c = calls_of(s, "compute");
		ck_assert_uint_ge(c, prev);
		ck_assert_uint_le(c, NTHREADS * ITER);
		prev = c;
		perfkit_region_snapshot_destroy(s);
	}
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	check_threads(s);
	perfkit_region_snapshot_destroy(s);
	perfkit_region_reset();
}
END_TEST

#define ck_assert_near(a, b, tol)                                          \
	ck_assert_msg(fabs((a) - (b)) <= (tol), "%s = %.9g, expected %.9g +- %g", \
		      #a, (double)(a), (double)(b), (double)(tol))

/* The printed table, parsed back, says what the snapshot says. */
START_TEST(test_report_parses_back)
{
	struct perfkit_region_snapshot *s;
	char line[512], scope[32];
	unsigned long long calls_total = 0, sum_calls = 0, dropped = 9;
	size_t names = 0, threads = 0, rows = 0;
	double total_ms = -1, pct_sum = 0, excl_sum_ms = 0;
	uint64_t s_total = 0;
	FILE *f = tmpfile();

	setup();
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 5; i++) {
		perfkit_region_begin("write file");
		perfkit_region_begin("open");
		work();
		perfkit_region_end("open");
		perfkit_region_end("write file");
		perfkit_region_begin("generate data");
		work();
		perfkit_region_end("generate data");
	}
	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	ck_assert_int_eq(perfkit_region_snapshot_total(s, &s_total), 0);
	ck_assert_uint_gt(s_total, 0);
	ck_assert_int_eq(perfkit_region_snapshot_print(s, f), 0);
	rewind(f);

	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(sscanf(line, "# perfkit regions (%31[^)]): %zu names, %zu thread%*[s,] "
				"%llu calls, total %lf ms, clock %*s dropped %llu",
				scope, &names, &threads, &calls_total, &total_ms,
				&dropped), 6);
	ck_assert_str_eq(scope, "calling thread");
	ck_assert_uint_eq(names, 3);
	ck_assert_uint_eq(threads, 1);
	ck_assert_uint_eq(calls_total, 15);
	ck_assert_uint_eq(dropped, 0);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(line[0], '#');
	ck_assert_ptr_nonnull(strstr(line, "excl_ms"));

	while (fgets(line, sizeof(line), f)) {
		unsigned long long calls;
		double excl_ms, pct, incl_ms, excl_us, incl_us;
		const struct perfkit_region_entry *e;
		int off = 0;

		ck_assert_int_eq(sscanf(line, "%llu %lf %lf %lf %lf %lf %n", &calls,
					&excl_ms, &pct, &incl_ms, &excl_us, &incl_us,
					&off), 6);
		line[strcspn(line, "\n")] = '\0';
		e = entry_at(s, rows++); /* same order as the snapshot */
		ck_assert_str_eq(line + off, e->name);
		ck_assert_uint_eq(calls, e->calls);
		/* printed to the ns: ms with 6 decimals, us with 3 */
		ck_assert_near(excl_ms * 1e6, (double)e->exclusive_ns, 0.51);
		ck_assert_near(incl_ms * 1e6, (double)e->inclusive_ns, 0.51);
		ck_assert_near(excl_us * 1e3, (double)e->exclusive_ns / (double)calls, 0.51);
		ck_assert_near(incl_us * 1e3, (double)e->inclusive_ns / (double)calls, 0.51);
		ck_assert_near(pct, 100.0 * (double)e->exclusive_ns / (double)s_total, 0.0051);
		ck_assert(excl_ms <= incl_ms);
		sum_calls += calls;
		pct_sum += pct;
		excl_sum_ms += excl_ms;
	}
	ck_assert_uint_eq(rows, 3);
	ck_assert_uint_eq(sum_calls, 15);
	ck_assert_near(pct_sum, 100.0, 0.016);
	ck_assert_near(total_ms * 1e6, (double)s_total, 0.51);
	ck_assert_near(excl_sum_ms * 1e6, (double)s_total, 1.6);
	fclose(f);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_report_all_threads_and_errors)
{
	struct perfkit_region_snapshot *s;
	char line[512];
	FILE *f = tmpfile(), *full = fopen("/dev/full", "w");

	setup();
	ck_assert_ptr_nonnull(f);
	perfkit_region_begin("x");
	perfkit_region_end("x");
	ck_assert_int_eq(perfkit_region_report(f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_nonnull(strstr(line, "(all threads): 1 names, 1 thread,"));
	fclose(f);

	ck_assert_int_eq(perfkit_region_report(NULL), -EINVAL);
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	ck_assert_int_eq(perfkit_region_snapshot_print(s, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_print(NULL, stdout), -EINVAL);
	if (full) {
		ck_assert_int_eq(perfkit_region_snapshot_print(s, full), -EIO);
		ck_assert_int_eq(perfkit_region_report(full), -EIO);
		fclose(full);
	}
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_snapshot_bad_input)
{
	struct perfkit_region_snapshot *s = (void *)1;
	const struct perfkit_region_entry *e = NULL;
	size_t n;
	uint64_t u;

	setup();
	ck_assert_int_eq(perfkit_region_snapshot_new(PERFKIT_REGION_ALL_THREADS, NULL),
			 -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_new((enum perfkit_region_scope)7, &s),
			 -EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(perfkit_region_snapshot_new((enum perfkit_region_scope)-1, &s),
			 -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_count(NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_entry(NULL, 0, &e), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_total(NULL, &u), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_threads(NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_dropped(NULL, &u), -EINVAL);

	s = snap_of(PERFKIT_REGION_CALLING_THREAD);
	ck_assert_uint_eq(count_of(s), 0);
	ck_assert_int_eq(perfkit_region_snapshot_count(s, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_entry(s, 0, &e), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_entry(s, 0, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_total(s, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_threads(s, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_snapshot_dropped(s, NULL), -EINVAL);
	ck_assert_ptr_null(e);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

START_TEST(test_overhead_and_clock)
{
	struct perfkit_region_snapshot *s;
	enum perfkit_clock c = perfkit_region_clock();
	double ns = -1;

	setup();
	ck_assert(c == PERFKIT_CLOCK_TICKS || c == PERFKIT_CLOCK_MONOTONIC);
	ck_assert_int_eq(perfkit_region_overhead(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_region_begin("around"), 0);
	ck_assert_int_eq(perfkit_region_overhead(&ns), 0);
	ck_assert(isfinite(ns) && ns > 0);
	ck_assert_int_eq(perfkit_region_depth(), 1); /* own stack untouched */
	ck_assert_int_eq(perfkit_region_end("around"), 0);
	s = snap_of(PERFKIT_REGION_ALL_THREADS);
	ck_assert_uint_eq(count_of(s), 1); /* the probe's pairs are private */
	ck_assert_uint_eq(calls_of(s, "around"), 1);
	perfkit_region_snapshot_destroy(s);
}
END_TEST

static Suite *region_suite(void)
{
	Suite *s = suite_create("region");
	TCase *tc = tcase_create("region");

	tcase_add_test(tc, test_nesting_counts_and_times);
	tcase_add_test(tc, test_recursion);
	tcase_add_test(tc, test_names_by_content);
	tcase_add_test(tc, test_many_names_and_pointers);
	tcase_add_test(tc, test_mismatched_end);
	tcase_add_test(tc, test_bad_names);
	tcase_add_test(tc, test_depth_cap);
	tcase_add_test(tc, test_names_cap);
	tcase_add_test(tc, test_reset_clears_counts);
	tcase_add_test(tc, test_threads_live_and_exited);
	tcase_add_test(tc, test_snapshot_while_recording);
	tcase_add_test(tc, test_report_parses_back);
	tcase_add_test(tc, test_report_all_threads_and_errors);
	tcase_add_test(tc, test_snapshot_bad_input);
	tcase_add_test(tc, test_overhead_and_clock);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(region_suite)
