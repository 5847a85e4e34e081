/* SPDX-License-Identifier: MIT */
/*
 * Amdahl's and Gustafson's serial fraction fitted on measured times, with
 * T1 as a second parameter, f held to [0, 1], and profile-likelihood
 * intervals. Least squares on log t: y = c + h(f, p) + e, c = log T1.
 */
#include <math.h>
#include <stdlib.h>

#include "scaling-private.h"

enum law { AMDAHL, GUSTAFSON };

enum { GRID = 100, BISECT = 100 };

struct frac {
	enum law law;
	const double *p;
	double *y; /* log t */
	size_t n;
};

/* h(f, p) = log of the time's shape, T = T1 · e^h, and ∂h/∂f. */
static double shape(enum law law, double f, double p, double *dh)
{
	if (law == AMDAHL) {
		double g = f + (1.0 - f) / p;

		*dh = (1.0 - 1.0 / p) / g;
		return log(g);
	}
	double q = p - f * (p - 1.0);

	*dh = (p - 1.0) / q;
	return log(p / q);
}

/* RSS at f with c at its best (the mean residual); *c gets it. One pass,
 * shifted by the first residual so that the sums do not cancel. */
static double rss_f(const struct frac *d, double f, double *c)
{
	double dh, r0 = d->y[0] - shape(d->law, f, d->p[0], &dh), s1 = 0, s2 = 0;

	for (size_t i = 1; i < d->n; i++) {
		double r = d->y[i] - shape(d->law, f, d->p[i], &dh) - r0;

		s1 += r;
		s2 += r * r;
	}
	if (c)
		*c = r0 + s1 / (double)d->n;
	return fmax(s2 - s1 * s1 / (double)d->n, 0.0);
}

/* Gauss–Newton step for f at (c, f); with c_free, c is profiled out (the
 * Jacobian column centred). *jj gets the squared norm of that column. */
static double gn_step(const struct frac *d, double c, double f, int c_free,
		      double *jj)
{
	double mj = 0, mr = 0, sjr = 0, sjj = 0;

	if (c_free) {
		for (size_t i = 0; i < d->n; i++) {
			double dh, h = shape(d->law, f, d->p[i], &dh);

			mj += dh;
			mr += d->y[i] - h;
		}
		mj /= (double)d->n;
		c = mr / (double)d->n;
	}
	for (size_t i = 0; i < d->n; i++) {
		double dh, r = d->y[i] - c - shape(d->law, f, d->p[i], &dh);

		sjr += (dh - mj) * r;
		sjj += (dh - mj) * (dh - mj);
	}
	*jj = sjj;
	return sjj > 0 ? sjr / sjj : 0.0;
}

static double rss_cf(const struct frac *d, double c, double f)
{
	double s = 0, dh;

	for (size_t i = 0; i < d->n; i++) {
		double r = d->y[i] - c - shape(d->law, f, d->p[i], &dh);

		s += r * r;
	}
	return s;
}

/* Damped Gauss–Newton for f in [0, 1] from *f, c fixed (c_free = 0) or
 * profiled out; returns the RSS reached. */
static double polish(const struct frac *d, double c, double *f, int c_free)
{
	double s = c_free ? rss_f(d, *f, NULL) : rss_cf(d, c, *f), jj;

	for (int it = 0; it < 50; it++) {
		double step = gn_step(d, c, *f, c_free, &jj), next = *f, sn = s;
		int ok = 0;

		for (int k = 0; k < 40 && step != 0.0; k++, step /= 2) {
			next = fmin(1.0, fmax(0.0, *f + step));
			sn = c_free ? rss_f(d, next, NULL) : rss_cf(d, c, next);
			if (sn <= s) {
				ok = 1;
				break;
			}
		}
		if (!ok || fabs(next - *f) <= 1e-15)
			return ok ? sn : s;
		*f = next;
		s = sn;
	}
	return s;
}

/* Golden-section search for the smallest rss_f on [a, b]. */
static double golden(const struct frac *d, double a, double b)
{
	const double r = 0.5 * (sqrt(5.0) - 1.0);
	double x1 = b - r * (b - a), x2 = a + r * (b - a);
	double f1 = rss_f(d, x1, NULL), f2 = rss_f(d, x2, NULL);

	for (int i = 0; i < 80 && b - a > 1e-15; i++) {
		if (f1 <= f2) {
			b = x2;
			x2 = x1;
			f2 = f1;
			x1 = b - r * (b - a);
			f1 = rss_f(d, x1, NULL);
		} else {
			a = x1;
			x1 = x2;
			f1 = f2;
			x2 = a + r * (b - a);
			f2 = rss_f(d, x2, NULL);
		}
	}
	return f1 <= f2 ? x1 : x2;
}

/* The global minimum over [0, 1]: a grid finds its cell, golden section
 * and Gauss–Newton refine it, the bounds compete. */
