/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Binomial(n, 1/2) coverage of [x_(l), x_(n+1-l)], summed term by term with
 * exact integers for small n: an independent check of the library's. */
static double coverage_small(unsigned n, unsigned l)
{
	double tail = 0.0, c = 1.0;

	for (unsigned i = 0; i < l; i++) {
		tail += c;
		c = c * (n - i) / (i + 1);
	}
	return 1.0 - 2.0 * tail / ldexp(1.0, (int)n);
}

START_TEST(test_stats_hand_checked)
{
	/* Unsorted on purpose: the library must sort a copy. */
	const double x[] = { 100, 3, 1, 4, 2 };
	double copy[N_OF(x)];
	struct perfkit_stats st;
	double sd = sqrt((21.0 * 21 + 20 * 20 + 19 * 19 + 18 * 18 + 78 * 78) / 4);

	memcpy(copy, x, sizeof(x));
	ck_assert_int_eq(perfkit_stats_compute(x, N_OF(x), &st), 0);
	ck_assert_mem_eq(x, copy, sizeof(x));
	ck_assert_uint_eq(st.n, 5);
	ck_assert_close(st.min, 1, 0);
	ck_assert_close(st.max, 100, 0);
	ck_assert_close(st.mean, 22, 1e-15);
	ck_assert_close(st.median, 3, 0);
	ck_assert_close(st.stddev, sd, 1e-14);
	/* |x - 3| = {97, 0, 2, 1, 1}: median 1 */
	ck_assert_close(st.mad, 1, 0);
	ck_assert_close(st.cv, sd / 22, 1e-14);
	/* n = 5 < 6: full range, covering 1 - 2/32 */
	ck_assert_close(st.ci_low, 1, 0);
	ck_assert_close(st.ci_high, 100, 0);
	ck_assert_close(st.ci_coverage, 1 - 2.0 / 32, 1e-15);
	/* z(100) = 0.6745 * 97 / 1 = 65.4; z(1) = 1.349 */
	ck_assert_uint_eq(st.outliers, 1);
}
END_TEST

START_TEST(test_stats_constant)
{
	const double x[] = { 7, 7, 7, 7, 7, 7, 7 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(x, N_OF(x), &st), 0);
	ck_assert_close(st.mean, 7, 0);
	ck_assert_close(st.median, 7, 0);
	ck_assert(st.stddev == 0.0);
	ck_assert(st.mad == 0.0);
	ck_assert(st.cv == 0.0);
	ck_assert(st.ci_low == 7.0 && st.ci_high == 7.0);
	ck_assert_close(st.ci_coverage, coverage_small(7, 1), 1e-15);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_stats_one_value)
{
	const double x[] = { 5.5 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(x, 1, &st), 0);
	ck_assert_uint_eq(st.n, 1);
	ck_assert(st.min == 5.5 && st.max == 5.5 && st.mean == 5.5);
	ck_assert(st.median == 5.5);
	ck_assert(isnan(st.stddev));
	ck_assert(isnan(st.cv));
	ck_assert(st.mad == 0.0);
	ck_assert(st.ci_low == 5.5 && st.ci_high == 5.5);
	ck_assert(st.ci_coverage == 0.0);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_stats_two_values)
{
	const double x[] = { 2, 1 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(x, 2, &st), 0);
	ck_assert_close(st.mean, 1.5, 0);
	ck_assert_close(st.median, 1.5, 0);
	ck_assert_close(st.stddev, sqrt(0.5), 1e-15);
	ck_assert_close(st.mad, 0.5, 0);
	ck_assert_close(st.cv, sqrt(0.5) / 1.5, 1e-15);
	ck_assert(st.ci_low == 1.0 && st.ci_high == 2.0);
	ck_assert_close(st.ci_coverage, 0.5, 0);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_stats_small_n_coverage)
{
	double x[8];
	struct perfkit_stats st;

	for (unsigned n = 1; n <= 8; n++) {
		x[n - 1] = n;
		ck_assert_int_eq(perfkit_stats_compute(x, n, &st), 0);
		/* up to n = 8 no l > 1 reaches 95 %: the full range */
		ck_assert(st.ci_low == 1.0 && st.ci_high == (double)n);
		ck_assert_close(st.ci_coverage, coverage_small(n, 1), 1e-15);
		if (n >= 6)
			ck_assert(st.ci_coverage >= PERFKIT_STATS_CI_LEVEL);
		else
			ck_assert(st.ci_coverage < PERFKIT_STATS_CI_LEVEL);
	}
}
END_TEST

