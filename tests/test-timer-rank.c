/* SPDX-License-Identifier: MIT */
/*
 * perfkit_stats_two_sample() (Mann-Whitney U, Hodges-Lehmann) and
 * perfkit_stats_holm() against values computed independently.
 *
 * Sources of the reference values:
 * - R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69, permeability
 *   constants): wilcox.test(x, y, alternative = "greater") gives W = 35,
 *   p-value = 0.1272; the two-sided exact p-value is twice that.
 * - Everything else was computed with Python 3.11 + numpy 1.24 by brute
 *   force, without the library's algorithms: the exact null distribution
 *   of U by enumerating all C(m+n, n) rank sets (itertools.combinations),
 *   every difference y_j - x_i formed and sorted for the Hodges-Lehmann
 *   median and the interval ends (R's rule k = qwilcox(0.025, m, n), at
 *   least 1), and for the normal approximation
 *   var = mn/12 ((N+1) - sum(t^3 - t)/(N(N-1))), z = (U - mn/2 -
 *   sign * 0.5)/sd, p = erfc(|z|/sqrt 2), k = floor(mn/2 - 1.96 sd).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_rank_hollander_wolfe)
{
	const double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64,
			     0.73, 1.46 };
	const double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct perfkit_stats_two_sample r;

	ck_assert_int_eq(perfkit_stats_two_sample(x, N_OF(x), y, N_OF(y), &r), 0);
	ck_assert_uint_eq(r.nx, 10);
	ck_assert_uint_eq(r.ny, 5);
	ck_assert_int_eq(r.exact, 1);
	/* U of y = 50 - W(x) = 50 - 35 */
	ck_assert_close(r.u, 15, 0);
	ck_assert_close(r.p_value, 2 * 0.1272, 1e-4);
	ck_assert_close(r.p_value, 0.2544122544122544, 1e-13);
	ck_assert_close(r.shift, -0.30500000000000005, 1e-14);
	ck_assert_close(r.ci_low, -0.7599999999999999, 1e-14);
	ck_assert_close(r.ci_high, 0.15000000000000002, 1e-14);
	ck_assert_close(r.ci_coverage, 0.96003996003996006, 1e-13);

	/* Swapping the samples mirrors everything. */
	ck_assert_int_eq(perfkit_stats_two_sample(y, N_OF(y), x, N_OF(x), &r), 0);
	ck_assert_close(r.u, 35, 0);
	ck_assert_close(r.p_value, 0.2544122544122544, 1e-13);
	ck_assert_close(r.shift, 0.30500000000000005, 1e-14);
	ck_assert_close(r.ci_low, -0.15000000000000002, 1e-14);
	ck_assert_close(r.ci_high, 0.7599999999999999, 1e-14);
}
END_TEST

START_TEST(test_rank_ties_normal)
{
	const double x[] = { 1, 2, 2, 3, 4, 5 };
	const double y[] = { 3, 3, 4, 5, 6, 7, 8 };
	struct perfkit_stats_two_sample r;

	ck_assert_int_eq(perfkit_stats_two_sample(x, N_OF(x), y, N_OF(y), &r), 0);
	ck_assert_int_eq(r.exact, 0);
	ck_assert_close(r.u, 35, 0);
	ck_assert_close(r.p_value, 0.051488330847432637, 1e-12);
	ck_assert_close(r.shift, 2, 0);
	ck_assert_close(r.ci_low, 0, 0);
	ck_assert_close(r.ci_high, 5, 0);
	ck_assert_close(r.ci_coverage, 0.96352909922872521, 1e-12);
}
END_TEST

START_TEST(test_rank_tiny)
{
	/* n = 2 + 2: no interval reaches 95 %; the full range covers 2/3. */
	const double x[] = { 1, 2 }, y[] = { 3, 4 };
	struct perfkit_stats_two_sample r;

	ck_assert_int_eq(perfkit_stats_two_sample(x, 2, y, 2, &r), 0);
	ck_assert_int_eq(r.exact, 1);
	ck_assert_close(r.u, 4, 0);
	ck_assert_close(r.p_value, 1.0 / 3, 1e-14);
	ck_assert_close(r.shift, 2, 0);
	ck_assert_close(r.ci_low, 1, 0);
	ck_assert_close(r.ci_high, 3, 0);
	ck_assert_close(r.ci_coverage, 2.0 / 3, 1e-14);
}
END_TEST

/* numpy.random.default_rng(7): 60 draws of N(10, 1), then 55 of
 * N(10.5, 1), rounded to 6 decimals. */
static const double big_a[] = {
	10.00123, 10.298746, 9.725862, 9.109408, 9.545329, 9.008353,
	10.060144, 11.340215, 9.507793, 9.379525, 10.489842, 10.356887,
	10.105414, 9.069532, 9.970748, 10.695303, 8.655785, 9.542384,
	8.098777, 8.710462, 8.158265, 9.764909, 8.732554, 10.271264,
	10.156751, 9.813069, 7.48324, 9.461307, 9.951499, 10.113309,
	8.469864, 9.522247, 9.021481, 9.191163, 11.060899, 9.192465,
	9.967478, 10.88439, 9.4164, 9.888298, 10.110464, 10.063782,
	8.774944, 10.07614, 11.358823, 8.452855, 10.859383, 10.119354,
	9.35853, 12.000417, 10.76226, 8.800711, 10.074516, 10.57669,
	9.811218, 10.68291, 9.933483, 10.667248, 11.438523, 9.324338,
};
static const double big_b[] = {
	10.703139, 10.036692, 10.627268, 9.312805, 9.920698, 10.303804,
	11.398764, 11.645222, 9.176472, 9.705358, 11.146903, 8.50758,
	10.03683, 10.402713, 11.757015, 11.189404, 10.172787, 10.131424,
	10.249805, 12.023529, 10.071975, 10.19632, 10.852589, 10.37923,
	10.302716, 9.385933, 10.488479, 10.056419, 11.666128, 11.153089,
	10.475856, 11.168381, 10.16013, 11.552126, 10.4946, 11.083382,
	9.209107, 10.84668, 8.811796, 8.464671, 10.195523, 9.600072,
	10.664053, 12.744757, 9.668277, 9.876056, 10.705404, 10.993013,
	10.323594, 10.29407, 11.202463, 11.019908, 9.466324, 10.420819,
	10.535287,
};

