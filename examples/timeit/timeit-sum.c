/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit, case (a): the sum of squares of the positive values,
 * as a naive loop (a data-dependent branch and one long dependency chain)
 * against a branch-free loop with independent accumulators that the
 * compiler can vectorise.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeit.h"

#define SUM_N 100000   /* doubles summed: 800 kB, about L2-sized */

struct sum_job {
	const double *x;
	size_t n;
	double result;
};

/* One accumulator, one branch per element: each add waits for the previous
 * one, and random signs make the branch unpredictable. */
static void sum_naive(void *user, uint64_t iterations)
{
	struct sum_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		double s = 0.0;

		for (size_t i = 0; i < job->n; i++)
			if (job->x[i] > 0.0)
				s += job->x[i] * job->x[i];
		job->result = s;
		__asm__ __volatile__("" : : "g"(&job->result) : "memory");
	}
}

/* The same sum, written for SIMD: a compare mask instead of a branch, and
 * 2-wide vectors (SSE2, NEON) in four accumulators, so eight independent
 * partial sums overlap. GCC's and clang's vector extensions keep this
 * portable; the result is the same up to rounding. */
#if defined(__GNUC__)
typedef double pk_v2d __attribute__((vector_size(16)));
typedef long long pk_v2l __attribute__((vector_size(16)));

static inline pk_v2d squares_of_positive(const double *p)
{
	pk_v2d v, zero = { 0 };

	memcpy(&v, p, sizeof(v)); /* unaligned load */
	v = (pk_v2d)((pk_v2l)v & (v > zero));
	return v * v;
}

static double sum_simd(const double *x, size_t n)
{
	pk_v2d a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	size_t i = 0;
	double s;

	for (; i + 8 <= n; i += 8) {
		a += squares_of_positive(x + i);
		b += squares_of_positive(x + i + 2);
		c += squares_of_positive(x + i + 4);
		d += squares_of_positive(x + i + 6);
	}
	a = (a + b) + (c + d);
	s = a[0] + a[1];
	for (; i < n; i++)
		s += x[i] > 0.0 ? x[i] * x[i] : 0.0;
	return s;
}
#else
static double sum_simd(const double *x, size_t n)
{
	double acc[8] = { 0 };
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		for (int k = 0; k < 8; k++)
			acc[k] += (double)(x[i + k] > 0.0) * x[i + k] * x[i + k];
	for (; i < n; i++)
		acc[0] += x[i] > 0.0 ? x[i] * x[i] : 0.0;
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
	       ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
#endif

static void sum_vectorised(void *user, uint64_t iterations)
{
	struct sum_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		job->result = sum_simd(job->x, job->n);
		__asm__ __volatile__("" : : "g"(&job->result) : "memory");
	}
}

int timeit_case_vectorise(const struct timeit_options *o)
{
	double *x = malloc(SUM_N * sizeof(*x));
	struct sum_job naive = { .n = SUM_N }, vec = { .n = SUM_N };
	struct timeit_side a = { 0 }, b = { 0 };
	const char *stop = "";
	int rc;

	if (!x)
		return -1;
	timeit_fill_random(x, SUM_N, 3);
	naive.x = vec.x = x;
	rc = timeit_side_init(&a, "naive: branch, 1 chain", sum_naive, &naive);
	if (rc == 0)
		rc = timeit_side_init(&b, "SIMD: mask, 8 lanes", sum_vectorised, &vec);
	printf("\n(a) sum of squares of the positive values of %d random doubles "
	       "(%.0f kB, signs random)\n", SUM_N, SUM_N * 8 / 1e3);
	if (rc == 0)
		rc = timeit_compare(&a, &b, o, &stop);
	if (rc == 0) {
		timeit_print_header();
		timeit_print_row(&a, stop, SUM_N, SUM_N * sizeof(double));
		timeit_print_row(&b, stop, SUM_N, SUM_N * sizeof(double));
		timeit_print_ratio(&a, &b, "SIMD is");
		printf("     results agree to %.1e (relative; summation order "
		       "differs)\n", fabs(naive.result - vec.result) / naive.result);
	}
	timeit_side_fini(&a);
	timeit_side_fini(&b);
	free(x);
	return rc;
}
