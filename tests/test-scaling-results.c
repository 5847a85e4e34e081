/* SPDX-License-Identifier: MIT */
/* Scaling points from result sets: grouping, makespans, faulty records. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define FROM perfkit_scaling_points_from_results

/* One worker's record; times are dyadic so the sums below are exact. */
struct rec {
	const char *workers; /* parameter "workers"; NULL: none */
	double submit, start, end, collected, elapsed;
	double flops, bytes, items;
	int status;
};

static struct perfkit_results *make_set(const struct rec *r, size_t n)
{
	struct perfkit_results *res;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (size_t i = 0; i < n; i++) {
		struct perfkit_record rec;

		ck_assert_int_eq(perfkit_record_init(&rec), 0);
		ck_assert_int_eq(perfkit_record_set_name(&rec, "dgemm"), 0);
		if (r[i].workers)
			ck_assert_int_eq(perfkit_record_set_param(&rec, "workers",
								  r[i].workers), 0);
		rec.worker = (int32_t)i;
		rec.rank = (int32_t)(i % 3);
		rec.t_submit = r[i].submit;
		rec.t_start = r[i].start;
		rec.t_setup = r[i].start;
		rec.t_end = r[i].end;
		rec.t_collected = r[i].collected;
		rec.elapsed = r[i].elapsed;
		rec.flops = r[i].flops;
		rec.bytes = r[i].bytes;
		rec.items = r[i].items;
		rec.status = r[i].status;
		ck_assert_int_eq(perfkit_results_append(res, &rec), 0);
	}
	return res;
}

/* A weak sweep: 1, 2 and 4 workers, 1 GFLOP each, out of order. */
static const struct rec sweep[] = {
	{ "2", 10, 10.5, 12.5, 13, 2, 1e9, 4096, 8, 0 },
	{ "1", 0, 0.5, 2.5, 3, 2, 1e9, 4096, 8, 0 },
	{ "4", 20, 20.5, 22.5, 23.5, 2, 1e9, 4096, 8, 0 },
	{ "2", 10.25, 10.75, 13.25, 13.5, 2.5, 1e9, 4096, 8, 0 },
	{ "4", 20, 20.25, 22.25, 22.5, 2, 1e9, 4096, 8, 0 },
	{ "4", 20.125, 20.5, 23, 23.25, 2.5, 1e9, 4096, 8, 0 },
	{ "4", 20, 20.5, 22.75, 24, 2.25, 1e9, 4096, 8, 0 },
};

static void assert_error(int rc, int want, const char *needle)
{
	ck_assert_int_eq(rc, want);
	ck_assert_msg(strstr(perfkit_last_error(), needle),
		      "error '%s' lacks '%s'", perfkit_last_error(), needle);
}