static double best_f(const struct frac *d)
{
	double best = INFINITY, f = 0;
	int k0 = 0;

	for (int k = 0; k <= GRID; k++) {
		double s = rss_f(d, (double)k / GRID, NULL);

		if (s < best) {
			best = s;
			k0 = k;
		}
	}
	f = golden(d, fmax(0.0, (k0 - 1.0) / GRID), fmin(1.0, (k0 + 1.0) / GRID));
	polish(d, 0, &f, 1);
	if (rss_f(d, (double)k0 / GRID, NULL) < rss_f(d, f, NULL))
		f = (double)k0 / GRID;
	return f;
}

/* Bisection for where prof(v) crosses thr between in (≤ thr) and out. */
static double crossing(double (*prof)(void *, double), void *ctx, double in,
		       double out, double thr)
{
	for (int i = 0; i < BISECT && fabs(out - in) > 1e-14 * fmax(1.0, fabs(in)); i++) {
		double mid = 0.5 * (in + out);

		if (prof(ctx, mid) <= thr)
			in = mid;
		else
			out = mid;
	}
	return 0.5 * (in + out);
}

static double prof_f(void *ctx, double f)
{
	return rss_f(ctx, f, NULL);
}

/* One end of f's interval: walk the grid from fhat towards the bound
 * (dir −1 or +1) to the first point above thr, then bisect. */
static double f_end(const struct frac *d, double fhat, int dir, double thr,
		    unsigned *flags)
{
	double prev = fhat, bound = dir < 0 ? 0.0 : 1.0;

	for (int k = 1; k <= GRID; k++) {
		double v = fhat + dir * (double)k / GRID;

		if (dir < 0 ? v <= 0.0 : v >= 1.0)
			break;
		if (rss_f(d, v, NULL) > thr)
			return crossing(prof_f, (void *)d, prev, v, thr);
		prev = v;
	}
	if (rss_f(d, bound, NULL) > thr)
		return crossing(prof_f, (void *)d, prev, bound, thr);
	*flags |= dir < 0 ? PERFKIT_FIT_CI_TO_LOWER : PERFKIT_FIT_CI_TO_UPPER;
	return bound;
}

/* Profile of c = log T1: f refitted for each c, warm-started. */
struct prof_c_ctx {
	const struct frac *d;
	double f;
};

static double prof_c(void *ctx, double c)
{
	struct prof_c_ctx *x = ctx;

	return polish(x->d, c, &x->f, 0);
}

static double c_end(const struct frac *d, double chat, double fhat,
		    double step, int dir, double thr)
{
	struct prof_c_ctx x = { d, fhat };
	double prev = chat;

	for (int k = 0; k < 200; k++, step *= 2) {
		double v = chat + dir * step;

		if (prof_c(&x, v) > thr)
			return crossing(prof_c, &x, prev, v, thr);
		prev = v;
	}
	return dir < 0 ? -INFINITY : INFINITY;
}

static int check_input(const char *func, const double *p, const double *t,
		       size_t n, const void *fit)
{
	int rc;

	if (!p || !t || !fit)
		return pk_error(-EINVAL, "%s: NULL argument", func);
	if ((rc = pk_check_positive(func, "p", p, n)) < 0 ||
	    (rc = pk_check_positive(func, "t", t, n)) < 0)
		return rc;
	if (n < 3)
		return pk_error(-EDOM,
				"%s: need at least 3 runs (2 parameters + 1 degree of freedom), got %zu",
				func, n);
	if (!isfinite(pk_next_above(p, n, pk_next_above(p, n, -INFINITY))))
		return pk_error(-EDOM,
				"%s: need at least 2 distinct worker counts to separate f from T1",
				func);
	return 0;
}

/* The f where the model is defined for every p (g > 0): (*lo, *hi). */
static void domain(const struct frac *d, double *lo, double *hi)
{
	*lo = -INFINITY;
	*hi = INFINITY;
	for (size_t i = 0; i < d->n; i++) {
		double p = d->p[i];

		if (p == 1.0)
			continue;
		if (d->law == AMDAHL) { /* 1/p + f (1 − 1/p) > 0 */
			if (p > 1.0)
				*lo = fmax(*lo, -1.0 / (p - 1.0));
			else
				*hi = fmin(*hi, 1.0 / (1.0 - p));
		} else { /* p − f (p − 1) > 0 */
			if (p > 1.0)
				*hi = fmin(*hi, p / (p - 1.0));
			else
				*lo = fmax(*lo, p / (p - 1.0));
		}
	}
}

/* The smallest RSS beyond the bound b (dir −1 below 0, +1 above 1), on
 * offsets growing by 2^(1/4) from 1e-9 and closing in on the domain's
 * edge; the bound's own RSS when the model ends there. */
