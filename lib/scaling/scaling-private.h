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

#endif /* PERFKIT_SCALING_PRIVATE_H */
