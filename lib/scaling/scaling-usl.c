/* SPDX-License-Identifier: MIT */
/*
 * Universal Scalability Law: X(N) = γN / (1 + α(N−1) + βN(N−1)), fitted by
 * bounded Levenberg–Marquardt (α, β ≥ 0, γ > 0) from several starts.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scaling-private.h"

enum { NP = 3, MAX_ITER = 500 };

/* The smallest γ the projection allows: the bound is open (γ > 0). */
static const double gamma_floor = 1e-300;

struct usl_data {
	const double *n, *x;
	size_t len;
	int fixed; /* index of a parameter held where it is, or -1 */
};

static double model(const double th[NP], double n)
{
	return th[2] * n / (1.0 + th[0] * (n - 1.0) + th[1] * n * (n - 1.0));
}

/* Gradient of the model with respect to (α, β, γ) at one N. */
static void model_grad(const double th[NP], double n, double g[NP])
{
	double d = 1.0 + th[0] * (n - 1.0) + th[1] * n * (n - 1.0);
	double q = -th[2] * n * (n - 1.0) / (d * d);

	g[0] = q;
	g[1] = q * n;
	g[2] = n / d;
}

static double sse(const struct usl_data *d, const double th[NP])
{
	double s = 0;

	for (size_t i = 0; i < d->len; i++) {
		double r = d->x[i] - model(th, d->n[i]);

		s += r * r;
	}
	return s;
}

/* JᵀJ and Jᵀr at th, with J the model's Jacobian and r = X − model. */
static void normal_eq(const struct usl_data *d, const double th[NP],
		      double a[NP][NP], double g[NP])
{
	memset(a, 0, sizeof(double) * NP * NP);
	memset(g, 0, sizeof(double) * NP);
	for (size_t i = 0; i < d->len; i++) {
		double j[NP], r = d->x[i] - model(th, d->n[i]);

		model_grad(th, d->n[i], j);
		for (int u = 0; u < NP; u++) {
			g[u] += j[u] * r;
			for (int v = 0; v < NP; v++)
				a[u][v] += j[u] * j[v];
		}
	}
}

/* Solve the k×k system m·x = b (k ≤ 3) by Gaussian elimination with
 * partial pivoting; m and b are overwritten. Returns -1 if singular. */
static int solve(int k, double m[NP][NP], double b[NP], double x[NP])
{
	for (int c = 0; c < k; c++) {
		int piv = c;

		for (int r = c + 1; r < k; r++)
			if (fabs(m[r][c]) > fabs(m[piv][c]))
				piv = r;
		if (!(fabs(m[piv][c]) > 0.0))
			return -1;
		if (piv != c) {
			for (int v = 0; v < k; v++) {
				double t = m[c][v];

				m[c][v] = m[piv][v];
				m[piv][v] = t;
			}
			double t = b[c];
			b[c] = b[piv];
			b[piv] = t;
		}
		for (int r = c + 1; r < k; r++) {
			double f = m[r][c] / m[c][c];

			for (int v = c; v < k; v++)
				m[r][v] -= f * m[c][v];
			b[r] -= f * b[c];
		}
	}
	for (int r = k - 1; r >= 0; r--) {
		double s = b[r];

		for (int v = r + 1; v < k; v++)
			s -= m[r][v] * x[v];
		x[r] = s / m[r][r];
	}
	return 0;
}

static double lower_bound(int j)
{
	return j == 2 ? gamma_floor : 0.0;
}

/*
 * One damped step: parameters at their bound whose descent direction
 * points out of the feasible set are held fixed (the active set); the
 * others take the Levenberg–Marquardt step, projected onto the bounds.
 */