START_TEST(test_stats_ten_values)
{
	const double x[] = { 7, 3, 10, 1, 5, 9, 2, 8, 4, 6 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(x, N_OF(x), &st), 0);
	ck_assert_close(st.median, 5.5, 0);
	ck_assert_close(st.mean, 5.5, 1e-15);
	/* |x - 5.5| = 0.5,0.5,1.5,1.5,2.5,2.5,...: median 2.5 */
	ck_assert_close(st.mad, 2.5, 0);
	/* P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024: ranks 2 and 9 */
	ck_assert_close(st.ci_low, 2, 0);
	ck_assert_close(st.ci_high, 9, 0);
	ck_assert_close(st.ci_coverage, 1 - 22.0 / 1024, 1e-15);
	ck_assert_close(st.ci_coverage, coverage_small(10, 2), 1e-15);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_stats_hundred_values)
{
	double x[100];
	struct perfkit_stats st;

	/* 1..100 in a scrambled order (37 is coprime with 100) */
	for (int i = 0; i < 100; i++)
		x[i] = (double)((i * 37) % 100 + 1);
	ck_assert_int_eq(perfkit_stats_compute(x, 100, &st), 0);
	ck_assert_close(st.median, 50.5, 0);
	/* the textbook ranks for n = 100 are 40 and 61 */
	ck_assert_close(st.ci_low, 40, 0);
	ck_assert_close(st.ci_high, 61, 0);
	ck_assert_close(st.ci_coverage, coverage_small(100, 40), 1e-12);
	ck_assert(st.ci_coverage >= 0.95 && coverage_small(100, 41) < 0.95);
}
END_TEST

START_TEST(test_stats_large_n_ci_is_valid)
{
	enum { N = 20001 };
	double *x = malloc(N * sizeof(*x));
	struct perfkit_stats st;
	double z;

	ck_assert_ptr_nonnull(x);
	for (int i = 0; i < N; i++)
		x[i] = (double)((i * 7919) % N);
	ck_assert_int_eq(perfkit_stats_compute(x, N, &st), 0);
	ck_assert_close(st.median, (N - 1) / 2.0, 0);
	ck_assert(st.ci_coverage >= 0.95 && st.ci_coverage < 0.96);
	/* normal approximation: half-width ≈ 1.96 sqrt(n)/2 ranks */
	z = (st.ci_high - st.ci_low) / 2 / (sqrt((double)N) / 2);
	ck_assert_close(z, 1.96, 0.02);
	ck_assert(st.ci_high - st.median == st.median - st.ci_low);
	free(x);
}
END_TEST

START_TEST(test_stats_outliers_mad_zero)
{
	const double spike[] = { 1, 1, 1, 1, 100 };
	const double step[] = { 5, 5, 5, 6 };
	struct perfkit_stats st;

	/* MAD 0: z = 99 / (1.253314 * 19.8) = 3.99 > 3.5 */
	ck_assert_int_eq(perfkit_stats_compute(spike, 5, &st), 0);
	ck_assert(st.mad == 0.0);
	ck_assert_uint_eq(st.outliers, 1);
	/* MAD 0: z = 1 / (1.253314 * 0.25) = 3.19 <= 3.5 */
	ck_assert_int_eq(perfkit_stats_compute(step, 4, &st), 0);
	ck_assert(st.mad == 0.0);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_stats_outlier_threshold)
{
	/* median 10, |x - 10| = {0,1,1,2,2,0,d}: MAD 1; z = 0.6745 d crosses
	 * 3.5 at d = 5.189 */
	double x[] = { 10, 9, 11, 8, 12, 10, 0 };
	struct perfkit_stats st;

	x[6] = 10 + 5.1;
	ck_assert_int_eq(perfkit_stats_compute(x, 7, &st), 0);
	ck_assert_close(st.median, 10, 0);
	ck_assert_close(st.mad, 1, 0);
	ck_assert_uint_eq(st.outliers, 0);
	x[6] = 10 + 5.3;
	ck_assert_int_eq(perfkit_stats_compute(x, 7, &st), 0);
	ck_assert_uint_eq(st.outliers, 1);
	x[6] = 10 - 5.3;
	ck_assert_int_eq(perfkit_stats_compute(x, 7, &st), 0);
	ck_assert_uint_eq(st.outliers, 1);
}
END_TEST