START_TEST(test_makespan_and_throughput_exact)
{
	struct perfkit_results *res = make_set(sweep, N_OF(sweep));
	struct perfkit_scaling_point p[7];
	size_t n = 0;

	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 7, &n), 0);
	ck_assert_uint_eq(n, 3);
	/* increasing worker count; max t_collected - min t_submit */
	ck_assert(p[0].workers == 1 && p[1].workers == 2 && p[2].workers == 4);
	ck_assert_uint_eq(p[0].records, 1);
	ck_assert_uint_eq(p[1].records, 2);
	ck_assert_uint_eq(p[2].records, 4);
	ck_assert(p[0].makespan == 3.0);
	ck_assert(p[1].makespan == 3.5);
	ck_assert(p[2].makespan == 4.0);
	for (size_t i = 0; i < n; i++) {
		ck_assert(p[i].span == PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED);
		ck_assert(p[i].value == p[i].makespan);
		ck_assert_uint_eq(p[i].failed, 0);
	}
	ck_assert(p[1].elapsed_max == 2.5 && p[2].elapsed_max == 2.5);
	ck_assert(p[2].flops == 4e9 && p[2].bytes == 4 * 4096.0 && p[2].items == 32);

	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 7, &n), 0);
	ck_assert(p[0].value == 1e9 / 3.0);
	ck_assert(p[1].value == 2e9 / 3.5);
	ck_assert(p[2].value == 4e9 / 4.0);
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_BYTES, p, 7, &n), 0);
	ck_assert(p[2].value == 4 * 4096.0 / 4.0);
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_ITEMS, p, 7, &n), 0);
	ck_assert(p[1].value == 16 / 3.5);
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_ELAPSED_MAX, p, 7, &n), 0);
	ck_assert(p[0].value == 2.0 && p[1].value == 2.5 && p[2].value == 2.5);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_points_feed_the_tables)
{
	struct perfkit_results *res = make_set(sweep, N_OF(sweep));
	struct perfkit_scaling_point p[7];
	struct perfkit_scaling_weak_row w[3];
	struct perfkit_scaling_strong_row s[3];
	double workers[3], work[3], time[3];
	size_t n, nrows;

	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 7, &n), 0);
	for (size_t i = 0; i < n; i++) {
		workers[i] = p[i].workers;
		work[i] = p[i].flops;
		time[i] = p[i].value;
	}
	/* weak: every worker did 1 GFLOP; ideal is 4x the 1-worker rate */
	ck_assert_int_eq(perfkit_scaling_weak(workers, work, time, n, w, &nrows), 0);
	ck_assert_uint_eq(nrows, 3);
	ck_assert_close(w[2].throughput, 1e9, 1e-15);
	ck_assert_close(w[2].ideal, 4 * 1e9 / 3.0, 1e-15);
	ck_assert_close(w[2].efficiency, 0.75, 1e-15);
	/* the same makespans read as strong scaling */
	ck_assert_int_eq(perfkit_scaling_strong(workers, time, n, s, &nrows), 0);
	ck_assert_close(s[1].speedup, 3.0 / 3.5, 1e-15);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_span_fallbacks)
{
	struct rec r[N_OF(sweep)];
	struct perfkit_results *res;
	struct perfkit_scaling_point p[3];
	size_t n;

	/* one record without t_submit: every group falls back to start/end */
	memcpy(r, sweep, sizeof(r));
	r[3].submit = NAN;
	res = make_set(r, N_OF(r));
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 3, &n), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert(p[i].span == PERFKIT_SCALING_SPAN_START_END);
	ck_assert(p[0].makespan == 2.0);
	ck_assert(p[1].makespan == 2.75);  /* 13.25 - 10.5 */
	ck_assert(p[2].makespan == 2.75);  /* 23 - 20.25 */
	perfkit_results_destroy(res);

	/* and without t_end too: the slowest worker's elapsed */
	r[5].end = NAN;
	res = make_set(r, N_OF(r));
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 3, &n), 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert(p[i].span == PERFKIT_SCALING_SPAN_ELAPSED);
		ck_assert(p[i].makespan == p[i].elapsed_max);
	}
	ck_assert(p[1].value == 2e9 / 2.5);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_failed_records_skipped)
{
	struct rec r[N_OF(sweep) + 2];
	struct perfkit_results *res;
	struct perfkit_scaling_point p[3];
	size_t n;

	memcpy(r, sweep, sizeof(sweep));
	/* failed workers: garbage numbers that must not be looked at */
	r[7] = (struct rec){ "4", 0, NAN, NAN, 1e9, NAN, -1, NAN, INFINITY, -EIO };
	r[8] = (struct rec){ "2", -100, 0, 0, 100, 0, 5e9, 0, 0, -ETIMEDOUT };
	res = make_set(r, N_OF(r));
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 3, &n), 0);
	ck_assert_uint_eq(p[0].failed, 0);
	ck_assert_uint_eq(p[1].failed, 1);
	ck_assert_uint_eq(p[2].failed, 1);
	ck_assert_uint_eq(p[2].records, 4);
	ck_assert(p[1].value == 2e9 / 3.5);
	ck_assert(p[2].value == 4e9 / 4.0);
	ck_assert(p[2].span == PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED);
	perfkit_results_destroy(res);

	/* a group with no good record is an error naming it */
	r[0].status = r[3].status = -EIO;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 3, &n),
		     -EDOM, "workers = 2: all 3 record(s) failed");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_numeric_grouping_and_field_keys)
{
	static const struct rec r[] = {
		{ "10", 0, 0, 1, 2, 1, 1, 0, 0, 0 },
		{ "9", 0, 0, 1, 4, 1, 1, 0, 0, 0 },
		{ "9.0", 0, 0, 1, 8, 1, 1, 0, 0, 0 },
		{ "1e1", 0, 0, 1, 2, 1, 1, 0, 0, 0 },
	};
	struct perfkit_results *res = make_set(r, N_OF(r));
	struct perfkit_scaling_point p[4];
	size_t n;

	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(p[0].workers == 9 && p[0].records == 2 && p[0].makespan == 8);
	ck_assert(p[1].workers == 10 && p[1].records == 2);
	/* a field works as the key too; rank 0 is not a worker count */
	assert_error(FROM(res, "rank", PERFKIT_SCALING_MAKESPAN, p, 4, &n),
		     -EBADMSG, "record 0: rank = '0' is not a worker count");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_count_query_and_small_buffer)
{
	struct perfkit_results *res = make_set(sweep, N_OF(sweep));
	struct perfkit_scaling_point p[2];
	size_t n = 0;

	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	n = 0;
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 2, &n),
		     -ENOSPC, "3 worker counts, room for 2");
	ck_assert_uint_eq(n, 3);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_bad_group_values)
{
	static const char *const bad[] = {
		"abc", "0", "-2", "nan", "inf", "", " 4", "4x", "1e999",
	};
	struct perfkit_scaling_point p[8];
	size_t n;

	for (size_t i = 0; i < N_OF(bad); i++) {
		struct rec r[N_OF(sweep)];
		struct perfkit_results *res;
		char want[64];

		memcpy(r, sweep, sizeof(r));
		r[4].workers = bad[i];
		res = make_set(r, N_OF(r));
		snprintf(want, sizeof(want), "record 4: workers = '%s'", bad[i]);
		assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
			     -EBADMSG, want);
		perfkit_results_destroy(res);
	}
}
END_TEST