static int lm_step(const double a[NP][NP], const double g[NP],
		   const double th[NP], double lambda, int fixed,
		   double out[NP])
{
	double m[NP][NP], b[NP], x[NP];
	int free_idx[NP], k = 0;

	for (int j = 0; j < NP; j++)
		if (j != fixed && !(th[j] <= lower_bound(j) && g[j] <= 0.0))
			free_idx[k++] = j;
	memcpy(out, th, sizeof(double) * NP);
	if (k == 0)
		return -1;
	for (int u = 0; u < k; u++) {
		for (int v = 0; v < k; v++)
			m[u][v] = a[free_idx[u]][free_idx[v]];
		m[u][u] += lambda * fmax(a[free_idx[u]][free_idx[u]], DBL_MIN);
		b[u] = g[free_idx[u]];
	}
	if (solve(k, m, b, x) < 0)
		return -1;
	for (int u = 0; u < k; u++) {
		int j = free_idx[u];

		out[j] = fmax(th[j] + x[u], lower_bound(j));
	}
	return 0;
}

/*
 * First-order optimality, scale-free: for each free parameter, the cosine
 * between its Jacobian column and the residual vector, |Jⱼᵀr| / (‖Jⱼ‖‖r‖),
 * is (near) zero at a minimum. Long flat valleys (γ and α nearly
 * confounded) are declared converged here instead of crawled to the end.
 */
static int stationary(const double a[NP][NP], const double g[NP],
		      const double th[NP], double s, int fixed)
{
	for (int j = 0; j < NP; j++) {
		if (j == fixed || (th[j] <= lower_bound(j) && g[j] <= 0.0))
			continue; /* held at its bound */
		if (!(fabs(g[j]) <= 1e-10 * sqrt(a[j][j] * s)))
			return 0;
	}
	return 1;
}

/* Levenberg–Marquardt from th (updated in place). Returns the residual sum
 * of squares, or NaN when the start is hopeless; *converged says whether a
 * stopping rule (not the iteration cap) ended it. */
static double lm_run(const struct usl_data *d, double th[NP],
		     unsigned *iters, int *converged)
{
	double lambda = 1e-3, s = sse(d, th);
	double scale = 0;

	for (size_t i = 0; i < d->len; i++)
		scale += d->x[i] * d->x[i];
	*converged = 0;
	if (!isfinite(s))
		return NAN;
	for (unsigned it = 1; it <= MAX_ITER; it++) {
		double a[NP][NP], g[NP], trial[NP], st = INFINITY;

		*iters = it;
		if (s <= 1e-30 * scale) { /* exact fit */
			*converged = 1;
			return s;
		}
		normal_eq(d, th, a, g);
		if (stationary(a, g, th, s, d->fixed)) {
			*converged = 1;
			return s;
		}
		while (lambda < 1e20) {
			if (lm_step(a, g, th, lambda, d->fixed, trial) == 0 &&
			    (st = sse(d, trial)) <= s)
				break;
			lambda *= 10.0;
		}
		if (!(st <= s)) { /* no step helps: at a (bounded) minimum */
			*converged = 1;
			return s;
		}
		double step = 0;

		for (int j = 0; j < NP; j++)
			step = fmax(step, fabs(trial[j] - th[j]) /
						  (fabs(th[j]) + 1e-12));
		memcpy(th, trial, sizeof(trial));
		if (s - st <= 1e-15 * s && step < 1e-10) {
			*converged = 1;
			return st;
		}
		s = st;
		lambda = fmax(lambda / 10.0, 1e-12);
	}
	return s;
}

/* Non-negative least squares for y ≈ a·u + b·v over two columns, solved by
 * trying the unconstrained pair and each single column; a crude but
 * adequate start for LM. */
static void start_linear(const struct usl_data *d, double gamma0,
			 int use_a, int use_b, double th[NP])
{
	double suu = 0, svv = 0, suv = 0, suy = 0, svy = 0;

	for (size_t i = 0; i < d->len; i++) {
		double n = d->n[i], u = n - 1.0, v = n * (n - 1.0);
		double y = gamma0 * n / d->x[i] - 1.0;

		suu += u * u;
		svv += v * v;
		suv += u * v;
		suy += u * y;
		svy += v * y;
	}
	th[0] = th[1] = 0.0;
	th[2] = gamma0;
	if (use_a && use_b) {
		double det = suu * svv - suv * suv;

		if (det > 0) {
			th[0] = (suy * svv - svy * suv) / det;
			th[1] = (svy * suu - suy * suv) / det;
		}
	} else if (use_a && suu > 0) {
		th[0] = suy / suu;
	} else if (use_b && svv > 0) {
		th[1] = svy / svv;
	}
	th[0] = fmax(th[0], 0.0);
	th[1] = fmax(th[1], 0.0);
}

