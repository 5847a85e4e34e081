/* SPDX-License-Identifier: MIT */
/*
 * The fits with honest intervals: Amdahl and Gustafson on times, the USL
 * with profile-likelihood intervals. Reference values were computed
 * independently of libperfkit with scipy 1.10 (least_squares with bounds,
 * brentq for the interval ends, stats.t for the quantile) by
 * tests/scaling-fit-reference.py, whose output is quoted beside each data
 * set. The library searches differently (grid, golden section and
 * Gauss–Newton; bounded Levenberg–Marquardt and bisection), so agreement
 * to 1e-7 says both found the same optimum and the same interval ends.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static const double REL = 1e-7;

static void assert_param(const struct perfkit_fit_param *got, double v,
			 double lo, double hi)
{
	ck_assert_close(got->value, v, REL);
	ck_assert_close(got->ci[0], lo, REL);
	ck_assert_close(got->ci[1], hi, REL);
	ck_assert(got->ci[0] <= got->value && got->value <= got->ci[1]);
}

/* A made-up strong-scaling sweep with two runs per worker count. scipy:
 * f = 0.103378409867 [0.0969500596197, 0.11005917091]
 * T1 = 10.0049603585 [9.78513618649, 10.2286585177], rse = 0.01913838866 */
START_TEST(test_amdahl_times_repeats)
{
	double p[] = { 1, 1, 2, 2, 4, 4, 8, 8, 16, 16 };
	double t[] = { 10.2, 9.9, 5.61, 5.43, 3.31, 3.2, 2.12, 2.19, 1.63, 1.57 };
	struct perfkit_fraction_fit fit;

	ck_assert_int_eq(perfkit_amdahl_fit_times(p, t, 10, &fit), 0);
	assert_param(&fit.f, 0.103378409867, 0.0969500596197, 0.11005917091);
	assert_param(&fit.t1, 10.0049603585, 9.78513618649, 10.2286585177);
	ck_assert_close(fit.rse, 0.01913838866, REL);
	ck_assert_uint_eq(fit.n, 10);
	ck_assert_close(fit.dof, 8, 0);
	ck_assert_uint_eq(fit.f.flags, 0);
	ck_assert_uint_eq(fit.t1.flags, 0);
}
END_TEST

/* Superlinear within the noise: f ends at its bound 0, and the interval
 * starts there. scipy: f = 8.7e-26 (0) [0, 0.00895236959156],
 * T1 = 7.97972505387 [7.7111517344, 8.18368784373]. */
START_TEST(test_amdahl_times_at_bound)
{
	double p[] = { 1, 2, 4, 8 }, t[] = { 8.0, 3.96, 2.02, 0.99 };
	struct perfkit_fraction_fit fit;

	ck_assert_int_eq(perfkit_amdahl_fit_times(p, t, 4, &fit), 0);
	ck_assert(fit.f.value == 0);
	ck_assert(fit.f.ci[0] == 0);
	ck_assert_close(fit.f.ci[1], 0.00895236959156, REL);
	ck_assert_uint_eq(fit.f.flags, PERFKIT_FIT_AT_LOWER | PERFKIT_FIT_CI_TO_LOWER);
	assert_param(&fit.t1, 7.97972505387, 7.7111517344, 8.18368784373);
}
END_TEST

/* Noiseless times come back exactly, with a zero-width interval. */
START_TEST(test_amdahl_times_noiseless)
{
	double p[] = { 1, 2, 4, 8, 16, 32 }, t[6];
	struct perfkit_fraction_fit fit;

	for (size_t i = 0; i < 6; i++)
		t[i] = 50 * (0.1 + 0.9 / p[i]);
	ck_assert_int_eq(perfkit_amdahl_fit_times(p, t, 6, &fit), 0);
	ck_assert_close(fit.f.value, 0.1, 1e-10);
	ck_assert_close(fit.t1.value, 50, 1e-10);
	ck_assert(fit.f.ci[1] - fit.f.ci[0] < 1e-9);
	ck_assert(fit.rse < 1e-9);
	/* f = 1: no speedup at all, the upper bound. */
	for (size_t i = 0; i < 6; i++)
		t[i] = 3;
	ck_assert_int_eq(perfkit_amdahl_fit_times(p, t, 6, &fit), 0);
	ck_assert_close(fit.f.value, 1, 1e-12);
	ck_assert(fit.f.flags & PERFKIT_FIT_AT_UPPER);
}
END_TEST

