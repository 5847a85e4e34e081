/* SPDX-License-Identifier: MIT */
/* Scaling laws, tables, cost, and the t quantile behind the intervals. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "scaling-private.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- t quantile and incomplete beta (private, reached through the
 * static library) ---- */

START_TEST(test_t_quantile_table)
{
	/* Values from printed t tables (4-5 significant digits). */
	static const struct { double p, dof, t; } tab[] = {
		{ 0.975, 1, 12.706 }, { 0.975, 2, 4.3027 }, { 0.975, 3, 3.1824 },
		{ 0.975, 5, 2.5706 }, { 0.975, 10, 2.2281 },
		{ 0.975, 30, 2.0423 }, { 0.995, 10, 3.1693 },
		{ 0.95, 20, 1.7247 }, { 0.9995, 4, 8.6103 },
		{ 0.975, 1e7, 1.95996 },
	};
	for (size_t i = 0; i < N_OF(tab); i++) {
		double q = 0;

		ck_assert_int_eq(pk_t_quantile(tab[i].p, tab[i].dof, &q), 0);
		ck_assert_msg(fabs(q - tab[i].t) <= 6e-5 * tab[i].t,
			      "t(%g, %g) = %.6f, table %.5f", tab[i].p,
			      tab[i].dof, q, tab[i].t);
	}
}
END_TEST

START_TEST(test_t_quantile_symmetry_and_cdf)
{
	double q = 1, lo = 0;

	ck_assert_int_eq(pk_t_quantile(0.5, 7, &q), 0);
	ck_assert(q == 0.0);
	ck_assert_int_eq(pk_t_quantile(0.975, 7.5, &q), 0);
	ck_assert_int_eq(pk_t_quantile(0.025, 7.5, &lo), 0);
	ck_assert_close(lo, -q, 1e-12);
	ck_assert_close(pk_t_cdf(q, 7.5), 0.975, 1e-12);
	/* dof = 1 is Cauchy: P(T <= 1) = 3/4. */
	ck_assert_close(pk_t_cdf(1.0, 1.0), 0.75, 1e-12);
}
END_TEST

START_TEST(test_incbeta_known_values)
{
	ck_assert_close(pk_incbeta(0.5, 3.5, 3.5), 0.5, 1e-13);
	ck_assert_close(pk_incbeta(0.3, 1, 1), 0.3, 1e-13);
	ck_assert_close(pk_incbeta(0.3, 2.5, 1), pow(0.3, 2.5), 1e-13);
	ck_assert_close(pk_incbeta(0.9, 1, 3), 1 - pow(0.1, 3), 1e-13);
	ck_assert(pk_incbeta(0, 2, 2) == 0.0);
	ck_assert(pk_incbeta(1, 2, 2) == 1.0);
}
END_TEST