static int check_input(const double *n_workers, const double *throughput,
		       size_t n, struct perfkit_usl_fit *fit)
{
	size_t distinct = 0;
	int rc;

	if (!n_workers || !throughput || !fit)
		return pk_error(-EINVAL, "perfkit_usl_fit: NULL argument");
	if ((rc = pk_check_positive("perfkit_usl_fit", "n_workers", n_workers,
				    n)) < 0 ||
	    (rc = pk_check_positive("perfkit_usl_fit", "throughput",
				    throughput, n)) < 0)
		return rc;
	if (n < 4)
		return pk_error(-EDOM,
				"perfkit_usl_fit: need at least 4 points (3 parameters + 1 degree of freedom), got %zu",
				n);
	for (double p = -INFINITY; isfinite(p = pk_next_above(n_workers, n, p));)
		distinct++;
	if (distinct < 3)
		return pk_error(-EDOM,
				"perfkit_usl_fit: need at least 3 distinct N to fit 3 parameters, got %zu",
				distinct);
	return 0;
}

/* Best of several starts; -ERANGE if none converged to a finite fit. */
static int fit_params(const struct usl_data *d, double th[NP],
		      double *rss, unsigned *iters)
{
	double gmax = 0, best = INFINITY;
	int found = 0;

	for (size_t i = 0; i < d->len; i++)
		gmax = fmax(gmax, d->x[i] / d->n[i]);
	/* X/N ≤ γ for N ≥ 1, so max X/N is a sensible first γ. */
	static const int use[][2] = { { 1, 1 }, { 1, 0 }, { 0, 1 }, { 0, 0 } };
	for (size_t s = 0; s < sizeof(use) / sizeof(use[0]); s++) {
		double t[NP];
		unsigned it = 0;
		int conv;

		start_linear(d, gmax, use[s][0], use[s][1], t);
		double r = lm_run(d, t, &it, &conv);

		if (conv && r < best) {
			best = r;
			memcpy(th, t, sizeof(t));
			*iters = it;
			found = 1;
		}
	}
	if (!found)
		return pk_error(-ERANGE,
				"perfkit_usl_fit: Levenberg-Marquardt did not converge from any start");
	*rss = best;
	return 0;
}

/* cov = s² (JᵀJ)⁻¹, inverted on the correlation scale so that parameters
 * of very different size (β ≪ γ) do not fool the singularity test: a
 * variance inflation factor beyond 1e12 means the data cannot separate
 * the parameters. */
static int covariance(const struct usl_data *d, const double th[NP],
		      double s2, double cov[NP][NP])
{
	double a[NP][NP], g[NP], dg[NP];

	normal_eq(d, th, a, g);
	for (int j = 0; j < NP; j++) {
		if (!(a[j][j] > 0))
			return pk_error(-EDOM,
					"perfkit_usl_fit: J'J is singular: the data do not constrain %s",
					j == 0 ? "alpha" : j == 1 ? "beta" : "gamma");
		dg[j] = sqrt(a[j][j]);
	}
	for (int c = 0; c < NP; c++) {
		double m[NP][NP], e[NP] = { 0 }, x[NP];

		for (int u = 0; u < NP; u++)
			for (int v = 0; v < NP; v++)
				m[u][v] = a[u][v] / (dg[u] * dg[v]);
		e[c] = 1.0;
		if (solve(NP, m, e, x) < 0 || !isfinite(x[c]) || x[c] > 1e12)
			return pk_error(-EDOM,
					"perfkit_usl_fit: J'J is singular: the points cannot separate alpha, beta and gamma");
		for (int u = 0; u < NP; u++)
			cov[u][c] = s2 * x[u] / (dg[u] * dg[c]);
	}
	return 0;
}

