/* SPDX-License-Identifier: MIT */
/* Google Benchmark and hyperfine JSON read into result sets: the mapping,
 * aggregates skipped, exit codes, errors naming the JSON path, line and
 * column, and the .json files told apart by content. Files made by the
 * real tools are read in tests/test-perfkit-compare.py. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static const char gb[] =
	"{\n"
	"  \"context\": {\"date\": \"2026-01-02T03:04:05+00:00\", \"host_name\": \"h1\",\n"
	"              \"num_cpus\": 2, \"caches\": []},\n"
	"  \"benchmarks\": [\n"
	"    {\"name\": \"BM_a/8\", \"run_name\": \"BM_a/8\", \"run_type\": \"iteration\",\n"
	"     \"repetitions\": 2, \"repetition_index\": 0, \"threads\": 1,\n"
	"     \"iterations\": 1000, \"real_time\": 2.5, \"cpu_time\": 2.0,\n"
	"     \"time_unit\": \"us\", \"items_per_second\": 4000000},\n"
	"    {\"name\": \"BM_a/8\", \"run_name\": \"BM_a/8\", \"run_type\": \"iteration\",\n"
	"     \"repetitions\": 2, \"repetition_index\": 1, \"threads\": 1,\n"
	"     \"iterations\": 1000, \"real_time\": 3, \"cpu_time\": 2.5,\n"
	"     \"time_unit\": \"us\"},\n"
	"    {\"name\": \"BM_a/8_mean\", \"run_name\": \"BM_a/8\", \"run_type\": \"aggregate\",\n"
	"     \"aggregate_name\": \"mean\", \"iterations\": 2, \"real_time\": 2.75,\n"
	"     \"cpu_time\": 2.25, \"time_unit\": \"us\"}\n"
	"  ]\n"
	"}\n";

static const char hf[] =
	"{\"results\": [\n"
	" {\"command\": \"sleep 0.1\", \"mean\": 0.1, \"times\": [0.1, 0.2, 0.3],\n"
	"  \"exit_codes\": [0, 1, null], \"parameters\": {\"n\": \"1\"}}\n"
	"]}\n";

START_TEST(test_gbench_mapping)
{
	struct perfkit_results *res;
	const struct perfkit_record *r;
	const char *v;
	char buf[64];

	ck_assert_int_eq(perfkit_results_parse(gb, sizeof(gb) - 1,
					       PERFKIT_FORMAT_GBENCH, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
	ck_assert_str_eq(r->name, "BM_a/8");
	ck_assert_str_eq(r->host, "h1");
	ck_assert_uint_eq(r->repetitions, 1000);
	ck_assert_close(r->elapsed, 2.5e-3, 1e-15);
	/* 4e6 items/s over 1000 × 2 us of CPU time */
	ck_assert_close(r->items, 8000, 1e-12);
	ck_assert_int_eq(perfkit_record_get_param(r, "threads", &v), 0);
	ck_assert_str_eq(v, "1");
	ck_assert_int_eq(perfkit_results_value(res, 1, "cpu_time", buf, sizeof(buf)), 0);
	ck_assert_close(strtod(buf, NULL), 2.5e-3, 1e-15);
	ck_assert_int_eq(perfkit_results_value(res, 1, "repetition_index", buf,
					       sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1");
	ck_assert_int_eq(perfkit_results_meta_get(res, "date", &v), 0);
	ck_assert_str_eq(v, "2026-01-02T03:04:05+00:00");
	ck_assert_int_eq(perfkit_results_meta_get(res, "gbench.num_cpus", &v), 0);
	ck_assert_str_eq(v, "2");
	ck_assert_int_eq(perfkit_results_meta_get(res, "source.format", &v), 0);
	ck_assert_str_eq(v, "google-benchmark");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_hyperfine_mapping)
{
	struct perfkit_results *res;
	const struct perfkit_record *r;
	const char *v;
	char buf[32];

	ck_assert_int_eq(perfkit_results_parse(hf, sizeof(hf) - 1,
					       PERFKIT_FORMAT_HYPERFINE, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(perfkit_results_get(res, i, &r), 0);
		ck_assert_str_eq(r->name, "sleep 0.1");
		ck_assert_uint_eq(r->repetitions, 1);
		ck_assert_close(r->elapsed, 0.1 * (double)(i + 1), 1e-15);
		ck_assert_int_eq(r->status, i ? -EIO : 0);
		ck_assert_int_eq(perfkit_record_get_param(r, "n", &v), 0);
		ck_assert_str_eq(v, "1");
	}
	ck_assert_int_eq(perfkit_results_value(res, 1, "exit_code", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1");
	ck_assert_int_eq(perfkit_results_value(res, 2, "exit_code", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "signal");
	perfkit_results_destroy(res);
}
END_TEST

static void expect_bad(const char *text, enum perfkit_format f, const char *msg)
{
	struct perfkit_results *res = NULL;

	ck_assert_fails(perfkit_results_parse(text, strlen(text), f, &res),
			-EBADMSG, msg);
	ck_assert_ptr_null(res);
}

START_TEST(test_foreign_errors)
{
	expect_bad("{\"context\": {}}", PERFKIT_FORMAT_GBENCH,
		   "\"benchmarks\" is missing");
	expect_bad("[1]", PERFKIT_FORMAT_GBENCH, "expected an object at the top");
	expect_bad("{\"benchmarks\": [}", PERFKIT_FORMAT_GBENCH,
		   "Google Benchmark JSON: line 1, column 17");
	expect_bad("{\"benchmarks\": 3}", PERFKIT_FORMAT_GBENCH,
		   "line 1, column 16: benchmarks: expected an array");
	expect_bad("{\"benchmarks\": [{\"name\": \"a\", \"iterations\": 1,\n"
		   "  \"real_time\": \"fast\", \"cpu_time\": 1}]}",
		   PERFKIT_FORMAT_GBENCH,
		   "line 2, column 16: benchmarks[0].real_time: expected a "
		   "number, got a string");
	expect_bad("{\"benchmarks\": [{\"name\": \"a\", \"iterations\": 0,"
		   " \"real_time\": 1, \"cpu_time\": 1}]}", PERFKIT_FORMAT_GBENCH,
		   "benchmarks[0].iterations: 0 is not a whole number >= 1");
	expect_bad("{\"benchmarks\": [{\"name\": \"a\", \"iterations\": 1,"
		   " \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"h\"}]}",
		   PERFKIT_FORMAT_GBENCH, "benchmarks[0].time_unit: unknown unit");
	expect_bad("{\"benchmarks\": [{\"iterations\": 1}]}",
		   PERFKIT_FORMAT_GBENCH, "benchmarks[0]: \"name\" is missing");
	expect_bad("{\"results\": [{\"command\": \"x\", \"times\": [1, \"2\"]}]}",
		   PERFKIT_FORMAT_HYPERFINE,
		   "results[0].times: [1]: expected a number, got a string");
	expect_bad("{\"results\": [{\"command\": \"x\"}]}", PERFKIT_FORMAT_HYPERFINE,
		   "results[0]: \"times\" is missing");
	expect_bad("{\"results\": [{\"command\": \"x\", \"times\": [1],"
		   " \"parameters\": {\"name\": \"1\"}}]}", PERFKIT_FORMAT_HYPERFINE,
		   "results[0].parameters: parameter \"name\"");
	expect_bad("{\"results\": [{\"command\": \"x\", \"times\": [1, 2],"
		   " \"exit_codes\": [0]}]}", PERFKIT_FORMAT_HYPERFINE,
		   "results[0].exit_codes: 1 codes for more times");
	expect_bad("", PERFKIT_FORMAT_HYPERFINE, "empty input");
}
END_TEST

START_TEST(test_foreign_files)
{
	char dir[] = "/tmp/pk-foreign-XXXXXX", path[64];
	struct perfkit_results *res;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/gb.json", dir);
	f = fopen(path, "w");
	fputs(gb, f);
	fclose(f);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	/* read only */
	ck_assert_fails(perfkit_results_write(res, path, PERFKIT_FORMAT_GBENCH),
			-ENOTSUP, "only read");
	perfkit_results_destroy(res);
	f = fopen(path, "w");
	fputs(hf, f);
	fclose(f);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	perfkit_results_destroy(res);
	/* the file name leads the message */
	ck_assert_fails(perfkit_results_read(path, PERFKIT_FORMAT_GBENCH, &res),
			-EBADMSG, "gb.json: Google Benchmark JSON");
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("results-foreign");
	TCase *tc = tcase_create("foreign");

	tcase_add_test(tc, test_gbench_mapping);
	tcase_add_test(tc, test_hyperfine_mapping);
	tcase_add_test(tc, test_foreign_errors);
	tcase_add_test(tc, test_foreign_files);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
