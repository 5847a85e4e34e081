/* SPDX-License-Identifier: MIT */
/* A region profile as result records: written, read back and compared. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static struct perfkit_region_snapshot *profile(const char *outer, int n)
{
	struct perfkit_region_snapshot *s = NULL;

	perfkit_region_reset();
	for (int i = 0; i < n; i++) {
		perfkit_region_begin(outer);
		perfkit_region_begin("inner");
		perfkit_region_end("inner");
		perfkit_region_end(outer);
	}
	ck_assert_int_eq(perfkit_region_snapshot_new(PERFKIT_REGION_CALLING_THREAD, &s), 0);
	return s;
}

START_TEST(bad_input)
{
	struct perfkit_results *res;
	struct perfkit_region_snapshot *s = profile("outer", 1);
	char label[PERFKIT_RECORD_PARAM_VALUE_MAX + 2];

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_fails(perfkit_results_append_regions(NULL, s, "x"), -EINVAL, "res");
	ck_assert_fails(perfkit_results_append_regions(res, NULL, "x"), -EINVAL, "snap");
	memset(label, 'l', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	ck_assert_fails(perfkit_results_append_regions(res, s, label), -ERANGE, "label");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_region_snapshot_destroy(s);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(long_names_refused_whole)
{
	char name[PERFKIT_RECORD_NAME_MAX + 2];
	struct perfkit_results *res;
	struct perfkit_region_snapshot *s;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	s = profile(name, 1);
	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_fails(perfkit_results_append_regions(res, s, NULL), -ERANGE, "region name");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_region_snapshot_destroy(s);
	/* as a caller, the name must fit a parameter value (39 bytes) */
	name[PERFKIT_RECORD_PARAM_VALUE_MAX + 1] = '\0';
	s = profile(name, 1);
	ck_assert_fails(perfkit_results_append_regions(res, s, NULL), -ERANGE, "caller name");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_region_snapshot_destroy(s);
	perfkit_results_destroy(res);
}
END_TEST

static const char *extra(const struct perfkit_results *res, size_t i, const char *key)
{
	const char *k, *v;

	for (size_t j = 0; j < perfkit_results_extra_count(res, i); j++)
		if (perfkit_results_extra_get(res, i, j, &k, &v) == 0 && strcmp(k, key) == 0)
			return v;
	return NULL;
}

START_TEST(records_round_trip_and_compare)
{
	char path[] = "/tmp/pk-regions-XXXXXX.json";
	struct perfkit_results *res, *back;
	struct perfkit_comparison *cmp;
	struct perfkit_compare_options opt = PERFKIT_COMPARE_OPTIONS_INIT;
	const struct perfkit_record *rec;
	int fd = mkstemps(path, 5);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(perfkit_results_new(&res), 0);
	/* two profiles, each taken three times */
	for (int rep = 0; rep < 3; rep++) {
		struct perfkit_region_snapshot *a = profile("outer", 10), *b;

		ck_assert_int_eq(perfkit_results_append_regions(res, a, "a"), 0);
		perfkit_region_snapshot_destroy(a);
		b = profile("outer", 20);
		ck_assert_int_eq(perfkit_results_append_regions(res, b, "b"), 0);
		perfkit_region_snapshot_destroy(b);
	}
	/* per profile: 2 names, 2 edges (top>outer, outer>inner) */
	ck_assert_uint_eq(perfkit_results_count(res), 3 * 2 * 4);
	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 24);
	ck_assert_int_eq(perfkit_results_get(back, 0, &rec), 0);
	ck_assert_uint_eq(rec->repetitions, 10);
	ck_assert_str_eq(extra(back, 0, "kind"), "region");
	ck_assert_ptr_nonnull(extra(back, 0, "cumtime"));
	ck_assert_str_eq(extra(back, 2, "kind"), "edge");
	opt.group_key = "profile";
	opt.group_old = "a";
	opt.group_new = "b";
	ck_assert_int_eq(perfkit_results_compare(back, back, &opt, &cmp), 0);
	ck_assert_uint_eq(perfkit_comparison_count(cmp), 4);
	perfkit_comparison_destroy(cmp);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
	unlink(path);
}
END_TEST

static Suite *regions_suite(void)
{
	Suite *s = suite_create("results-regions");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, long_names_refused_whole);
	tcase_add_test(tc, records_round_trip_and_compare);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(regions_suite)
