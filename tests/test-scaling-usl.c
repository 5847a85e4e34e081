/* SPDX-License-Identifier: MIT */
/* The Universal Scalability Law fit, its intervals and predictions. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

/* Gunther's textbook example: α = β = 0.02, γ = 1, rounded to 4 places. */
static const double ref_n[] = { 1, 2, 4, 6, 8, 10 };
static const double ref_x[] = { 1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557 };

/* The model written out independently of the library. */
static double usl(double a, double b, double g, double n)
{
	return g * n / (1 + a * (n - 1) + b * n * (n - 1));
}

static double rss_at(const double *n, const double *x, size_t len,
		     double a, double b, double g)
{
	double s = 0;

	for (size_t i = 0; i < len; i++)
		s += pow(x[i] - usl(a, b, g, n[i]), 2);
	return s;
}

START_TEST(test_reference_data)
{
	struct perfkit_usl_fit f;

	ck_assert_int_eq(perfkit_usl_fit(ref_n, ref_x, 6, &f), 0);
	/* Three significant digits: 0.0200, 0.0200, 1.00. */
	ck_assert_msg(fabs(f.alpha - 0.02) < 5e-5, "alpha %.6g", f.alpha);
	ck_assert_msg(fabs(f.beta - 0.02) < 5e-5, "beta %.6g", f.beta);
	ck_assert_msg(fabs(f.gamma - 1.00) < 5e-3, "gamma %.6g", f.gamma);
	ck_assert_uint_eq(f.n, 6);
	ck_assert_close(f.dof, 3, 0);
	ck_assert_close(f.t975, 3.182446305, 1e-8);
	ck_assert(f.r2 > 0.999999 && f.r2 <= 1);
	/* The intervals are est ± t·se and hold the true values. */
	ck_assert_close(f.alpha_ci[0], f.alpha - f.t975 * f.alpha_se, 1e-12);
	ck_assert_close(f.beta_ci[1], f.beta + f.t975 * f.beta_se, 1e-12);
	ck_assert(f.alpha_ci[0] < 0.02 && 0.02 < f.alpha_ci[1]);
	ck_assert(f.beta_ci[0] < 0.02 && 0.02 < f.beta_ci[1]);
	ck_assert(f.gamma_ci[0] < 1.0 && 1.0 < f.gamma_ci[1]);
	/* Derived: N* = √(0.98/0.02) = 7; asymptote γ/α; 1/α. */
	ck_assert_close(f.peak_n, sqrt((1 - f.alpha) / f.beta), 1e-12);
	ck_assert_close(f.peak_n, 7, 1e-3);
	ck_assert_close(f.peak_x, usl(f.alpha, f.beta, f.gamma, f.peak_n), 1e-12);
	ck_assert_close(f.asymptote, f.gamma / f.alpha, 1e-12);
	ck_assert_close(f.inv_alpha, 1 / f.alpha, 1e-12);
}
END_TEST

/* Noiseless data from known parameters come back to 1e-6. */
START_TEST(test_recovers_known_parameters)
{
	static const double truth[][3] = {
		{ 0.02, 0.02, 1.0 }, { 0.05, 0.0003, 12.5 }, { 0.3, 0.001, 950 },
		{ 0.0, 0.0001, 2.0 }, { 0.08, 0.0, 40.0 }, { 0.0, 0.0, 3.0 },
		{ 0.001, 1e-5, 1e4 },
	};
	double n[64], x[64];

	for (size_t k = 0; k < sizeof(truth) / sizeof(truth[0]); k++) {
		struct perfkit_usl_fit f;
		const double *t = truth[k];

		for (size_t i = 0; i < 64; i++) {
			n[i] = (double)(i + 1);
			x[i] = usl(t[0], t[1], t[2], n[i]);
		}
		ck_assert_int_eq(perfkit_usl_fit(n, x, 64, &f), 0);
		ck_assert_msg(fabs(f.alpha - t[0]) < 1e-6 &&
				      fabs(f.beta - t[1]) < 1e-6 &&
				      fabs(f.gamma - t[2]) < 1e-6 * t[2],
			      "case %zu: got %.10g %.10g %.10g", k, f.alpha,
			      f.beta, f.gamma);
		ck_assert(f.rse < 1e-6 * t[2]);
	}
}
END_TEST

