/* SPDX-License-Identifier: MIT */
/* Student-t quantiles for the fits' intervals, and small shared checks. */
#include <float.h>
#include <math.h>

#include "scaling-private.h"

/* Continued fraction for I_x(a, b) (modified Lentz), valid for
 * x < (a + 1) / (a + b + 2); the caller uses symmetry otherwise. */
static double incbeta_cf(double x, double a, double b)
{
	const double tiny = 1e-300;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m;
		double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));

		for (int k = 0; k < 2; k++) {
			d = 1.0 + num * d;
			if (fabs(d) < tiny)
				d = tiny;
			c = 1.0 + num / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1.0 / d;
			h *= d * c;
			num = -(a + m) * (a + b + m) * x /
			      ((a + m2) * (a + m2 + 1.0));
		}
		if (fabs(d * c - 1.0) < 1e-16)
			break;
	}
	return h;
}

double pk_incbeta(double x, double a, double b)
{
	double lfront;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		 b * log1p(-x);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(lfront) * incbeta_cf(x, a, b) / a;
	return 1.0 - exp(lfront) * incbeta_cf(1.0 - x, b, a) / b;
}

double pk_t_cdf(double t, double dof)
{
	/* P(|T| > |t|) = I_{dof/(dof+t²)}(dof/2, 1/2). */
	double tail = 0.5 * pk_incbeta(dof / (dof + t * t), 0.5 * dof, 0.5);

	return t >= 0 ? 1.0 - tail : tail;
}

static double t_pdf(double t, double dof)
{
	double lc = lgamma(0.5 * (dof + 1.0)) - lgamma(0.5 * dof) -
		    0.5 * log(dof * M_PI);

	return exp(lc - 0.5 * (dof + 1.0) * log1p(t * t / dof));
}

/* Newton's method kept inside a shrinking bracket [lo, hi]: fast where
 * Newton behaves, never worse than bisection where it does not. */
static double t_upper_quantile(double prob, double dof)
{
	double lo = 0.0, hi = 1.0, t;

	while (pk_t_cdf(hi, dof) < prob && hi < 1e300)
		hi *= 2.0;
	t = 0.5 * (lo + hi);
	for (int i = 0; i < 200; i++) {
		double f = pk_t_cdf(t, dof) - prob, next;

		if (f == 0.0)
			break;
		if (f < 0)
			lo = t;
		else
			hi = t;
		next = t - f / t_pdf(t, dof);
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - t) <= 4 * DBL_EPSILON * fabs(t))
			return next;
		t = next;
	}
	return t;
}

int pk_t_quantile(double prob, double dof, double *q)
{
	if (!q)
		return pk_error(-EINVAL, "t quantile: q is NULL");
	if (!(prob > 0.0 && prob < 1.0))
		return pk_error(-EINVAL,
				"t quantile: probability %g is not in (0, 1)",
				prob);
	if (!(dof > 0.0) || isinf(dof))
		return pk_error(-EINVAL,
				"t quantile: degrees of freedom %g must be finite and > 0",
				dof);
	if (dof == 1.0) { /* Cauchy: exact */
		*q = tan(M_PI * (prob - 0.5));
		return 0;
	}
	if (dof == 2.0) { /* exact closed form */
		double a = 4.0 * prob * (1.0 - prob);

		*q = (2.0 * prob - 1.0) * sqrt(2.0 / a);
		return 0;
	}
	if (prob == 0.5) {
		*q = 0.0;
		return 0;
	}
	*q = prob > 0.5 ? t_upper_quantile(prob, dof)
			: -t_upper_quantile(1.0 - prob, dof);
	if (!isfinite(*q))
		return pk_error(-ERANGE,
				"t quantile: no finite quantile for p = %g, dof = %g",
				prob, dof);
	return 0;
}

int pk_check_positive(const char *func, const char *name, const double *v,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(isfinite(v[i]) && v[i] > 0.0))
			return pk_error(-EINVAL,
					"%s: %s[%zu] = %g must be finite and > 0",
					func, name, i, v[i]);
	return 0;
}

double pk_next_above(const double *v, size_t n, double prev)
{
	double next = INFINITY;

	for (size_t i = 0; i < n; i++)
		if (v[i] > prev && v[i] < next)
			next = v[i];
	return next;
}