START_TEST(test_t_quantile_bad_input)
{
	double q = 42;

	ck_assert_int_eq(pk_t_quantile(0.975, 5, NULL), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(0, 5, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(1, 5, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(NAN, 5, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(0.975, 0, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(0.975, -1, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(0.975, NAN, &q), -EINVAL);
	ck_assert_int_eq(pk_t_quantile(0.975, INFINITY, &q), -EINVAL);
	ck_assert(q == 42);
}
END_TEST

/* ---- laws ---- */

START_TEST(test_amdahl_speedup_values)
{
	double s;

	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, 4, &s), 0);
	ck_assert_close(s, 1.6, 1e-15); /* 1 / (0.5 + 0.5/4) */
	ck_assert_int_eq(perfkit_amdahl_speedup(0.0, 16, &s), 0);
	ck_assert_close(s, 16, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_speedup(1.0, 16, &s), 0);
	ck_assert_close(s, 1, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.1, 1, &s), 0);
	ck_assert_close(s, 1, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.1, 1e300, &s), 0);
	ck_assert_close(s, 10, 1e-12); /* the limit 1/f */
}
END_TEST

START_TEST(test_amdahl_limit)
{
	double l;

	ck_assert_int_eq(perfkit_amdahl_limit(0.25, &l), 0);
	ck_assert_close(l, 4, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_limit(1, &l), 0);
	ck_assert_close(l, 1, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_limit(0, &l), 0);
	ck_assert(isinf(l) && l > 0);
}
END_TEST

START_TEST(test_gustafson_values)
{
	double s, f;

	ck_assert_int_eq(perfkit_gustafson_speedup(0.25, 8, &s), 0);
	ck_assert_close(s, 6.25, 1e-15); /* 8 − 0.25·7 */
	ck_assert_int_eq(perfkit_gustafson_serial_fraction(6.25, 8, &f), 0);
	ck_assert_close(f, 0.25, 1e-15);
	ck_assert_int_eq(perfkit_gustafson_speedup(0, 8, &s), 0);
	ck_assert_close(s, 8, 1e-15);
	ck_assert_int_eq(perfkit_gustafson_speedup(1, 8, &s), 0);
	ck_assert_close(s, 1, 1e-15);
	/* superlinear: f < 0, reported as computed */
	ck_assert_int_eq(perfkit_gustafson_serial_fraction(9, 8, &f), 0);
	ck_assert_close(f, -1.0 / 7.0, 1e-15);
}
END_TEST

START_TEST(test_karp_flatt_recovers_f)
{
	static const double fs[] = { 0, 0.01, 0.1, 0.5, 1 };
	static const double ps[] = { 2, 3, 8, 64, 1000 };
	double e;

	ck_assert_int_eq(perfkit_karp_flatt(1.6, 4, &e), 0);
	ck_assert_close(e, 0.5, 1e-15); /* (1/1.6 − 1/4) / (3/4) */
	e = 0;
	ck_assert_int_eq(perfkit_amdahl_serial_fraction(1.6, 4, &e), 0);
	ck_assert_close(e, 0.5, 1e-15);
	ck_assert_int_eq(perfkit_amdahl_serial_fraction(1.6, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_serial_fraction(1.6, 1, &e), -EDOM);
	ck_assert_int_eq(perfkit_amdahl_serial_fraction(NAN, 4, &e), -EINVAL);
	for (size_t i = 0; i < N_OF(fs); i++)
		for (size_t j = 0; j < N_OF(ps); j++) {
			double s;

			ck_assert_int_eq(perfkit_amdahl_speedup(fs[i], ps[j], &s), 0);
			ck_assert_int_eq(perfkit_karp_flatt(s, ps[j], &e), 0);
			ck_assert_msg(fabs(e - fs[i]) < 1e-12,
				      "f %g p %g: e %.17g", fs[i], ps[j], e);
		}
}
END_TEST

START_TEST(test_laws_bad_input)
{
	double v = 42;

	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(-0.1, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(1.1, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(NAN, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, 0, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, -2, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, INFINITY, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_speedup(0.5, NAN, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_limit(0.5, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_limit(-1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_limit(NAN, &v), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_speedup(0.5, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_speedup(2, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_speedup(0.5, 0, &v), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_speedup(0.5, INFINITY, &v), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_serial_fraction(2, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_gustafson_serial_fraction(2, 1, &v), -EDOM);
	ck_assert_int_eq(perfkit_gustafson_serial_fraction(0, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(2, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(1, 1, &v), -EDOM);
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_karp_flatt(0, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(-2, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(NAN, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(INFINITY, 4, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(2, NAN, &v), -EINVAL);
	ck_assert_int_eq(perfkit_karp_flatt(2, 0, &v), -EINVAL);
	ck_assert(v == 42);
}
END_TEST

/* ---- Amdahl fit ---- */

START_TEST(test_amdahl_fit_noiseless)
{
	double p[] = { 1, 2, 4, 8, 16, 32 }, s[6];
	struct perfkit_amdahl_fit fit;

	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(perfkit_amdahl_speedup(0.1, p[i], &s[i]), 0);
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 6, &fit), 0);
	ck_assert_close(fit.f, 0.1, 1e-12);
	ck_assert(fit.f_se < 1e-12);
	ck_assert_close(fit.limit, 10, 1e-10);
	ck_assert_uint_eq(fit.n, 5); /* p = 1 skipped */
	ck_assert_close(fit.dof, 4, 0);
}
END_TEST

START_TEST(test_amdahl_fit_by_hand)
{
	/* Two points with y = 1/S − 1/p = 0.06 at x = 1 − 1/p = 1/2 and 3/4. */
	double p[] = { 2, 4 }, s[] = { 1 / 0.56, 1 / 0.31 };
	double f = (0.5 * 0.06 + 0.75 * 0.06) / (0.25 + 0.5625);
	double r1 = 0.06 - 0.5 * f, r2 = 0.06 - 0.75 * f;
	double se = sqrt(r1 * r1 + r2 * r2) / sqrt(0.8125);
	struct perfkit_amdahl_fit fit;

	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 2, &fit), 0);
	ck_assert_close(fit.f, f, 1e-12);
	ck_assert_close(fit.f_se, se, 1e-10);
	ck_assert_close(fit.dof, 1, 0);
	ck_assert_close(fit.f_ci[0], f - 12.7062047362 * se, 1e-9);
	ck_assert_close(fit.f_ci[1], f + 12.7062047362 * se, 1e-9);
	ck_assert_close(fit.limit, 1 / f, 1e-12);
}
END_TEST

START_TEST(test_amdahl_fit_bad_input)
{
	double p[] = { 1, 2, 4 }, s[] = { 1, 1.8, 3 };
	double bad[] = { 1, NAN, 4 };
	struct perfkit_amdahl_fit fit;

	ck_assert_int_eq(perfkit_amdahl_fit(NULL, s, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit(p, NULL, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 3, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 0, &fit), -EDOM);
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 2, &fit), -EDOM); /* one p≠1 */
	ck_assert_int_eq(perfkit_amdahl_fit(bad, s, 3, &fit), -EINVAL);
	ck_assert_int_eq(perfkit_amdahl_fit(p, bad, 3, &fit), -EINVAL);
	s[2] = 0;
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 3, &fit), -EINVAL);
	s[2] = -3;
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 3, &fit), -EINVAL);
	s[2] = INFINITY;
	ck_assert_int_eq(perfkit_amdahl_fit(p, s, 3, &fit), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
}
END_TEST

/* A fit outside [0, 1] is no Amdahl curve: refused with the reason, and
 * the struct is left alone. The worker sweep that slowed down as workers
 * were added (time 1, 2.2, 4.1 s on 1, 2, 4 workers) fitted f = 2.8. */
START_TEST(test_amdahl_fit_refuses_outside_model)
{
	double p[] = { 1, 2, 4 }, slower[] = { 1, 1 / 2.2, 1 / 4.1 };
	double superlinear[] = { 1, 2.5, 6 };
	struct perfkit_amdahl_fit fit = { .f = 42 };

	ck_assert_fails(perfkit_amdahl_fit(p, slower, 3, &fit), -EDOM,
			"the model does not fit these data");
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "falls as workers"));
	ck_assert(fit.f == 42);
	ck_assert_fails(perfkit_amdahl_fit(p, superlinear, 3, &fit), -EDOM,
			"outside [0, 1]");
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "faster than the worker"));
	ck_assert(fit.f == 42);
	/* Just inside: perfectly serial (f = 1) and perfectly parallel. */
	double flat[] = { 1, 1, 1 }, linear[] = { 1, 2, 4 };

	ck_assert_int_eq(perfkit_amdahl_fit(p, flat, 3, &fit), 0);
	ck_assert_close(fit.f, 1, 1e-12);
	ck_assert_int_eq(perfkit_amdahl_fit(p, linear, 3, &fit), 0);
	ck_assert_close(fit.f, 0, 1e-12);
}
END_TEST

/* ---- tables ---- */

START_TEST(test_strong_table_repeats_unsorted)
{
	/* f = 0.1, T(1) = 10: T(2) = 5.5 (as 5 and 6), T(4) = 3.25. */
	double p[] = { 4, 1, 2, 2 }, t[] = { 3.25, 10, 5, 6 };
	struct perfkit_scaling_strong_row rows[4];
	size_t n = 0;

	ck_assert_int_eq(perfkit_scaling_strong(p, t, 4, rows, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_close(rows[0].workers, 1, 0);
	ck_assert_close(rows[1].workers, 2, 0);
	ck_assert_close(rows[2].workers, 4, 0);
	ck_assert_uint_eq(rows[1].repeats, 2);
	ck_assert_close(rows[1].time, 5.5, 1e-15);
	ck_assert_close(rows[1].time_sd, sqrt(0.5), 1e-15);
	ck_assert_close(rows[1].time_min, 5, 0);
	ck_assert_close(rows[0].time_sd, 0, 0);
	ck_assert_close(rows[0].speedup, 1, 0);
	ck_assert_close(rows[0].efficiency, 1, 0);
	ck_assert(isnan(rows[0].karp_flatt));
	ck_assert_close(rows[1].speedup, 10 / 5.5, 1e-15);
	ck_assert_close(rows[1].efficiency, 10 / 5.5 / 2, 1e-15);
	ck_assert_close(rows[1].karp_flatt, 0.1, 1e-14);
	ck_assert_close(rows[2].speedup, 10 / 3.25, 1e-15);
	ck_assert_close(rows[2].efficiency, 10 / 3.25 / 4, 1e-15);
	ck_assert_close(rows[2].karp_flatt, 0.1, 1e-14);
}
END_TEST

START_TEST(test_strong_table_base_not_one)
{
	double p[] = { 2, 4, 8 }, t[] = { 5.5, 3.25, 2.125 };
	struct perfkit_scaling_strong_row rows[3];
	size_t n = 0;
	double s = 5.5 / 3.25;

	ck_assert_int_eq(perfkit_scaling_strong(p, t, 3, rows, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_close(rows[1].speedup, s, 1e-15);
	ck_assert_close(rows[1].efficiency, s * 2 / 4, 1e-15);
	ck_assert_close(rows[1].karp_flatt, (1 / s - 0.5) / 0.5, 1e-14);
	ck_assert_close(rows[2].efficiency, 5.5 / 2.125 * 2 / 8, 1e-15);
}
END_TEST

START_TEST(test_strong_table_bad_input)
{
	double p[] = { 1, 2 }, t[] = { 2, 1 }, bad[] = { 1, NAN };
	struct perfkit_scaling_strong_row rows[2];
	size_t n = 99;

	ck_assert_int_eq(perfkit_scaling_strong(NULL, t, 2, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(p, NULL, 2, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, rows, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 0, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(bad, t, 2, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_strong(p, bad, 2, rows, &n), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "time[1]"));
	t[0] = 0;
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, rows, &n), -EINVAL);
	t[0] = -1;
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, rows, &n), -EINVAL);
	t[0] = INFINITY;
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, rows, &n), -EINVAL);
	ck_assert_uint_eq(n, 99);
}
END_TEST

START_TEST(test_weak_table_cosmoflow)
{
	/* samples = 80 per rank (not sharded); epoch times 200, 210, 250 s. */
	double r[] = { 4, 1, 2 }, smp[] = { 320, 80, 160 }, t[] = { 250, 200, 210 };
	struct perfkit_scaling_weak_row rows[3];
	size_t n = 0;

	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_close(rows[0].ranks, 1, 0);
	ck_assert_close(rows[0].throughput, 0.4, 1e-15);
	ck_assert_close(rows[1].throughput, 160.0 / 210, 1e-15);
	ck_assert_close(rows[2].throughput, 1.28, 1e-15);
	ck_assert_close(rows[1].ideal, 0.8, 1e-15);
	ck_assert_close(rows[2].ideal, 1.6, 1e-15);
	ck_assert_close(rows[0].efficiency, 1, 1e-15);
	ck_assert_close(rows[1].efficiency, 200.0 / 210, 1e-15);
	ck_assert_close(rows[2].efficiency, 0.8, 1e-15);
	ck_assert_close(rows[2].samples, 320, 0);
}
END_TEST

START_TEST(test_weak_table_no_single_rank_and_repeats)
{
	double r[] = { 2, 4, 2 }, smp[] = { 160, 320, 160 }, t[] = { 190, 250, 210 };
	struct perfkit_scaling_weak_row rows[3];
	size_t n = 0;

	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(rows[0].repeats, 2);
	ck_assert_close(rows[0].time, 200, 1e-15);
	/* ideal = ranks · (throughput at 2 ranks) / 2 = 4 · 0.4 */
	ck_assert_close(rows[1].ideal, 1.6, 1e-15);
	ck_assert_close(rows[1].efficiency, 0.8, 1e-15);
}
END_TEST

START_TEST(test_weak_table_bad_input)
{
	double r[] = { 1, 2, 2 }, smp[] = { 80, 160, 170 }, t[] = { 1, 2, 2 };
	struct perfkit_scaling_weak_row rows[3];
	size_t n;

	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "samples"));
	smp[2] = 160;
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), 0);
	ck_assert_int_eq(perfkit_scaling_weak(NULL, smp, t, 3, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_weak(r, NULL, t, 3, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, NULL, 3, rows, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, NULL, &n), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 0, rows, &n), -EINVAL);
	t[1] = 0;
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), -EINVAL);
	t[1] = NAN;
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), -EINVAL);
	t[1] = 2;
	smp[0] = -80;
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), -EINVAL);
	smp[0] = 80;
	r[0] = INFINITY;
	ck_assert_int_eq(perfkit_scaling_weak(r, smp, t, 3, rows, &n), -EINVAL);
}
END_TEST