START_TEST(test_recovers_from_few_unsorted_points_with_repeats)
{
	double n[] = { 16, 1, 4, 2, 8, 4, 32 }, x[7];

	for (size_t i = 0; i < 7; i++)
		x[i] = usl(0.1, 0.002, 5, n[i]);
	struct perfkit_usl_fit f;

	ck_assert_int_eq(perfkit_usl_fit(n, x, 7, &f), 0);
	ck_assert_close(f.alpha, 0.1, 1e-6);
	ck_assert_close(f.beta, 0.002, 1e-6);
	ck_assert_close(f.gamma, 5, 1e-6);
	ck_assert_close(f.peak_n, sqrt(0.9 / 0.002), 1e-5);
}
END_TEST

/* β = 0: no peak; the asymptote is γ/α. */
START_TEST(test_no_peak_when_beta_zero)
{
	double n[] = { 1, 2, 4, 8, 16 }, x[5];
	struct perfkit_usl_fit f;

	for (size_t i = 0; i < 5; i++)
		x[i] = usl(0.1, 0, 2, n[i]);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), 0);
	ck_assert(f.beta < 1e-12);
	if (f.beta == 0) {
		ck_assert(isinf(f.peak_n));
		ck_assert_close(f.peak_x, 20, 1e-6);
	}
	ck_assert_close(f.asymptote, 20, 1e-6);
	ck_assert_close(f.inv_alpha, 10, 1e-6);
}
END_TEST

/* Noisy data: the fit is a true least-squares minimum (no nearby point
 * is better), and its summary figures match sums done here. */
START_TEST(test_noisy_fit_is_a_minimum)
{
	double n[] = { 1, 2, 3, 4, 6, 8, 12, 16 };
	static const double noise[] = { 0.03, -0.05, 0.04, -0.02,
					0.06, -0.04, 0.02, -0.03 };
	double x[8], mean = 0, tss = 0;
	struct perfkit_usl_fit f;

	for (size_t i = 0; i < 8; i++)
		x[i] = usl(0.05, 0.004, 2.0, n[i]) * (1 + noise[i]);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 8, &f), 0);
	double best = rss_at(n, x, 8, f.alpha, f.beta, f.gamma);

	for (int j = 0; j < 3; j++)
		for (int sgn = -1; sgn <= 1; sgn += 2) {
			double th[3] = { f.alpha, f.beta, f.gamma };

			th[j] *= 1 + sgn * 1e-4;
			th[j] += sgn * 1e-9;
			if (th[j] < 0)
				continue;
			ck_assert(rss_at(n, x, 8, th[0], th[1], th[2]) >= best);
		}
	ck_assert_close(f.rse, sqrt(best / 5), 1e-12);
	for (size_t i = 0; i < 8; i++)
		mean += x[i] / 8;
	for (size_t i = 0; i < 8; i++)
		tss += (x[i] - mean) * (x[i] - mean);
	ck_assert_close(f.r2, 1 - best / tss, 1e-12);
	ck_assert(f.r2 > 0.9 && f.r2 < 1);
	ck_assert_close(f.t975, 2.5705818366, 1e-8);
	ck_assert(f.alpha_se > 0 && f.beta_se > 0 && f.gamma_se > 0);
	ck_assert_close(f.alpha_se, sqrt(f.cov[0][0]), 1e-14);
	ck_assert_close(f.cov[0][1], f.cov[1][0], 1e-12);
}
END_TEST