static double rss_beyond(const struct frac *d, double b, int dir)
{
	double lo, hi, edge, best = rss_f(d, b, NULL);

	domain(d, &lo, &hi);
	edge = dir < 0 ? lo : hi;
	for (double w = 1e-9; w < 1e9; w *= 1.189207115002721) {
		double v = b + dir * w;

		if (!(v > lo && v < hi))
			break;
		best = fmin(best, rss_f(d, v, NULL));
	}
	for (int k = 1; isfinite(edge) && k < 60; k++) {
		double v = b + (edge - b) * (1.0 - ldexp(1.0, -k));

		if (v > lo && v < hi)
			best = fmin(best, rss_f(d, v, NULL));
	}
	return best;
}

static const char *why(enum law law, int above)
{
	if (law == AMDAHL)
		return above ? "the time grows as workers are added" :
			       "the time falls faster than 1/p";
	return above ? "the time grows faster than the worker count" :
		       "the time falls as workers are added";
}

/*
 * At a bound, the curve may want an f far outside [0, 1] (where the
 * formula still defines one): when even the bound lies outside the 95 %
 * interval of that unconstrained fit, RSS(bound) > RSS_u (1 + t²/dof), no
 * Amdahl (Gustafson) curve fits and the fit is refused.
 */
static int check_model(const char *func, const struct frac *d, double f,
		       double rss, double dof, double t975)
{
	int dir = f == 0.0 ? -1 : f == 1.0 ? 1 : 0;
	double ru;

	if (!dir)
		return 0;
	ru = rss_beyond(d, f, dir);
	if (rss > ru * (1.0 + t975 * t975 / dof) && rss - ru > 1e-12 * rss)
		return pk_error(-EDOM,
				"%s: the model does not fit these data: every serial "
				"fraction in [0, 1] is rejected at the 5 %% level, the "
				"best lies %s (%s)",
				func, dir > 0 ? "above 1" : "below 0",
				why(d->law, dir > 0));
	return 0;
}

/* The fit proper, on d's log times; *out written on success only. */
static int fit_logs(const char *func, const struct frac *d,
		    struct perfkit_fraction_fit *out)
{
	struct perfkit_fraction_fit fit = { .n = d->n };
	double fhat, chat, rss, t975, thr;
	int rc;

	fit.dof = (double)(d->n - 2);
	if ((rc = pk_t_quantile(0.975, fit.dof, &t975)) < 0)
		return rc;
	fhat = best_f(d);
	rss = rss_f(d, fhat, &chat);
	if (!isfinite(rss) || !isfinite(chat))
		return pk_error(-ERANGE, "%s: the fit overflowed double", func);
	if ((rc = check_model(func, d, fhat, rss, fit.dof, t975)) < 0)
		return rc;
	thr = rss * (1.0 + t975 * t975 / fit.dof);
	fit.f.value = fhat;
	fit.f.flags = fhat == 0.0 ? PERFKIT_FIT_AT_LOWER :
		      fhat == 1.0 ? PERFKIT_FIT_AT_UPPER : 0;
	fit.f.ci[0] = f_end(d, fhat, -1, thr, &fit.f.flags);
	fit.f.ci[1] = f_end(d, fhat, +1, thr, &fit.f.flags);
	/* c's first step: about its standard error, never 0. */
	double step = fmax(sqrt(rss / fit.dof / (double)d->n), 1e-9);

	fit.t1.value = exp(chat);
	fit.t1.ci[0] = exp(c_end(d, chat, fhat, step, -1, thr));
	fit.t1.ci[1] = exp(c_end(d, chat, fhat, step, +1, thr));
	fit.rse = sqrt(rss / fit.dof);
	if (!isfinite(fit.t1.value))
		return pk_error(-ERANGE, "%s: T1 overflows double", func);
	*out = fit;
	return 0;
}

static int fit_fraction(const char *func, enum law law, const double *p,
			const double *t, size_t n,
			struct perfkit_fraction_fit *out)
{
	struct frac d = { law, p, NULL, n };
	double *y;
	int rc;

	if ((rc = check_input(func, p, t, n, out)) < 0)
		return rc;
	if (!(y = malloc(n * sizeof(*y))))
		return pk_error(-ENOMEM, "%s: out of memory", func);
	for (size_t i = 0; i < n; i++)
		y[i] = log(t[i]);
	d.y = y;
	rc = fit_logs(func, &d, out);
	free(y);
	return rc;
}

PERFKIT_EXPORT int perfkit_amdahl_fit_times(const double *p, const double *t,
					    size_t n,
					    struct perfkit_fraction_fit *fit)
{
	return fit_fraction(__func__, AMDAHL, p, t, n, fit);
}

PERFKIT_EXPORT int perfkit_gustafson_fit_times(const double *p,
					       const double *t, size_t n,
					       struct perfkit_fraction_fit *fit)
{
	return fit_fraction(__func__, GUSTAFSON, p, t, n, fit);
}
