/* SPDX-License-Identifier: MIT */
/*
 * perfkit_results_compare(): matching, the figures, Holm and verdicts.
 *
 * Reference values, by hand: "b" new = 1.1 × old, old = 1.00, 1.01, ...,
 * 1.09 s. The ratios new_j/old_i = 1.1 x_j/x_i are symmetric around 1.1 on
 * the log scale, so the Hodges-Lehmann ratio is exactly 1.1; every new
 * value beats every old one, so U = 100 and the exact two-sided p-value is
 * 2/C(20, 10) = 2/184756. Identical samples give U = mn/2 and p = 1. Holm
 * over the two: 2 × 2/184756 and max(that, 1) = 1.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static void add(struct perfkit_results *res, const char *name, double per_rep,
		const char *k1, const char *v1, const char *k2, const char *v2)
{
	struct perfkit_record rec;

	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, name);
	rec.repetitions = 10;
	rec.elapsed = 10 * per_rep;
	rec.flops = 1e9;
	if (k1)
		ck_assert_int_eq(perfkit_record_set_param(&rec, k1, v1), 0);
	if (k2)
		ck_assert_int_eq(perfkit_record_set_param(&rec, k2, v2), 0);
	ck_assert_int_eq(perfkit_results_append(res, &rec), 0);
}

/* old and new sets: a equal, b 10 % slower, c one sample, d old only,
 * e new only; b's parameters given in another order on the new side. */
static void make_sets(struct perfkit_results **o, struct perfkit_results **n)
{
	ck_assert_int_eq(perfkit_results_new(o), 0);
	ck_assert_int_eq(perfkit_results_new(n), 0);
	for (int i = 0; i < 10; i++) {
		double t = 1.0 + 0.01 * i;

		add(*o, "a", t, NULL, NULL, NULL, NULL);
		add(*n, "a", t, NULL, NULL, NULL, NULL);
		add(*o, "b", t, "x", "1", "y", "2");
		add(*n, "b", 1.1 * t, "y", "2", "x", "1");
	}
	add(*o, "c", 1, NULL, NULL, NULL, NULL);
	add(*n, "c", 2, NULL, NULL, NULL, NULL);
	add(*o, "d", 1, NULL, NULL, NULL, NULL);
	add(*n, "e", 1, NULL, NULL, NULL, NULL);
}

START_TEST(test_compare_two_sets)
{
	struct perfkit_results *o, *n;
	struct perfkit_comparison *cmp;
	const struct perfkit_compare_row *r;
	size_t only_old, only_new;
	double p_b = 2.0 / 184756;

	make_sets(&o, &n);
	ck_assert_int_eq(perfkit_results_compare(o, n, NULL, &cmp), 0);
	ck_assert_uint_eq(perfkit_comparison_count(cmp), 3);
	ck_assert_int_eq(perfkit_comparison_unmatched(cmp, &only_old, &only_new), 0);
	ck_assert_uint_eq(only_old, 1);
	ck_assert_uint_eq(only_new, 1);

	ck_assert_int_eq(perfkit_comparison_get(cmp, 0, &r), 0);
	ck_assert_str_eq(r->name, "a");
	ck_assert_str_eq(r->params, "");
	ck_assert_uint_eq(r->n_old, 10);
	ck_assert_uint_eq(r->n_new, 10);
	ck_assert_close(r->median_old, 1.045, 1e-12);
	ck_assert_close(r->ratio, 1, 1e-12);
	ck_assert_close(r->p_value, 1, 1e-12);
	ck_assert_close(r->p_holm, 1, 1e-12);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_NO_DIFFERENCE);

	ck_assert_int_eq(perfkit_comparison_get(cmp, 1, &r), 0);
	ck_assert_str_eq(r->name, "b");
	ck_assert_str_eq(r->params, "x=1, y=2");
	ck_assert_close(r->median_old, 1.045, 1e-12);
	ck_assert_close(r->median_new, 1.1 * 1.045, 1e-12);
	ck_assert_close(r->ratio, 1.1, 1e-12);
	ck_assert(r->ratio_ci_low > 1 && r->ratio_ci_low < 1.1);
	ck_assert(r->ratio_ci_high > 1.1);
	ck_assert_int_eq(r->exact, 1);
	ck_assert_close(r->p_value, p_b, 1e-12);
	ck_assert_close(r->p_holm, 2 * p_b, 1e-12);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_SLOWER);
	ck_assert_str_eq(perfkit_compare_verdict_name(r->verdict), "slower");

	ck_assert_int_eq(perfkit_comparison_get(cmp, 2, &r), 0);
	ck_assert_str_eq(r->name, "c");
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_TOO_FEW);
	ck_assert(isnan(r->p_value) && isnan(r->ratio));
	ck_assert_close(r->median_new, 2, 0);
	ck_assert_fails(perfkit_comparison_get(cmp, 3, &r), -EINVAL, "row 3");
	perfkit_comparison_destroy(cmp);

	/* As a rate, b is slower too, with the inverse ratio. */
	struct perfkit_compare_options opt = PERFKIT_COMPARE_OPTIONS_INIT;
	opt.metric = PERFKIT_COMPARE_GFLOPS;
	ck_assert_int_eq(perfkit_results_compare(o, n, &opt, &cmp), 0);
	ck_assert_int_eq(perfkit_comparison_get(cmp, 1, &r), 0);
	ck_assert_close(r->ratio, 1 / 1.1, 1e-12);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_SLOWER);
	perfkit_comparison_destroy(cmp);

	/* The other way round b is faster. */
	ck_assert_int_eq(perfkit_results_compare(n, o, NULL, &cmp), 0);
	ck_assert_int_eq(perfkit_comparison_get(cmp, 1, &r), 0);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_FASTER);
	ck_assert_close(r->ratio, 1 / 1.1, 1e-12);
	perfkit_comparison_destroy(cmp);
	perfkit_results_destroy(o);
	perfkit_results_destroy(n);
}
END_TEST