START_TEST(test_epoch_mean)
{
	double e[] = { 0, 1, 2, 3 }, t[] = { 10, 4, 5, 6 }, m = 0;
	size_t used = 0;

	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 1, &m, &used), 0);
	ck_assert_close(m, 5, 1e-15);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 0, &m, NULL), 0);
	ck_assert_close(m, 6.25, 1e-15);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 3, &m, &used), 0);
	ck_assert_close(m, 6, 1e-15);
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 4, &m, &used), -EDOM);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 0, 0, &m, &used), -EDOM);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(NULL, t, 4, 1, &m, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, NULL, 4, 1, &m, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 1, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, -1, &m, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, NAN, &m, NULL), -EINVAL);
	t[2] = 0;
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 1, &m, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "time[2]"));
	t[2] = 5;
	e[3] = NAN;
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, t, 4, 1, &m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_samples_shard_rule)
{
	double s = 0;

	ck_assert_int_eq(perfkit_scaling_samples(100, 20, 1, 4, &s), 0);
	ck_assert_close(s, 120, 0);
	ck_assert_int_eq(perfkit_scaling_samples(100, 20, 0, 4, &s), 0);
	ck_assert_close(s, 480, 0);
	ck_assert_int_eq(perfkit_scaling_samples(100, 0, 0, 1, &s), 0);
	ck_assert_close(s, 100, 0);
	ck_assert_int_eq(perfkit_scaling_samples(100, 20, 0, 4, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(-1, 20, 0, 4, &s), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(NAN, 20, 0, 4, &s), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(1, INFINITY, 0, 4, &s), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(0, 0, 1, 4, &s), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(1, 2, 1, 0, &s), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_samples(1, 2, 1, NAN, &s), -EINVAL);
}
END_TEST

/* ---- optimal count and cost ---- */

START_TEST(test_optimal)
{
	double w[] = { 1, 2, 4, 8, 16 }, e[] = { 1, 0.95, 0.85, 0.7, 0.81 };
	size_t i = 99;

	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.8, &i), 0);
	ck_assert_uint_eq(i, 4); /* judged by its own efficiency */
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.9, &i), 0);
	ck_assert_uint_eq(i, 1);
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.95, &i), 0);
	ck_assert_uint_eq(i, 1); /* "at or above" */
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 1.5, &i), -EDOM);
	ck_assert_int_eq(perfkit_scaling_optimal(NULL, e, 5, 0.8, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_optimal(w, NULL, 5, 0.8, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.8, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 0, 0.8, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, NAN, &i), -EINVAL);
	e[2] = NAN;
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.8, &i), -EINVAL);
	e[2] = 0.85;
	w[3] = 0;
	ck_assert_int_eq(perfkit_scaling_optimal(w, e, 5, 0.8, &i), -EINVAL);
}
END_TEST

