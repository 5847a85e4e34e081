/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: Pearson's r (see corr-compute.h). */
#include <math.h>

#include "corr-compute.h"

void corr_standardize(double *row, size_t users)
{
	double mean = 0, ss = 0, scale;

	for (size_t u = 0; u < users; u++)
		mean += row[u];
	mean /= (double)users;
	for (size_t u = 0; u < users; u++) {
		row[u] -= mean;
		ss += row[u] * row[u];
	}
	scale = ss > 0 ? 1.0 / sqrt(ss) : NAN;
	for (size_t u = 0; u < users; u++)
		row[u] *= scale;
}

/* Four sums, so that the additions need not wait for each other. */
double corr_dot(const double *a, const double *b, size_t n)
{
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t u = 0;

	for (; u + 4 <= n; u += 4) {
		s0 += a[u] * b[u];
		s1 += a[u + 1] * b[u + 1];
		s2 += a[u + 2] * b[u + 2];
		s3 += a[u + 3] * b[u + 3];
	}
	for (; u < n; u++)
		s0 += a[u] * b[u];
	return (s0 + s1) + (s2 + s3);
}

double corr_pearson(const double *a, const double *b, size_t n)
{
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

	for (size_t u = 0; u < n; u++) {
		ma += a[u];
		mb += b[u];
	}
	ma /= (double)n;
	mb /= (double)n;
	for (size_t u = 0; u < n; u++) {
		sab += (a[u] - ma) * (b[u] - mb);
		saa += (a[u] - ma) * (a[u] - ma);
		sbb += (b[u] - mb) * (b[u] - mb);
	}
	return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

size_t corr_pairs(size_t items)
{
	return items * (items - 1) / 2;
}

size_t corr_pair_index(size_t items, size_t i, size_t j)
{
	/* rows 0 .. i-1 hold (items - 1) + ... + (items - i) pairs */
	return i * (2 * items - i - 1) / 2 + (j - i - 1);
}

size_t corr_rows_of(size_t items, int k, int r)
{
	return (size_t)r < items ? (items - (size_t)r + (size_t)k - 1) / (size_t)k : 0;
}

size_t corr_first_of(size_t items, int k, int r)
{
	size_t first = 0;

	for (int q = 0; q < r; q++)
		first += corr_rows_of(items, k, q);
	return first;
}

size_t corr_pairs_of(size_t items, int k, int r)
{
	size_t n = 0;

	for (size_t i = (size_t)r; i < items; i += (size_t)k)
		n += items - 1 - i;
	return n;
}