START_TEST(test_rank_large_sample)
{
	struct perfkit_stats_two_sample r;

	ck_assert_int_eq(perfkit_stats_two_sample(big_a, N_OF(big_a), big_b,
						  N_OF(big_b), &r), 0);
	ck_assert_int_eq(r.exact, 0);
	ck_assert_close(r.u, 2326, 0);
	ck_assert_close(r.p_value, 0.0001555271644869774, 1e-9);
	ck_assert_close(r.shift, 0.6031260000000005, 1e-12);
	ck_assert_close(r.ci_low, 0.30308999999999919, 1e-12);
	ck_assert_close(r.ci_high, 0.94701099999999983, 1e-12);
	ck_assert_close(r.ci_coverage, 0.95093451380106597, 1e-9);
}
END_TEST

START_TEST(test_rank_exact_limits)
{
	/* 49 against 49, interleaved: U = 49·49/2 ± ..., p large; the
	 * exact distribution must sum to 1 (p <= 1) and be symmetric. */
	double x[49], y[49];
	struct perfkit_stats_two_sample r, s;

	for (int i = 0; i < 49; i++) {
		x[i] = 2 * i;
		y[i] = 2 * i + 1;
	}
	ck_assert_int_eq(perfkit_stats_two_sample(x, 49, y, 49, &r), 0);
	ck_assert_int_eq(perfkit_stats_two_sample(y, 49, x, 49, &s), 0);
	ck_assert_int_eq(r.exact, 1);
	ck_assert_close(r.p_value, s.p_value, 1e-12);
	ck_assert(r.p_value > 0.8 && r.p_value <= 1.0);
	ck_assert(r.ci_coverage >= 0.95 && r.ci_coverage < 0.96);
	ck_assert_close(r.shift, 1, 0);
	/* 50 values: the normal approximation takes over. */
	double x50[50], y50[50];
	for (int i = 0; i < 50; i++) {
		x50[i] = 2 * i;
		y50[i] = 2 * i + 1;
	}
	ck_assert_int_eq(perfkit_stats_two_sample(x50, 50, y50, 50, &r), 0);
	ck_assert_int_eq(r.exact, 0);
}
END_TEST

START_TEST(test_rank_all_equal_and_errors)
{
	const double x[] = { 5, 5, 5 }, y[] = { 5, 5 }, bad[] = { 1, NAN };
	struct perfkit_stats_two_sample r;

	ck_assert_int_eq(perfkit_stats_two_sample(x, 3, y, 2, &r), 0);
	ck_assert_close(r.p_value, 1, 0);
	ck_assert_close(r.shift, 0, 0);
	ck_assert_close(r.ci_low, 0, 0);
	ck_assert_close(r.ci_high, 0, 0);
	ck_assert_fails(perfkit_stats_two_sample(NULL, 3, y, 2, &r), -EINVAL, "x");
	ck_assert_fails(perfkit_stats_two_sample(x, 0, y, 2, &r), -EINVAL, "no values");
	ck_assert_fails(perfkit_stats_two_sample(x, 3, bad, 2, &r), -EINVAL,
			"y[1] is NaN");
	ck_assert_fails(perfkit_stats_two_sample(x, 3, y, 2, NULL), -EINVAL, "out");
}
END_TEST

START_TEST(test_holm)
{
	/* By hand: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06,
	 * 0.04·1 = 0.04 -> running max 0.06. */
	const double p[] = { 0.01, 0.04, 0.03, 0.005 };
	const double want[] = { 0.03, 0.06, 0.06, 0.02 };
	double adj[4], one = 0.7, big[] = { 0.5, 0.6, 0.9 };

	ck_assert_int_eq(perfkit_stats_holm(p, 4, adj), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_close(adj[i], want[i], 1e-15);
	ck_assert_int_eq(perfkit_stats_holm(&one, 1, &one), 0);
	ck_assert_close(one, 0.7, 0);
	/* capped at 1, in place */
	ck_assert_int_eq(perfkit_stats_holm(big, 3, big), 0);
	ck_assert_close(big[0], 1, 0);
	ck_assert_close(big[1], 1, 0);
	ck_assert_close(big[2], 1, 0);
	big[1] = 1.5;
	ck_assert_fails(perfkit_stats_holm(big, 3, adj), -EINVAL, "p[1]");
	ck_assert_fails(perfkit_stats_holm(p, 0, adj), -EINVAL, "no p-values");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("timer-rank");
	TCase *tc = tcase_create("rank");

	tcase_add_test(tc, test_rank_hollander_wolfe);
	tcase_add_test(tc, test_rank_ties_normal);
	tcase_add_test(tc, test_rank_tiny);
	tcase_add_test(tc, test_rank_large_sample);
	tcase_add_test(tc, test_rank_exact_limits);
	tcase_add_test(tc, test_rank_all_equal_and_errors);
	tcase_add_test(tc, test_holm);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