START_TEST(test_cost)
{
	/* The MPI-on-EC2 talk: $0.10 per CPU-hour; 4 workers for 30 minutes = 2 h. */
	double w[] = { 4, 1 }, t[] = { 1800, 7200 }, work[] = { 1000, 500 };
	struct perfkit_scaling_cost c[2];

	ck_assert_int_eq(perfkit_scaling_cost(w, t, work, 2, 0.10, c), 0);
	ck_assert_close(c[0].worker_hours, 2, 1e-15);
	ck_assert_close(c[0].cost, 0.2, 1e-15);
	ck_assert_close(c[0].cost_per_work, 0.2 / 1000, 1e-15);
	ck_assert_close(c[1].cost, 0.2, 1e-15);
	ck_assert_close(c[1].cost_per_work, 0.2 / 500, 1e-15);
	ck_assert_close(c[1].workers, 1, 0);
	ck_assert_close(c[1].time, 7200, 0);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, 0, c), 0);
	ck_assert_close(c[0].cost, 0, 0);
	ck_assert_close(c[0].cost_per_work, 0, 0);
	ck_assert_int_eq(perfkit_scaling_cost(NULL, t, NULL, 2, 1, c), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, NULL, NULL, 2, 1, c), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, 1, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 0, 1, c), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, -1, c), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, NAN, c), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, INFINITY, c), -EINVAL);
	work[1] = 0;
	ck_assert_int_eq(perfkit_scaling_cost(w, t, work, 2, 1, c), -EINVAL);
	t[1] = -5;
	ck_assert_int_eq(perfkit_scaling_cost(w, t, NULL, 2, 1, c), -EINVAL);
}
END_TEST