/* The CosmoFlow-like sample (examples/data/cosmoflow-cpu), mean epoch
 * time per rank count with epoch 0 dropped, as perfkit-scaling reads it:
 * weak scaling (80 samples per rank per epoch). scipy:
 * Gustafson f = 0.173899115045 [0, 0.399859976589], T1 = 180.761922857
 * [141.949323729, 224.880510232], rse = 0.106823061555 (a poor fit: the
 * epoch time grows with ranks, Gustafson's saturates);
 * Amdahl on the time per sample f = 0.00599768564063 [0.0051792901872,
 * 0.00684680701385], T1 = 2.35976163217 [2.31911444993, 2.4009922339]. */
static const double cf_ranks[] = { 1, 2, 4, 8, 16, 32, 64 };
static const double cf_times[] = { 190.9948, 191.31100000000001, 190.8382,
				   197.56299999999999, 203.31339999999997,
				   219.93400000000003, 263.62900000000002 };

START_TEST(test_cosmoflow_sample)
{
	struct perfkit_fraction_fit fit;
	double per[7];

	ck_assert_int_eq(perfkit_gustafson_fit_times(cf_ranks, cf_times, 7, &fit), 0);
	ck_assert_close(fit.f.value, 0.173899115045, 1e-6);
	ck_assert(fit.f.ci[0] == 0 && (fit.f.flags & PERFKIT_FIT_CI_TO_LOWER));
	ck_assert_close(fit.f.ci[1], 0.399859976589, REL);
	assert_param(&fit.t1, 180.761922857, 141.949323729, 224.880510232);
	ck_assert_close(fit.rse, 0.106823061555, REL);
	for (size_t i = 0; i < 7; i++)
		per[i] = cf_times[i] / (80 * cf_ranks[i]);
	ck_assert_int_eq(perfkit_amdahl_fit_times(cf_ranks, per, 7, &fit), 0);
	assert_param(&fit.f, 0.00599768564063, 0.0051792901872, 0.00684680701385);
	assert_param(&fit.t1, 2.35976163217, 2.31911444993, 2.4009922339);
}
END_TEST