static int all_finite(const struct perfkit_usl_fit *f)
{
	const double v[] = { f->alpha, f->beta, f->gamma, f->alpha_se,
			     f->beta_se, f->gamma_se, f->rse, f->r2 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return 0;
	for (int u = 0; u < NP; u++)
		for (int w = 0; w < NP; w++)
			if (!isfinite(f->cov[u][w]))
				return 0;
	return 1;
}

static void derive(struct perfkit_usl_fit *f)
{
	double a = f->alpha, b = f->beta, g = f->gamma;

	f->inv_alpha = a > 0 ? 1.0 / a : INFINITY;
	f->asymptote = a > 0 ? g / a : INFINITY;
	if (b > 0) {
		f->peak_n = a < 1 ? fmax(1.0, sqrt((1.0 - a) / b)) : 1.0;
		f->peak_x = g * f->peak_n /
			    (1 + a * (f->peak_n - 1) + b * f->peak_n * (f->peak_n - 1));
	} else {
		f->peak_n = INFINITY;
		f->peak_x = f->asymptote;
	}
}

/* Throughput divided by its largest value, so that the fit's tolerances
 * see the same numbers whether X is in jobs/s or flop/s; *scale gets the
 * divisor. NULL when out of memory. */
double *pk_usl_normalised(const double *x, size_t n, double *scale)
{
	double *y = malloc(n * sizeof(*y)), c = 0;

	for (size_t i = 0; i < n; i++)
		c = fmax(c, x[i]);
	for (size_t i = 0; y && i < n; i++)
		y[i] = x[i] / c;
	*scale = c;
	return y;
}

/* Back from the normalised fit: γ, its covariances and the residual
 * scale with the data; α and β are dimensionless. */
static void unscale(double th[NP], double cov[NP][NP], double *rss, double c)
{
	th[2] *= c;
	for (int j = 0; j < NP; j++) {
		cov[j][2] *= c;
		cov[2][j] *= c;
	}
	*rss *= c * c;
}

PERFKIT_EXPORT int perfkit_usl_fit(const double *n_workers,
				   const double *throughput, size_t n,
				   struct perfkit_usl_fit *fit)
{
	struct usl_data d = { n_workers, NULL, n, -1 };
	struct perfkit_usl_fit f = { 0 };
	double th[NP], rss = 0, s2, mean = 0, tss = 0, cov[NP][NP], c;
	double *se[NP] = { &f.alpha_se, &f.beta_se, &f.gamma_se };
	double *ci[NP] = { f.alpha_ci, f.beta_ci, f.gamma_ci };
	double *xs;
	int rc;

	if ((rc = check_input(n_workers, throughput, n, fit)) < 0)
		return rc;
	if (!(xs = pk_usl_normalised(throughput, n, &c)))
		return pk_error(-ENOMEM, "perfkit_usl_fit: out of memory");
	d.x = xs;
	f.n = n;
	f.dof = (double)(n - NP);
	if ((rc = fit_params(&d, th, &rss, &f.iterations)) == 0)
		rc = covariance(&d, th, rss / f.dof, cov);
	free(xs);
	if (rc < 0 || (rc = pk_t_quantile(0.975, f.dof, &f.t975)) < 0)
		return rc;
	unscale(th, cov, &rss, c);
	s2 = rss / f.dof;
	f.alpha = th[0];
	f.beta = th[1];
	f.gamma = th[2];
	memcpy(f.cov, cov, sizeof(cov));
	for (int j = 0; j < NP; j++) {
		*se[j] = sqrt(fmax(cov[j][j], 0.0));
		ci[j][0] = th[j] - f.t975 * *se[j];
		ci[j][1] = th[j] + f.t975 * *se[j];
	}
	f.rse = sqrt(s2);
	for (size_t i = 0; i < n; i++)
		mean += throughput[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		tss += (throughput[i] - mean) * (throughput[i] - mean);
	f.r2 = tss > 0 ? 1.0 - rss / tss : 1.0;
	if (!all_finite(&f))
		return pk_error(-ERANGE,
				"perfkit_usl_fit: the fit overflowed (values too large or too small for double)");
	derive(&f);
	*fit = f;
	return 0;
}

double pk_usl_profile_rss(const double *n_workers, const double *x,
			  size_t len, int j, double v, double th[3])
{
	struct usl_data d = { n_workers, x, len, j };
	double t[NP], best = NAN;
	unsigned it;
	int conv;

	/* From the warm start, and from a linearised start with the held
	 * value, whichever ends lower: a profile must be a minimum. */
	for (int s = 0; s < 2; s++) {
		if (s == 0) {
			memcpy(t, th, sizeof(t));
		} else {
			double gmax = 0;

			for (size_t i = 0; i < len; i++)
				gmax = fmax(gmax, x[i] / n_workers[i]);
			start_linear(&d, j == 2 ? v : gmax, j != 0, j != 1, t);
		}
		t[j] = v;
		double r = lm_run(&d, t, &it, &conv);

		if (isfinite(r) && !(r >= best)) {
			best = r;
			memcpy(th, t, sizeof(t));
		}
		if (s == 0 && isfinite(r))
			break; /* the warm start is the usual case */
	}
	return best;
}

static int check_params(const char *func, double a, double b, double g)
{
	if (!(isfinite(a) && a >= 0) || !(isfinite(b) && b >= 0) ||
	    !(isfinite(g) && g > 0))
		return pk_error(-EINVAL,
				"%s: need alpha >= 0, beta >= 0, gamma > 0 (finite), got %g, %g, %g",
				func, a, b, g);
	return 0;
}

PERFKIT_EXPORT int perfkit_usl_eval(double alpha, double beta, double gamma,
				    double n_workers, double *throughput)
{
	double th[NP] = { alpha, beta, gamma };
	int rc;

	if (!throughput)
		return pk_error(-EINVAL, "perfkit_usl_eval: throughput is NULL");
	if ((rc = check_params(__func__, alpha, beta, gamma)) < 0)
		return rc;
	if (!(isfinite(n_workers) && n_workers > 0))
		return pk_error(-EINVAL,
				"perfkit_usl_eval: N = %g must be finite and > 0",
				n_workers);
	*throughput = model(th, n_workers);
	return 0;
}

PERFKIT_EXPORT int perfkit_usl_predict(const struct perfkit_usl_fit *fit,
				       double n_workers,
				       struct perfkit_usl_prediction *pred)
{
	double th[NP], g[NP], var = 0;
	int rc;

	if (!fit || !pred)
		return pk_error(-EINVAL, "perfkit_usl_predict: NULL argument");
	if ((rc = check_params(__func__, fit->alpha, fit->beta, fit->gamma)) < 0)
		return rc;
	if (!(isfinite(fit->t975) && fit->t975 > 0))
		return pk_error(-EINVAL,
				"perfkit_usl_predict: fit has no t quantile (not from perfkit_usl_fit?)");
	if (!(isfinite(n_workers) && n_workers > 0))
		return pk_error(-EINVAL,
				"perfkit_usl_predict: N = %g must be finite and > 0",
				n_workers);
	th[0] = fit->alpha;
	th[1] = fit->beta;
	th[2] = fit->gamma;
	model_grad(th, n_workers, g);
	for (int u = 0; u < NP; u++)
		for (int v = 0; v < NP; v++)
			var += g[u] * fit->cov[u][v] * g[v];
	pred->n_workers = n_workers;
	pred->throughput = model(th, n_workers);
	pred->se = sqrt(fmax(var, 0.0));
	pred->ci[0] = pred->throughput - fit->t975 * pred->se;
	pred->ci[1] = pred->throughput + fit->t975 * pred->se;
	return 0;
}