START_TEST(test_cheapest)
{
	/* cost at $0.10/worker-hour: 0.1, 0.10556, 0.11111, 0.13333 */
	double w[] = { 1, 2, 4, 8 }, t[] = { 3600, 1900, 1000, 600 };
	double e[] = { 1, 3600.0 / 3800, 0.9, 0.75 };
	double work[] = { 1, 1, 2, 2 };
	size_t i = 99;

	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  INFINITY, 0, &i), 0);
	ck_assert_uint_eq(i, 0);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  1200, 0, &i), 0);
	ck_assert_uint_eq(i, 2);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, e, 4, 0.1,
						  2000, 0.9, &i), 0);
	ck_assert_uint_eq(i, 1);
	/* per unit of work: 0.1, 0.10556, 0.05556, 0.06667 */
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, work, NULL, 4, 0.1,
						  INFINITY, 0, &i), 0);
	ck_assert_uint_eq(i, 2);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  100, 0, &i), -EDOM);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, e, 4, 0.1,
						  INFINITY, 1.1, &i), -EDOM);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  INFINITY, 0.5, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0,
						  INFINITY, 0, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  0, 0, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  NAN, 0, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  INFINITY, NAN, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 4, 0.1,
						  INFINITY, 0, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(NULL, t, NULL, NULL, 4, 0.1,
						  INFINITY, 0, &i), -EINVAL);
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, NULL, 0, 0.1,
						  INFINITY, 0, &i), -EINVAL);
	e[3] = NAN;
	ck_assert_int_eq(perfkit_scaling_cheapest(w, t, NULL, e, 4, 0.1,
						  INFINITY, 0.5, &i), -EINVAL);
}
END_TEST