START_TEST(test_missing_key)
{
	struct rec r[N_OF(sweep)];
	struct perfkit_results *res = make_set(sweep, N_OF(sweep));
	struct perfkit_scaling_point p[8];
	size_t n;

	assert_error(FROM(res, "ranks", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -ENOENT, "no record has 'ranks'");
	perfkit_results_destroy(res);
	memcpy(r, sweep, sizeof(r));
	r[2].workers = NULL;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -ENOENT, "record 2 has no 'workers'");
	perfkit_results_destroy(res);
	r[2].workers = "4";
	r[0].workers = NULL;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -ENOENT, "record 0 has no 'workers' (record 1 has)");
	perfkit_results_destroy(res);
}
END_TEST

/* Set one number of record 1 of the sweep and expect -EBADMSG naming it. */
static void expect_bad_record(void (*spoil)(struct rec *), const char *needle)
{
	struct rec r[N_OF(sweep)];
	struct perfkit_results *res;
	struct perfkit_scaling_point p[8];
	size_t n;

	memcpy(r, sweep, sizeof(r));
	spoil(&r[1]);
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EBADMSG, needle);
	/* the count query checks records too */
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, NULL, 0, &n),
		     -EBADMSG, needle);
	perfkit_results_destroy(res);
}

static void nan_flops(struct rec *r) { r->flops = NAN; }
static void neg_bytes(struct rec *r) { r->bytes = -1; }
static void inf_items(struct rec *r) { r->items = INFINITY; }
static void nan_elapsed(struct rec *r) { r->elapsed = NAN; }
static void inf_submit(struct rec *r) { r->submit = -INFINITY; }
static void reversed(struct rec *r) { r->collected = r->submit - 1; }
static void reversed_run(struct rec *r) { r->end = r->start - 0.25; }

START_TEST(test_bad_record_numbers)
{
	expect_bad_record(nan_flops, "record 1: flops = nan must be finite");
	expect_bad_record(neg_bytes, "record 1: bytes = -1 must be finite and >= 0");
	expect_bad_record(inf_items, "record 1: items = inf");
	/* (a negative elapsed never reaches a set: perfkit_results_append()
	 * refuses it, tests/test-results-agree.c) */
	expect_bad_record(nan_elapsed, "record 1: elapsed = nan");
	expect_bad_record(inf_submit, "record 1: t_submit = -inf");
	expect_bad_record(reversed, "record 1: t_collected = -1 is before t_submit = 0");
	expect_bad_record(reversed_run, "record 1: t_end = 0.25 is before t_start = 0.5");
}
END_TEST

START_TEST(test_measure_not_positive)
{
	struct rec r[N_OF(sweep)];
	struct perfkit_results *res;
	struct perfkit_scaling_point p[8];
	size_t n;

	memcpy(r, sweep, sizeof(r));
	r[1].items = 0;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_ITEMS, p, 8, &n),
		     -EDOM, "workers = 1: no record counted items");
	perfkit_results_destroy(res);
	/* a zero makespan: one instant for submit and collect */
	r[1].submit = r[1].collected = 0;
	r[1].elapsed = 0;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EDOM, "workers = 1: makespan is 0");
	assert_error(FROM(res, "workers", PERFKIT_SCALING_ELAPSED_MAX, p, 8, &n),
		     -EDOM, "workers = 1: elapsed is 0");
	assert_error(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 8, &n),
		     -EDOM, "workers = 1: makespan is 0");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_huge_values)
{
	struct rec r[N_OF(sweep)];
	struct perfkit_results *res;
	struct perfkit_scaling_point p[8];
	size_t n;

	/* huge but representable: fine */
	memcpy(r, sweep, sizeof(r));
	for (size_t i = 0; i < N_OF(r); i++)
		r[i].flops = 1e300;
	res = make_set(r, N_OF(r));
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 8, &n), 0);
	ck_assert(p[2].flops == 4e300 && p[2].value == 1e300);
	perfkit_results_destroy(res);
	/* sums past DBL_MAX: said, not returned as inf */
	r[0].bytes = r[3].bytes = 1.5e308;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -ERANGE, "workers = 2: the sums or the makespan overflow");
	perfkit_results_destroy(res);
	/* a rate past DBL_MAX: a huge count over a tiny time */
	memcpy(r, sweep, sizeof(r));
	r[1].flops = 1e300;
	r[1].submit = r[1].start = 1;
	r[1].end = r[1].collected = 1 + 1e-9;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, p, 8, &n),
		     -ERANGE, "workers = 1: flops / makespan = 1e+300 / ");
	perfkit_results_destroy(res);
	memcpy(r, sweep, sizeof(r));
	r[0].submit = -1.5e308;
	r[3].collected = 1.5e308;
	res = make_set(r, N_OF(r));
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -ERANGE, "workers = 2: the sums or the makespan overflow");
	perfkit_results_destroy(res);
}
END_TEST

