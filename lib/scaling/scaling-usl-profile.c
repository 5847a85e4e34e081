/* SPDX-License-Identifier: MIT */
/*
 * Profile-likelihood intervals for the USL's α, β, γ: the values each
 * parameter can take, the other two refitted within their bounds, before
 * the residual sum of squares rises past the F (t²) threshold. Unlike
 * est ± t·se they never leave α, β ≥ 0, γ > 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scaling-private.h"

struct prof {
	const double *n, *x; /* x normalised to its largest value */
	size_t len;
	double hat[3];       /* the estimate, γ normalised too */
	double step[3];      /* first step from the estimate (Wald se) */
	double thr;          /* RSS threshold of the 95 % interval */
	int err;             /* a refit did not converge */
};

static double profile(struct prof *p, int j, double v, double th[3])
{
	double r = pk_usl_profile_rss(p->n, p->x, p->len, j, v, th);

	if (!isfinite(r))
		p->err = 1;
	return r;
}

/* Bisection between in (RSS ≤ thr) and out (> thr) to a relative 1e-10
 * of the parameter's scale. */
static double bisect(struct prof *p, int j, double in, double out,
		     double th[3])
{
	double tol = 1e-10 * fmax(fabs(p->hat[j]), p->step[j]);

	for (int i = 0; i < 200 && fabs(out - in) > tol && !p->err; i++) {
		double mid = 0.5 * (in + out);

		if (profile(p, j, mid, th) <= p->thr)
			in = mid;
		else
			out = mid;
	}
	return 0.5 * (in + out);
}

/*
 * One end of parameter j's interval (dir −1 lower, +1 upper): steps that
 * double from the estimate until the profile passes the threshold, then
 * bisection. Downwards α and β stop at 0, γ halves towards it; upwards a
 * parameter that can grow a million-fold past its scale is unbounded.
 */
static double end_of(struct prof *p, int j, int dir, unsigned *flags)
{
	double th[3], in = p->hat[j], step = p->step[j];
	double cap = 1e6 * fmax(fabs(p->hat[j]), p->step[j]);

	memcpy(th, p->hat, sizeof(th));
	if (dir < 0 && in <= 0.0) {
		*flags |= PERFKIT_FIT_AT_LOWER | PERFKIT_FIT_CI_TO_LOWER;
		return 0.0;
	}
	for (int k = 0; k < 400 && !p->err; k++, step *= 2) {
		double v = in + dir * step;

		if (dir < 0 && v <= 0.0)
			v = j == 2 ? 0.5 * in : 0.0;
		if (profile(p, j, v, th) > p->thr)
			return bisect(p, j, in, v, th);
		if (dir < 0 && (v == 0.0 || v < 1e-300)) {
			*flags |= PERFKIT_FIT_CI_TO_LOWER;
			return 0.0;
		}
		if (dir > 0 && v > cap) {
			*flags |= PERFKIT_FIT_CI_TO_UPPER;
			return INFINITY;
		}
		in = v;
	}
	*flags |= dir < 0 ? PERFKIT_FIT_CI_TO_LOWER : PERFKIT_FIT_CI_TO_UPPER;
	return dir < 0 ? 0.0 : INFINITY;
}

PERFKIT_EXPORT int perfkit_usl_fit_profile(const double *n_workers,
					   const double *throughput, size_t n,
					   struct perfkit_usl_profile_fit *out)
{
	struct perfkit_usl_profile_fit r = { 0 };
	struct perfkit_fit_param *par[3] = { &r.alpha, &r.beta, &r.gamma };
	struct prof p = { .n = n_workers, .len = n };
	double c, *xs;
	int rc;

	if (!out)
		return pk_error(-EINVAL, "perfkit_usl_fit_profile: fit is NULL");
	if ((rc = perfkit_usl_fit(n_workers, throughput, n, &r.fit)) < 0)
		return rc;
	if (!(xs = pk_usl_normalised(throughput, n, &c)))
		return pk_error(-ENOMEM, "perfkit_usl_fit_profile: out of memory");
	p.x = xs;
	p.hat[0] = r.fit.alpha;
	p.hat[1] = r.fit.beta;
	p.hat[2] = r.fit.gamma / c;
	p.step[0] = fmax(r.fit.alpha_se, 1e-9);
	p.step[1] = fmax(r.fit.beta_se, 1e-12);
	p.step[2] = fmax(r.fit.gamma_se / c, 1e-9 * p.hat[2]);
	p.thr = r.fit.rse * r.fit.rse * r.fit.dof / (c * c) *
		(1.0 + r.fit.t975 * r.fit.t975 / r.fit.dof);
	for (int j = 0; j < 3; j++) {
		par[j]->value = p.hat[j];
		par[j]->ci[0] = end_of(&p, j, -1, &par[j]->flags);
		par[j]->ci[1] = end_of(&p, j, +1, &par[j]->flags);
	}
	free(xs);
	if (p.err)
		return pk_error(-ERANGE,
				"perfkit_usl_fit_profile: a profile refit did not converge");
	r.gamma.value *= c;
	r.gamma.ci[0] *= c;
	r.gamma.ci[1] *= c;
	*out = r;
	return 0;
}