START_TEST(test_compare_groups_and_output)
{
	struct perfkit_results *s, *out, *back;
	struct perfkit_comparison *cmp;
	const struct perfkit_compare_row *r;
	struct perfkit_compare_options opt;
	const char *key, *value;
	char *text;

	ck_assert_int_eq(perfkit_results_new(&s), 0);
	for (int i = 0; i < 10; i++) {
		double t = 1.0 + 0.01 * i;

		add(s, "k", t, "version", "v1", "n", "8");
		add(s, "k", 1.1 * t, "version", "v2", "n", "8");
	}
	ck_assert_int_eq(perfkit_compare_options_init(&opt), 0);
	opt.group_key = "version";
	opt.group_old = "v1";
	ck_assert_fails(perfkit_results_compare(s, s, &opt, &cmp), -EINVAL,
			"needs both");
	opt.group_new = "v2";
	ck_assert_int_eq(perfkit_results_compare(s, s, &opt, &cmp), 0);
	ck_assert_uint_eq(perfkit_comparison_count(cmp), 1);
	ck_assert_int_eq(perfkit_comparison_get(cmp, 0, &r), 0);
	ck_assert_str_eq(r->params, "n=8");
	ck_assert_close(r->ratio, 1.1, 1e-12);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_SLOWER);

	ck_assert_int_eq(perfkit_comparison_results(cmp, &out), 0);
	ck_assert_int_eq(perfkit_results_format(out, PERFKIT_FORMAT_JSON, &text,
						NULL), 0);
	ck_assert_int_eq(perfkit_results_parse(text, strlen(text),
					       PERFKIT_FORMAT_JSON, &back), 0);
	free(text);
	ck_assert_uint_eq(perfkit_results_count(back), 1);
	ck_assert_int_eq(perfkit_results_meta_get(back, "compare.metric", &value), 0);
	ck_assert_str_eq(value, "time");
	char buf[64];
	ck_assert_int_eq(perfkit_results_value(back, 0, "verdict", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "slower");
	ck_assert_int_eq(perfkit_results_value(back, 0, "n", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "8");
	ck_assert_int_eq(perfkit_results_value(back, 0, "version", buf, sizeof(buf)),
			 -ENOENT);
	ck_assert_int_eq(perfkit_results_extra_get(back, 0, 0, &key, &value), 0);
	ck_assert_str_eq(key, "n_old");
	ck_assert_str_eq(value, "10");
	perfkit_results_destroy(back);
	perfkit_results_destroy(out);
	perfkit_comparison_destroy(cmp);
	perfkit_results_destroy(s);
}
END_TEST

START_TEST(test_compare_errors)
{
	struct perfkit_results *o, *n;
	struct perfkit_comparison *cmp = NULL;
	struct perfkit_compare_options opt = PERFKIT_COMPARE_OPTIONS_INIT;
	struct perfkit_record rec;

	ck_assert_int_eq(perfkit_results_new(&o), 0);
	ck_assert_int_eq(perfkit_results_new(&n), 0);
	add(o, "a", 1, NULL, NULL, NULL, NULL);
	add(n, "b", 1, NULL, NULL, NULL, NULL);
	ck_assert_fails(perfkit_results_compare(o, n, NULL, &cmp), -ENOENT,
			"no benchmark is in both sets");
	ck_assert_ptr_null(cmp);
	ck_assert_fails(perfkit_results_compare(NULL, n, NULL, &cmp), -EINVAL,
			"old_set");
	opt.alpha = 0;
	ck_assert_fails(perfkit_results_compare(o, n, &opt, &cmp), -EINVAL, "alpha");
	opt.alpha = 0.05;
	opt.metric = 99;
	ck_assert_fails(perfkit_results_compare(o, n, &opt, &cmp), -EINVAL, "metric");

	/* failed and unusable records are skipped and counted */
	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, "a");
	rec.status = -EIO;
	rec.elapsed = 1;
	ck_assert_int_eq(perfkit_results_append(n, &rec), 0);
	rec.status = 0;
	rec.elapsed = NAN;
	ck_assert_int_eq(perfkit_results_append(n, &rec), 0);
	add(n, "a", 1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(perfkit_results_compare(o, n, NULL, &cmp), 0);
	const struct perfkit_compare_row *r;
	ck_assert_int_eq(perfkit_comparison_get(cmp, 0, &r), 0);
	ck_assert_uint_eq(r->skipped, 2);
	ck_assert_uint_eq(r->n_new, 1);
	ck_assert_int_eq(r->verdict, PERFKIT_VERDICT_TOO_FEW);
	perfkit_comparison_destroy(cmp);
	perfkit_comparison_destroy(NULL);
	ck_assert_str_eq(perfkit_compare_metric_name(PERFKIT_COMPARE_GBPS, NULL), "gbps");
	ck_assert_ptr_null(perfkit_compare_metric_name(77, NULL));
	perfkit_results_destroy(o);
	perfkit_results_destroy(n);
}
END_TEST

/* Rows keep the old set's order, with their own names (the rows are
 * sorted after they are filled). */
START_TEST(test_compare_order)
{
	struct perfkit_results *o, *n;
	struct perfkit_comparison *cmp;
	const struct perfkit_compare_row *r;

	ck_assert_int_eq(perfkit_results_new(&o), 0);
	ck_assert_int_eq(perfkit_results_new(&n), 0);
	for (int i = 0; i < 3; i++) {
		add(o, "zeta", 1 + i, NULL, NULL, NULL, NULL);
		add(o, "alpha", 10 + i, NULL, NULL, NULL, NULL);
		add(n, "alpha", 10 + i, NULL, NULL, NULL, NULL);
		add(n, "zeta", 1 + i, NULL, NULL, NULL, NULL);
	}
	ck_assert_int_eq(perfkit_results_compare(o, n, NULL, &cmp), 0);
	ck_assert_int_eq(perfkit_comparison_get(cmp, 0, &r), 0);
	ck_assert_str_eq(r->name, "zeta");
	ck_assert_close(r->median_old, 2, 1e-15);
	ck_assert_int_eq(perfkit_comparison_get(cmp, 1, &r), 0);
	ck_assert_str_eq(r->name, "alpha");
	ck_assert_close(r->median_old, 11, 1e-15);
	perfkit_comparison_destroy(cmp);
	perfkit_results_destroy(o);
	perfkit_results_destroy(n);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("results-compare");
	TCase *tc = tcase_create("compare");

	tcase_add_test(tc, test_compare_two_sets);
	tcase_add_test(tc, test_compare_groups_and_output);
	tcase_add_test(tc, test_compare_errors);
	tcase_add_test(tc, test_compare_order);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