START_TEST(test_stats_huge_values)
{
	const double wide[] = { -1e308, 1e308 };
	const double high[] = { 1e308, 1e308, 1e308 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(wide, 2, &st), 0);
	ck_assert(st.mean == 0.0 && st.median == 0.0);
	ck_assert_close(st.stddev, sqrt(2.0) * 1e308, 1e-15);
	ck_assert_close(st.mad, 1e308, 1e-15);
	ck_assert(isnan(st.cv));
	ck_assert_int_eq(perfkit_stats_compute(high, 3, &st), 0);
	ck_assert_close(st.mean, 1e308, 1e-15);
	ck_assert(st.stddev == 0.0);
	ck_assert(isfinite(st.median));
}
END_TEST

START_TEST(test_stats_negative_values)
{
	const double x[] = { -3, -1, -2 };
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_compute(x, 3, &st), 0);
	ck_assert_close(st.mean, -2, 0);
	ck_assert_close(st.median, -2, 0);
	ck_assert_close(st.stddev, 1, 1e-15);
	ck_assert_close(st.cv, 0.5, 1e-15); /* stddev / |mean| */
}
END_TEST

START_TEST(test_stats_bad_input)
{
	const double ok[] = { 1, 2, 3 };
	double bad[] = { 1, 2, 3 };
	const double specials[] = { NAN, INFINITY, -INFINITY };
	struct perfkit_stats st;

	memset(&st, 0xab, sizeof(st));
	ck_assert_int_eq(perfkit_stats_compute(NULL, 3, &st), -EINVAL);
	ck_assert_int_eq(perfkit_stats_compute(ok, 0, &st), -EINVAL);
	ck_assert_int_eq(perfkit_stats_compute(ok, 3, NULL), -EINVAL);
	for (size_t i = 0; i < N_OF(specials); i++) {
		bad[1] = specials[i];
		perfkit_clear_error();
		ck_assert_int_eq(perfkit_stats_compute(bad, 3, &st), -EINVAL);
		ck_assert_str_ne(perfkit_last_error(), "");
	}
	/* untouched on failure */
	ck_assert_uint_eq(st.n, 0xababababababababull);
}
END_TEST

START_TEST(test_stats_struct_layout)
{
	/* The struct only grows at the end: pin what exists. */
	ck_assert_uint_eq(offsetof(struct perfkit_stats, n), 0);
	ck_assert_uint_eq(offsetof(struct perfkit_stats, min), 8);
	ck_assert_uint_eq(offsetof(struct perfkit_stats, median), 32);
	ck_assert_uint_eq(offsetof(struct perfkit_stats, ci_coverage), 80);
	ck_assert_uint_eq(offsetof(struct perfkit_stats, outliers), 88);
	ck_assert_uint_eq(sizeof(struct perfkit_stats), 96);
}
END_TEST