START_TEST(test_fraction_refuses)
{
	/* Beyond the bounds but where the formulas still hold: f ≈ 1.5 and
	 * f ≈ −0.1 for Amdahl, f ≈ −1 and 1.1 for Gustafson. */
	double p[] = { 1, 2, 4, 8 }, slower[] = { 1, 1.26, 1.38, 1.43 };
	double faster[] = { 1, 0.45, 0.175, 0.0375 }, two[] = { 2, 2, 2 };
	double shrink[] = { 1, 0.67, 0.57, 0.53 };
	double bad[] = { 1, NAN, 4 };
	struct perfkit_fraction_fit fit = { .n = 42 };

	ck_assert_fails(perfkit_amdahl_fit_times(p, slower, 4, &fit), -EDOM,
			"the time grows as workers are added");
	ck_assert_fails(perfkit_amdahl_fit_times(p, faster, 4, &fit), -EDOM,
			"the time falls faster than 1/p");
	ck_assert_fails(perfkit_gustafson_fit_times(p, shrink, 4, &fit), -EDOM,
			"the time falls as workers are added");
	double steep[] = { 1, 2.2, 5.8, 26 };
	ck_assert_fails(perfkit_gustafson_fit_times(p, steep, 4, &fit), -EDOM,
			"grows faster than the worker count");
	ck_assert_fails(perfkit_amdahl_fit_times(two, slower, 3, &fit), -EDOM,
			"2 distinct worker counts");
	ck_assert_fails(perfkit_amdahl_fit_times(p, slower, 2, &fit), -EDOM,
			"at least 3 runs");
	ck_assert_int_eq(perfkit_amdahl_fit_times(NULL, slower, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit_times(p, NULL, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit_times(p, slower, 3, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit_times(bad, slower, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_fit_times(p, bad, 3, &fit), -EINVAL);
	ck_assert_uint_eq(fit.n, 42); /* untouched on failure */
}
END_TEST

/* Gustafson on exact weak-scaling times. */
START_TEST(test_gustafson_noiseless)
{
	double p[] = { 1, 2, 4, 8, 16 }, t[5], s;
	struct perfkit_fraction_fit fit;

	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(perfkit_gustafson_speedup(0.2, p[i], &s), 0);
		t[i] = 7 * p[i] / s; /* scaled speedup p T1 / T(p) */
	}
	ck_assert_int_eq(perfkit_gustafson_fit_times(p, t, 5, &fit), 0);
	ck_assert_close(fit.f.value, 0.2, 1e-10);
	ck_assert_close(fit.t1.value, 7, 1e-10);
}
END_TEST

/* Gunther's textbook example (α = β = 0.02, γ = 1, 4 places), as in
 * test-scaling-usl.c. scipy: α = 0.0200057613296 [0.0199945407547,
 * 0.0200169821404], β = 0.0199996652781 [0.0199988206993,
 * 0.0200005098448], γ = 1.00000512174 [0.999985738464, 1.00002450525]. */
START_TEST(test_usl_profile_gunther)
{
	const double n[] = { 1, 2, 4, 6, 8, 10 };
	const double x[] = { 1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557 };
	struct perfkit_usl_profile_fit f;

	ck_assert_int_eq(perfkit_usl_fit_profile(n, x, 6, &f), 0);
	assert_param(&f.alpha, 0.0200057613296, 0.0199945407547, 0.0200169821404);
	assert_param(&f.beta, 0.0199996652781, 0.0199988206993, 0.0200005098448);
	assert_param(&f.gamma, 1.00000512174, 0.999985738464, 1.00002450525);
	ck_assert(f.alpha.flags == 0 && f.beta.flags == 0 && f.gamma.flags == 0);
	ck_assert_close(f.fit.alpha, f.alpha.value, 0);
	ck_assert_close(f.fit.gamma, f.gamma.value, 0);
}
END_TEST

/* Coherency only (made up around α = 0, β = 0.01, γ = 100): α ends at its
 * bound. The Wald interval reaches below 0; the profile one starts at 0.
 * scipy: α = 4.7e-20 (0) [0, 0.0117866677213], β = 0.0102845971681
 * [0.00970427300547, 0.0108941372961], γ = 102.489751419
 * [99.3339649946, 107.025915349]. */
START_TEST(test_usl_profile_at_bound)
{
	const double n[] = { 1, 2, 4, 8, 16, 32 };
	const double x[] = { 100, 196, 365, 525, 470, 293 };
	struct perfkit_usl_profile_fit f;

	ck_assert_int_eq(perfkit_usl_fit_profile(n, x, 6, &f), 0);
	ck_assert(f.alpha.value == 0 && f.alpha.ci[0] == 0);
	ck_assert_close(f.alpha.ci[1], 0.0117866677213, REL);
	ck_assert_uint_eq(f.alpha.flags, PERFKIT_FIT_AT_LOWER | PERFKIT_FIT_CI_TO_LOWER);
	ck_assert(f.fit.alpha_ci[0] < 0); /* Wald ignores the bound */
	assert_param(&f.beta, 0.0102845971681, 0.00970427300547, 0.0108941372961);
	assert_param(&f.gamma, 102.489751419, 99.3339649946, 107.025915349);
}
END_TEST

START_TEST(test_usl_profile_bad_input)
{
	const double n[] = { 1, 2, 4, 8 }, x[] = { 1, 2, 3, 3.5 };
	struct perfkit_usl_profile_fit f;

	ck_assert_int_eq(perfkit_usl_fit_profile(n, x, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_usl_fit_profile(NULL, x, 4, &f), -EINVAL);
	ck_assert_int_eq(perfkit_usl_fit_profile(n, x, 3, &f), -EDOM);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("scaling-fits");
	TCase *tc = tcase_create("fits");

	tcase_add_test(tc, test_amdahl_times_repeats);
	tcase_add_test(tc, test_amdahl_times_at_bound);
	tcase_add_test(tc, test_amdahl_times_noiseless);
	tcase_add_test(tc, test_cosmoflow_sample);
	tcase_add_test(tc, test_fraction_refuses);
	tcase_add_test(tc, test_gustafson_noiseless);
	tcase_add_test(tc, test_usl_profile_gunther);
	tcase_add_test(tc, test_usl_profile_at_bound);
	tcase_add_test(tc, test_usl_profile_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
