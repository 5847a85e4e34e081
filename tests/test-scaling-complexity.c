/* SPDX-License-Identifier: MIT */
/*
 * perfkit_complexity_fit() against values computed independently with
 * Python 3.11 + numpy 1.24: for each fixed law, ln c = np.mean(ln t -
 * ln g(n)) with g from np.log2 and powers; the power law from
 * np.polyfit(np.log(n), np.log(t), 1); RSS of the log residuals; AICc =
 * m ln(RSS/m) + 2p + 2p(p+1)/(m-p-1); RMS = sqrt(np.mean((t - c g)**2)).
 * The data are exact laws times small made-up noise factors (listed).
 */
#include <errno.h>
#include <math.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* t = 3e-9 n² × {1.02, 0.99, 1.01, 0.98, 1.00, 1.03} */
START_TEST(test_complexity_n2)
{
	const double n[] = { 64, 128, 256, 512, 1024, 2048 };
	double t[N_OF(n)];
	const double f[] = { 1.02, 0.99, 1.01, 0.98, 1.00, 1.03 };
	struct perfkit_complexity_fit fit;

	for (size_t i = 0; i < N_OF(n); i++)
		t[i] = 3e-9 * n[i] * n[i] * f[i];
	ck_assert_int_eq(perfkit_complexity_fit(n, t, N_OF(n), &fit), 0);
	ck_assert_uint_eq(fit.n, 6);
	ck_assert_int_eq(fit.best.law, PERFKIT_COMPLEXITY_N2);
	ck_assert_str_eq(perfkit_complexity_name(fit.best.law), "O(n^2)");
	ck_assert_close(fit.best.coefficient / 1e-9, 3.0145645991886862, 1e-12);
	ck_assert_close(fit.best.exponent, 2, 0);
	ck_assert_close(fit.best.rms / 1e-4, 1.2956673253259983, 1e-10);
	ck_assert_close(fit.best.aicc, -45.896926841683424, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_1].coefficient / 1e-4,
			3.9512501114485898, 1e-12);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_LOG_N].aicc,
			12.265377367478992, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_N_LOG_N].coefficient / 1e-7,
			1.3111442638384923, 1e-12);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_N3].rms / 1e-2,
			2.4026200383413809, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_POWER].exponent,
			2.0020106570430669, 1e-12);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_POWER].coefficient / 1e-9,
			2.9790638816447024, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_POWER].aicc,
			-41.015759594337155, 1e-10);
}
END_TEST

/* t = 5e-8 n log2 n × {1.0, 1.01, 0.99, 1.02, 0.995} */
START_TEST(test_complexity_nlogn)
{
	const double n[] = { 1000, 2000, 4000, 8000, 16000 };
	const double f[] = { 1.0, 1.01, 0.99, 1.02, 0.995 };
	double t[N_OF(n)];
	struct perfkit_complexity_fit fit;

	for (size_t i = 0; i < N_OF(n); i++)
		t[i] = 5e-8 * n[i] * log2(n[i]) * f[i];
	ck_assert_int_eq(perfkit_complexity_fit(n, t, N_OF(n), &fit), 0);
	ck_assert_int_eq(fit.best.law, PERFKIT_COMPLEXITY_N_LOG_N);
	ck_assert_close(fit.best.coefficient / 1e-8, 5.0147116814682499, 1e-10);
	ck_assert_close(fit.best.rms / 1e-5, 5.7830600401094117, 1e-9);
	ck_assert_close(fit.best.aicc, -42.027144867770772, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_N].aicc,
			-17.881710280442064, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_POWER].exponent,
			1.1215133883028841, 1e-12);
}
END_TEST

/* t = 2e-6 × {1.0, 1.01, 0.99, 1.005}; 4 points: the power law's AICc
 * is finite (m − p − 1 = 1) but loses. */
