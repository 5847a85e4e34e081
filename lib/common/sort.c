/* SPDX-License-Identifier: MIT */
/* Sorting and medians of doubles, shared by the modules. */
#include <math.h>
#include <stdlib.h>

#include "common.h"

int pk_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double pk_median_sort(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), pk_cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
