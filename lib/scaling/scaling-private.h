/* SPDX-License-Identifier: MIT */
/* Helpers shared by the scaling calculator's files. Not installed. */
#ifndef PERFKIT_SCALING_PRIVATE_H
#define PERFKIT_SCALING_PRIVATE_H

#include <stddef.h>

#include "common.h"
#include "perfkit/scaling.h"

/* Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
double pk_incbeta(double x, double a, double b);

/* Student-t distribution function P(T <= t) with dof > 0 degrees. */
double pk_t_cdf(double t, double dof);

/*
 * Quantile of Student's t: the t with P(T <= t) = prob, 0 < prob < 1,
 * dof > 0. Returns 0 and sets *q, or -EINVAL / -ERANGE via pk_error().
 */
int pk_t_quantile(double prob, double dof, double *q);

/* Check that v[0..n) are finite and > 0; name is used in the message. */
int pk_check_positive(const char *func, const char *name, const double *v,
		      size_t n);

/*
 * The smallest value in v[0..n) greater than prev, or INFINITY if none:
 * walks distinct worker counts in increasing order without allocating.
 */
double pk_next_above(const double *v, size_t n, double prev);

/*
 * x[0..n) divided by its largest value, in a new array (NULL when out of
 * memory); *scale gets the divisor. The USL is fitted on such numbers.
 */
double *pk_usl_normalised(const double *x, size_t n, double *scale);

/*
 * The USL's profile: the smallest residual sum of squares over the data
 * (n_workers, x) with parameter j (0 α, 1 β, 2 γ) held at v and the other
 * two fitted within their bounds, starting from th, which gets the
 * solution (a warm start for the next call). NaN when no fit converged.
 */
double pk_usl_profile_rss(const double *n_workers, const double *x,
			  size_t len, int j, double v, double th[3]);

#endif /* PERFKIT_SCALING_PRIVATE_H */