START_TEST(test_predict_delta_method)
{
	double n[] = { 1, 2, 3, 4, 6, 8, 12, 16 };
	static const double noise[] = { 0.03, -0.05, 0.04, -0.02,
					0.06, -0.04, 0.02, -0.03 };
	double x[8], g[3], var = 0, h = 1e-7;
	struct perfkit_usl_fit f;
	struct perfkit_usl_prediction p;

	for (size_t i = 0; i < 8; i++)
		x[i] = usl(0.05, 0.004, 2.0, n[i]) * (1 + noise[i]);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 8, &f), 0);
	ck_assert_int_eq(perfkit_usl_predict(&f, 24, &p), 0);
	ck_assert_close(p.n_workers, 24, 0);
	ck_assert_close(p.throughput, usl(f.alpha, f.beta, f.gamma, 24), 1e-12);
	/* Gradient by central differences, independent of the library. */
	for (int j = 0; j < 3; j++) {
		double up[3] = { f.alpha, f.beta, f.gamma };
		double dn[3] = { f.alpha, f.beta, f.gamma };

		up[j] += h;
		dn[j] -= h;
		g[j] = (usl(up[0], up[1], up[2], 24) -
			usl(dn[0], dn[1], dn[2], 24)) / (2 * h);
	}
	for (int u = 0; u < 3; u++)
		for (int v = 0; v < 3; v++)
			var += g[u] * f.cov[u][v] * g[v];
	ck_assert_close(p.se, sqrt(var), 1e-5);
	ck_assert_close(p.ci[0], p.throughput - f.t975 * p.se, 1e-12);
	ck_assert_close(p.ci[1], p.throughput + f.t975 * p.se, 1e-12);
	ck_assert(p.se > 0);
}
END_TEST

START_TEST(test_eval)
{
	double x = 0;

	ck_assert_int_eq(perfkit_usl_eval(0.02, 0.02, 1, 2, &x), 0);
	ck_assert_close(x, 2 / 1.06, 1e-15);
	ck_assert_int_eq(perfkit_usl_eval(0, 0, 3, 5, &x), 0);
	ck_assert_close(x, 15, 1e-15);
	ck_assert_int_eq(perfkit_usl_eval(0, 0, 3, 5, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(-0.1, 0, 3, 5, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(0, -0.1, 3, 5, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(0, 0, 0, 5, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(NAN, 0, 1, 5, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(0, INFINITY, 1, 5, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(0, 0, 1, 0, &x), -EINVAL);
	ck_assert_int_eq(perfkit_usl_eval(0, 0, 1, NAN, &x), -EINVAL);
}
END_TEST

START_TEST(test_fit_bad_input)
{
	double n[] = { 1, 2, 4, 8, 16 }, x[] = { 1, 1.9, 3.5, 6, 9 };
	double same[] = { 4, 4, 4, 4, 4 }, two[] = { 1, 2, 1, 2, 2 };
	struct perfkit_usl_fit f;

	memset(&f, 0x5a, sizeof(f));
	ck_assert_int_eq(perfkit_usl_fit(NULL, x, 5, &f), -EINVAL);
	ck_assert_int_eq(perfkit_usl_fit(n, NULL, 5, &f), -EINVAL);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 0, &f), -EDOM);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 3, &f), -EDOM);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "at least 4"));
	ck_assert_int_eq(perfkit_usl_fit(same, x, 5, &f), -EDOM);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "distinct"));
	ck_assert_int_eq(perfkit_usl_fit(two, x, 5, &f), -EDOM);
	x[2] = 0;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	x[2] = -3.5;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	x[2] = NAN;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "throughput[2]"));
	x[2] = INFINITY;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	x[2] = 3.5;
	n[0] = 0;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	n[0] = -1;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	n[0] = NAN;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 5, &f), -EINVAL);
	/* the output is untouched on failure */
	ck_assert_uint_eq(((unsigned char *)&f)[0], 0x5a);
}
END_TEST