START_TEST(test_percentiles_numpy_linear)
{
	const double x[] = { 4, 100, 1, 3, 2 };
	const double p[] = { 0, 10, 25, 50, 75, 99, 100 };
	/* by hand: h = 4p/100; e.g. p10: h = 0.4, 1 + 0.4 * (2 - 1) */
	const double want[] = { 1, 1.4, 2, 3, 4, 4 + 0.96 * 96, 100 };
	double got[N_OF(p)], copy[N_OF(x)];

	memcpy(copy, x, sizeof(x));
	ck_assert_int_eq(perfkit_stats_percentiles(x, 5, p, N_OF(p), got), 0);
	ck_assert_mem_eq(x, copy, sizeof(x));
	for (size_t i = 0; i < N_OF(p); i++)
		ck_assert_close(got[i], want[i], 1e-14);
}
END_TEST

START_TEST(test_percentiles_even_n_and_median)
{
	const double x[] = { 40, 10, 30, 20 };
	const double p[] = { 33, 50 };
	double got[2];
	struct perfkit_stats st;

	ck_assert_int_eq(perfkit_stats_percentiles(x, 4, p, 2, got), 0);
	ck_assert_close(got[0], 10 + 0.99 * 10, 1e-14); /* h = 0.99 */
	ck_assert_close(got[1], 25, 0);
	ck_assert_int_eq(perfkit_stats_compute(x, 4, &st), 0);
	ck_assert(got[1] == st.median);
}
END_TEST

START_TEST(test_percentiles_one_value)
{
	const double x[] = { 42 };
	const double p[] = { 0, 37.5, 100 };
	double got[3];

	ck_assert_int_eq(perfkit_stats_percentiles(x, 1, p, 3, got), 0);
	for (int i = 0; i < 3; i++)
		ck_assert(got[i] == 42.0);
}
END_TEST

START_TEST(test_percentiles_bad_input)
{
	const double x[] = { 1, 2, 3 };
	const double nanx[] = { 1, NAN, 3 };
	const double badp[] = { -0.1, 100.1, NAN, INFINITY, -INFINITY };
	double p[1] = { 50 }, got[1] = { -7 };

	ck_assert_int_eq(perfkit_stats_percentiles(NULL, 3, p, 1, got), -EINVAL);
	ck_assert_int_eq(perfkit_stats_percentiles(x, 0, p, 1, got), -EINVAL);
	ck_assert_int_eq(perfkit_stats_percentiles(x, 3, NULL, 1, got), -EINVAL);
	ck_assert_int_eq(perfkit_stats_percentiles(x, 3, p, 0, got), -EINVAL);
	ck_assert_int_eq(perfkit_stats_percentiles(x, 3, p, 1, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_stats_percentiles(nanx, 3, p, 1, got), -EINVAL);
	for (size_t i = 0; i < N_OF(badp); i++) {
		p[0] = badp[i];
		ck_assert_int_eq(perfkit_stats_percentiles(x, 3, p, 1, got), -EINVAL);
	}
	ck_assert(got[0] == -7.0);
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *summary = tcase_create("summary");
	TCase *pct = tcase_create("percentiles");

	tcase_add_test(summary, test_stats_hand_checked);
	tcase_add_test(summary, test_stats_constant);
	tcase_add_test(summary, test_stats_one_value);
	tcase_add_test(summary, test_stats_two_values);
	tcase_add_test(summary, test_stats_small_n_coverage);
	tcase_add_test(summary, test_stats_ten_values);
	tcase_add_test(summary, test_stats_hundred_values);
	tcase_add_test(summary, test_stats_large_n_ci_is_valid);
	tcase_add_test(summary, test_stats_outliers_mad_zero);
	tcase_add_test(summary, test_stats_outlier_threshold);
	tcase_add_test(summary, test_stats_huge_values);
	tcase_add_test(summary, test_stats_negative_values);
	tcase_add_test(summary, test_stats_bad_input);
	tcase_add_test(summary, test_stats_struct_layout);
	suite_add_tcase(s, summary);
	tcase_add_test(pct, test_percentiles_numpy_linear);
	tcase_add_test(pct, test_percentiles_even_n_and_median);
	tcase_add_test(pct, test_percentiles_one_value);
	tcase_add_test(pct, test_percentiles_bad_input);
	suite_add_tcase(s, pct);
	return s;
}

PK_CHECK_MAIN(stats_suite)