/* Finite but extreme inputs: a clear -ERANGE, never inf or NaN. */
START_TEST(test_huge_values)
{
	double v = 42, big = 1e308, tiny = 5e-324;
	double p[] = { 1, 2 }, t[] = { big, tiny };
	struct perfkit_scaling_strong_row srows[2];
	struct perfkit_scaling_weak_row wrows[2];
	struct perfkit_scaling_cost c[2];
	struct perfkit_amdahl_fit fit;
	double smp[] = { big, big }, e[] = { 1, 2 }, s2[] = { tiny, tiny };
	size_t n;

	ck_assert_int_eq(perfkit_karp_flatt(tiny, 4, &v), -ERANGE);
	ck_assert(v == 42);
	ck_assert_int_eq(perfkit_scaling_strong(p, t, 2, srows, &n), -ERANGE);
	ck_assert_int_eq(perfkit_scaling_weak(p, smp, t, 2, wrows, &n), -ERANGE);
	ck_assert_int_eq(perfkit_scaling_epoch_mean(e, smp, 2, 0, &v, NULL), -ERANGE);
	ck_assert_int_eq(perfkit_scaling_samples(big, big, 1, 1, &v), -ERANGE);
	ck_assert_int_eq(perfkit_scaling_samples(1, 1, 0, big, &v), -ERANGE);
	ck_assert_int_eq(perfkit_scaling_cost(smp, smp, NULL, 2, 1, c), -ERANGE);
	ck_assert_int_eq(perfkit_amdahl_fit(e, s2, 2, &fit), -EDOM); /* p = 1 skipped */
	double p3[] = { 2, 3, 4 }, s3[] = { tiny, tiny, tiny };
	ck_assert_int_eq(perfkit_amdahl_fit(p3, s3, 3, &fit), -ERANGE);
	/* huge but representable values work */
	double pb[] = { 1e300, 2e300 }, tb[] = { 4, 2 };
	ck_assert_int_eq(perfkit_scaling_strong(pb, tb, 2, srows, &n), 0);
	ck_assert_close(srows[1].efficiency, 1, 1e-15);
	ck_assert(v == 42);
}
END_TEST