/* Field by field: the struct has padding that memcmp() would read. */
static int same_point(const struct perfkit_scaling_point *a,
		      const struct perfkit_scaling_point *b)
{
	return a->workers == b->workers && a->records == b->records &&
	       a->failed == b->failed && a->makespan == b->makespan &&
	       a->span == b->span && a->elapsed_max == b->elapsed_max &&
	       a->flops == b->flops && a->bytes == b->bytes &&
	       a->items == b->items && a->value == b->value;
}

/* The points of a set written to a file and read back are the same. */
START_TEST(test_file_round_trip)
{
	static const char *const ext[] = { "json", "csv", "jsonl" };
	struct perfkit_results *res = make_set(sweep, N_OF(sweep));
	struct perfkit_scaling_point a[3], b[3];
	char dir[] = "/tmp/pk-scaling-results-XXXXXX";
	size_t n, m;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(FROM(res, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, a, 3, &n), 0);
	for (size_t k = 0; k < N_OF(ext); k++) {
		struct perfkit_results *back;
		char path[64];

		snprintf(path, sizeof(path), "%s/sweep.%s", dir, ext[k]);
		ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
		ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), 0);
		ck_assert_int_eq(FROM(back, "workers", PERFKIT_SCALING_THROUGHPUT_FLOPS, b, 3, &m), 0);
		ck_assert_uint_eq(m, n);
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(same_point(&a[i], &b[i]),
				      "%s: point %zu differs", ext[k], i);
		perfkit_results_destroy(back);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct perfkit_results *res = make_set(sweep, N_OF(sweep)), *empty;
	struct perfkit_scaling_point p[8];
	size_t n = 42;

	assert_error(FROM(NULL, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EINVAL, "NULL");
	assert_error(FROM(res, NULL, PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EINVAL, "NULL");
	assert_error(FROM(res, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, NULL),
		     -EINVAL, "NULL");
	assert_error(FROM(res, "", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EINVAL, "empty group key");
	assert_error(FROM(res, "workers", (enum perfkit_scaling_measure)5, p, 8, &n),
		     -EINVAL, "unknown measure 5");
	assert_error(FROM(res, "workers", (enum perfkit_scaling_measure)-1, p, 8, &n),
		     -EINVAL, "unknown measure -1");
	ck_assert_uint_eq(n, 42);
	ck_assert_int_eq(perfkit_results_new(&empty), 0);
	assert_error(FROM(empty, "workers", PERFKIT_SCALING_MAKESPAN, p, 8, &n),
		     -EDOM, "no records");
	perfkit_results_destroy(empty);
	perfkit_results_destroy(res);
}
END_TEST

static Suite *scaling_results_suite(void)
{
	Suite *s = suite_create("scaling-results");
	TCase *good = tcase_create("points");
	TCase *bad = tcase_create("bad input");

	tcase_add_test(good, test_makespan_and_throughput_exact);
	tcase_add_test(good, test_points_feed_the_tables);
	tcase_add_test(good, test_span_fallbacks);
	tcase_add_test(good, test_failed_records_skipped);
	tcase_add_test(good, test_numeric_grouping_and_field_keys);
	tcase_add_test(good, test_count_query_and_small_buffer);
	tcase_add_test(good, test_file_round_trip);
	suite_add_tcase(s, good);

	tcase_add_test(bad, test_bad_group_values);
	tcase_add_test(bad, test_missing_key);
	tcase_add_test(bad, test_bad_record_numbers);
	tcase_add_test(bad, test_measure_not_positive);
	tcase_add_test(bad, test_huge_values);
	tcase_add_test(bad, test_bad_arguments);
	suite_add_tcase(s, bad);
	return s;
}

PK_CHECK_MAIN(scaling_results_suite)