START_TEST(test_complexity_constant)
{
	const double n[] = { 10, 100, 1000, 10000 };
	const double t[] = { 2e-6, 2.02e-6, 1.98e-6, 2.01e-6 };
	struct perfkit_complexity_fit fit;

	ck_assert_int_eq(perfkit_complexity_fit(n, t, N_OF(n), &fit), 0);
	ck_assert_int_eq(fit.best.law, PERFKIT_COMPLEXITY_1);
	ck_assert_close(fit.best.coefficient / 1e-6, 2.0024452618644537, 1e-12);
	ck_assert_close(fit.best.rms / 1e-8, 1.4790300749595285, 1e-9);
	ck_assert_close(fit.best.aicc, -35.252359460898305, 1e-10);
	ck_assert_close(fit.models[PERFKIT_COMPLEXITY_POWER].aicc,
			-23.275614990672338, 1e-10);
}
END_TEST

/* t = 1e-7 n^1.5 × {1.0, 1.01, 0.99, 1.0, 1.005, 0.995, 1.0}: no fixed
 * law fits, the power law does. */
START_TEST(test_complexity_power)
{
	const double n[] = { 100, 200, 400, 800, 1600, 3200, 6400 };
	const double f[] = { 1.0, 1.01, 0.99, 1.0, 1.005, 0.995, 1.0 };
	double t[N_OF(n)];
	struct perfkit_complexity_fit fit;

	for (size_t i = 0; i < N_OF(n); i++)
		t[i] = 1e-7 * pow(n[i], 1.5) * f[i];
	ck_assert_int_eq(perfkit_complexity_fit(n, t, N_OF(n), &fit), 0);
	ck_assert_int_eq(fit.best.law, PERFKIT_COMPLEXITY_POWER);
	ck_assert_close(fit.best.exponent, 1.4992329052386784, 1e-12);
	ck_assert_close(fit.best.coefficient / 1e-7, 1.005122950401204, 1e-10);
	ck_assert_close(fit.best.rms / 1e-5, 4.3394129958708818, 1e-8);
	ck_assert_close(fit.best.aicc, -64.904453439629194, 1e-10);
}
END_TEST

START_TEST(test_complexity_edges)
{
	const double n1[] = { 1, 2, 4, 8 }, t1[] = { 1, 2, 4, 8 };
	const double same[] = { 5, 5, 5 }, t3[] = { 1, 2, 3 };
	const double bad[] = { 1, -2, 3 };
	struct perfkit_complexity_fit fit;

	/* size 1: log2 1 = 0, the log laws cannot fit; exact O(n) wins */
	ck_assert_int_eq(perfkit_complexity_fit(n1, t1, 4, &fit), 0);
	ck_assert(isinf(fit.models[PERFKIT_COMPLEXITY_LOG_N].aicc));
	ck_assert(isinf(fit.models[PERFKIT_COMPLEXITY_N_LOG_N].aicc));
	ck_assert_int_eq(fit.best.law, PERFKIT_COMPLEXITY_N);
	ck_assert_close(fit.best.coefficient, 1, 1e-15);
	/* 3 points: no power law */
	ck_assert_int_eq(perfkit_complexity_fit(n1 + 1, t1 + 1, 3, &fit), 0);
	ck_assert(isinf(fit.models[PERFKIT_COMPLEXITY_POWER].aicc));
	ck_assert_fails(perfkit_complexity_fit(n1, t1, 2, &fit), -EINVAL,
			"at least 3");
	ck_assert_fails(perfkit_complexity_fit(same, t3, 3, &fit), -EINVAL,
			"at least 2 sizes");
	ck_assert_fails(perfkit_complexity_fit(n1, bad, 3, &fit), -EINVAL,
			"time[1]");
	ck_assert_fails(perfkit_complexity_fit(NULL, t3, 3, &fit), -EINVAL, "size");
	ck_assert_str_eq(perfkit_complexity_name(99), "O(?)");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("scaling-complexity");
	TCase *tc = tcase_create("complexity");

	tcase_add_test(tc, test_complexity_n2);
	tcase_add_test(tc, test_complexity_nlogn);
	tcase_add_test(tc, test_complexity_constant);
	tcase_add_test(tc, test_complexity_power);
	tcase_add_test(tc, test_complexity_edges);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