static Suite *scaling_suite(void)
{
	Suite *s = suite_create("scaling");
	TCase *stats = tcase_create("t-quantile");
	TCase *laws = tcase_create("laws");
	TCase *tables = tcase_create("tables");
	TCase *cost = tcase_create("cost");

	tcase_add_test(stats, test_t_quantile_table);
	tcase_add_test(stats, test_t_quantile_symmetry_and_cdf);
	tcase_add_test(stats, test_incbeta_known_values);
	tcase_add_test(stats, test_t_quantile_bad_input);
	suite_add_tcase(s, stats);

	tcase_add_test(laws, test_amdahl_speedup_values);
	tcase_add_test(laws, test_amdahl_limit);
	tcase_add_test(laws, test_gustafson_values);
	tcase_add_test(laws, test_karp_flatt_recovers_f);
	tcase_add_test(laws, test_laws_bad_input);
	tcase_add_test(laws, test_amdahl_fit_noiseless);
	tcase_add_test(laws, test_amdahl_fit_by_hand);
	tcase_add_test(laws, test_amdahl_fit_bad_input);
	tcase_add_test(laws, test_amdahl_fit_refuses_outside_model);
	suite_add_tcase(s, laws);

	tcase_add_test(tables, test_strong_table_repeats_unsorted);
	tcase_add_test(tables, test_strong_table_base_not_one);
	tcase_add_test(tables, test_strong_table_bad_input);
	tcase_add_test(tables, test_weak_table_cosmoflow);
	tcase_add_test(tables, test_weak_table_no_single_rank_and_repeats);
	tcase_add_test(tables, test_weak_table_bad_input);
	tcase_add_test(tables, test_epoch_mean);
	tcase_add_test(tables, test_samples_shard_rule);
	suite_add_tcase(s, tables);

	tcase_add_test(cost, test_optimal);
	tcase_add_test(cost, test_cost);
	tcase_add_test(cost, test_cheapest);
	tcase_add_test(cost, test_huge_values);
	suite_add_tcase(s, cost);
	return s;
}

PK_CHECK_MAIN(scaling_suite)