START_TEST(test_huge_values_fit)
{
	/* Scale invariance: throughputs near 1e12 fit like near 1. */
	double n[] = { 1, 2, 4, 6, 8, 10 }, x[6];
	struct perfkit_usl_fit f;

	for (size_t i = 0; i < 6; i++)
		x[i] = usl(0.02, 0.02, 1e12, n[i]);
	ck_assert_int_eq(perfkit_usl_fit(n, x, 6, &f), 0);
	ck_assert_close(f.alpha, 0.02, 1e-6);
	ck_assert_close(f.beta, 0.02, 1e-6);
	ck_assert_close(f.gamma, 1e12, 1e-6);
}
END_TEST

START_TEST(test_predict_bad_input)
{
	struct perfkit_usl_fit f, zero;
	struct perfkit_usl_prediction p;

	memset(&zero, 0, sizeof(zero));
	ck_assert_int_eq(perfkit_usl_fit(ref_n, ref_x, 6, &f), 0);
	ck_assert_int_eq(perfkit_usl_predict(NULL, 4, &p), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&f, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&f, 0, &p), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&f, -2, &p), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&f, NAN, &p), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&f, INFINITY, &p), -EINVAL);
	ck_assert_int_eq(perfkit_usl_predict(&zero, 4, &p), -EINVAL);
	f.alpha = NAN;
	ck_assert_int_eq(perfkit_usl_predict(&f, 4, &p), -EINVAL);
}
END_TEST

START_TEST(test_extreme_values_error_not_nan)
{
	double n[] = { 1, 2, 4, 8, 16 }, x[] = { 1e-300, 2e-300, 1e300, 1e-300, 1e300 };
	struct perfkit_usl_fit f;
	int rc = perfkit_usl_fit(n, x, 5, &f);

	/* Either an error, or a fit whose every figure is a number. */
	if (rc == 0)
		ck_assert(isfinite(f.alpha) && isfinite(f.beta) &&
			  isfinite(f.gamma) && isfinite(f.rse) &&
			  isfinite(f.alpha_se) && !isnan(f.peak_n));
	else
		ck_assert(rc == -ERANGE || rc == -EDOM);
}
END_TEST

START_TEST(test_noise_free_flops_scale)
{
	/* Noise-free Amdahl-shaped rates in flop/s once failed to converge;
	 * the fit must not depend on the unit of X. */
	double n[] = { 1, 2, 4, 8 };
	double x[] = { 307275018.31501865, 600258175.3130617,
		       1147160068.3761642, 2107028697.0174549 };
	double y[4];
	struct perfkit_usl_fit f, g;

	for (size_t i = 0; i < 4; i++)
		y[i] = x[i] / 1e9;
	ck_assert_int_eq(perfkit_usl_fit(n, x, 4, &f), 0);
	ck_assert_int_eq(perfkit_usl_fit(n, y, 4, &g), 0);
	ck_assert_close(f.alpha, g.alpha, 1e-9);
	ck_assert(fabs(f.beta - g.beta) <= 1e-9);
	ck_assert_close(f.gamma, g.gamma * 1e9, 1e-9);
	ck_assert(fabs(f.gamma_se - g.gamma_se * 1e9) <= 1e-6 * f.gamma + 1e-9);
	ck_assert(f.r2 > 0.999999);
}
END_TEST

static Suite *usl_suite(void)
{
	Suite *s = suite_create("scaling-usl");
	TCase *tc = tcase_create("usl");

	tcase_add_test(tc, test_reference_data);
	tcase_add_test(tc, test_recovers_known_parameters);
	tcase_add_test(tc, test_recovers_from_few_unsorted_points_with_repeats);
	tcase_add_test(tc, test_no_peak_when_beta_zero);
	tcase_add_test(tc, test_noisy_fit_is_a_minimum);
	tcase_add_test(tc, test_predict_delta_method);
	tcase_add_test(tc, test_eval);
	tcase_add_test(tc, test_fit_bad_input);
	tcase_add_test(tc, test_huge_values_fit);
	tcase_add_test(tc, test_predict_bad_input);
	tcase_add_test(tc, test_extreme_values_error_not_nan);
	tcase_add_test(tc, test_noise_free_flops_scale);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(usl_suite)
