/* SPDX-License-Identifier: MIT */
/* Closed-form scaling laws: Amdahl, Gustafson, Karp–Flatt. */
#include <math.h>

#include "scaling-private.h"

static int check_fraction(const char *func, double f)
{
	if (!(f >= 0.0 && f <= 1.0))
		return pk_error(-EINVAL,
				"%s: serial fraction %g is not in [0, 1]",
				func, f);
	return 0;
}

static int check_workers(const char *func, double p)
{
	if (!(isfinite(p) && p > 0.0))
		return pk_error(-EINVAL,
				"%s: worker count %g must be finite and > 0",
				func, p);
	return 0;
}

PERFKIT_EXPORT int perfkit_amdahl_speedup(double f, double p, double *speedup)
{
	int rc;

	if (!speedup)
		return pk_error(-EINVAL, "perfkit_amdahl_speedup: speedup is NULL");
	if ((rc = check_fraction(__func__, f)) < 0 ||
	    (rc = check_workers(__func__, p)) < 0)
		return rc;
	*speedup = 1.0 / (f + (1.0 - f) / p);
	return 0;
}

PERFKIT_EXPORT int perfkit_amdahl_limit(double f, double *limit)
{
	int rc;

	if (!limit)
		return pk_error(-EINVAL, "perfkit_amdahl_limit: limit is NULL");
	if ((rc = check_fraction(__func__, f)) < 0)
		return rc;
	*limit = f > 0.0 ? 1.0 / f : INFINITY;
	return 0;
}

/* Shared by Karp–Flatt and the inverse of Gustafson: both are undefined at
 * one worker, where the run holds no information on the serial part. */
static int check_pair(const char *func, double speedup, double p)
{
	if (!(isfinite(speedup) && speedup > 0.0))
		return pk_error(-EINVAL, "%s: speedup %g must be finite and > 0",
				func, speedup);
	if (check_workers(func, p) < 0)
		return -EINVAL;
	if (p == 1.0)
		return pk_error(-EDOM,
				"%s: undefined at p = 1 (one worker says nothing about the serial fraction)",
				func);
	return 0;
}

PERFKIT_EXPORT int perfkit_karp_flatt(double speedup, double p, double *e)
{
	int rc;

	if (!e)
		return pk_error(-EINVAL, "perfkit_karp_flatt: e is NULL");
	if ((rc = check_pair(__func__, speedup, p)) < 0)
		return rc;
	double v = (1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p);

	if (!isfinite(v))
		return pk_error(-ERANGE,
				"perfkit_karp_flatt: S = %g, p = %g overflow double",
				speedup, p);
	*e = v;
	return 0;
}

PERFKIT_EXPORT int perfkit_amdahl_serial_fraction(double speedup, double p,
						  double *f)
{
	if (!f)
		return pk_error(-EINVAL,
				"perfkit_amdahl_serial_fraction: f is NULL");
	return perfkit_karp_flatt(speedup, p, f);
}

PERFKIT_EXPORT int perfkit_gustafson_speedup(double f, double p,
					     double *speedup)
{
	int rc;

	if (!speedup)
		return pk_error(-EINVAL,
				"perfkit_gustafson_speedup: speedup is NULL");
	if ((rc = check_fraction(__func__, f)) < 0 ||
	    (rc = check_workers(__func__, p)) < 0)
		return rc;
	*speedup = p - f * (p - 1.0);
	return 0;
}

PERFKIT_EXPORT int perfkit_gustafson_serial_fraction(double speedup, double p,
						     double *f)
{
	int rc;

	if (!f)
		return pk_error(-EINVAL,
				"perfkit_gustafson_serial_fraction: f is NULL");
	if ((rc = check_pair(__func__, speedup, p)) < 0)
		return rc;
	*f = (p - speedup) / (p - 1.0);
	return 0;
}

PERFKIT_EXPORT int perfkit_amdahl_fit(const double *p, const double *speedup,
				      size_t n, struct perfkit_amdahl_fit *fit)
{
	double sxx = 0, sxy = 0, rss = 0, f, t;
	size_t used = 0;
	int rc;

	if (!p || !speedup || !fit)
		return pk_error(-EINVAL, "perfkit_amdahl_fit: NULL argument");
	if ((rc = pk_check_positive(__func__, "p", p, n)) < 0 ||
	    (rc = pk_check_positive(__func__, "speedup", speedup, n)) < 0)
		return rc;
	/* 1/S − 1/p = f (1 − 1/p): a line through the origin. */
	for (size_t i = 0; i < n; i++) {
		double x = 1.0 - 1.0 / p[i], y = 1.0 / speedup[i] - 1.0 / p[i];

		if (p[i] == 1.0)
			continue;
		sxx += x * x;
		sxy += x * y;
		used++;
	}
	if (used < 2)
		return pk_error(-EDOM,
				"perfkit_amdahl_fit: need at least 2 points with p != 1, got %zu",
				used);
	f = sxy / sxx;
	if (!isfinite(f) || !isfinite(sxx))
		return pk_error(-ERANGE,
				"perfkit_amdahl_fit: values too extreme: the sums overflow double");
	for (size_t i = 0; i < n; i++) {
		double x = 1.0 - 1.0 / p[i], y = 1.0 / speedup[i] - 1.0 / p[i];

		if (p[i] != 1.0)
			rss += (y - f * x) * (y - f * x);
	}
	if (!isfinite(rss))
		return pk_error(-ERANGE,
				"perfkit_amdahl_fit: the residuals overflow double");
	/* A serial fraction outside [0, 1] is no Amdahl curve: say so
	 * rather than hand out a number nobody may use. Rounding at the
	 * ends (a perfectly serial or parallel run) is clamped. */
	if (f < 0.0 && f > -1e-9)
		f = 0.0;
	if (f > 1.0 && f < 1.0 + 1e-9)
		f = 1.0;
	if (f < 0.0 || f > 1.0)
		return pk_error(-EDOM,
				"perfkit_amdahl_fit: the model does not fit these data: "
				"the fitted serial fraction %.4g is outside [0, 1] (%s)",
				f, f > 1.0 ? "the speedup falls as workers are added" :
				"the speedup grows faster than the worker count");
	fit->n = used;
	fit->dof = (double)(used - 1);
	fit->f = f;
	fit->rse = sqrt(rss / fit->dof);
	fit->f_se = fit->rse / sqrt(sxx);
	if ((rc = pk_t_quantile(0.975, fit->dof, &t)) < 0)
		return rc;
	fit->f_ci[0] = f - t * fit->f_se;
	fit->f_ci[1] = f + t * fit->f_se;
	fit->limit = f > 0.0 ? 1.0 / f : INFINITY;
	return 0;
}
