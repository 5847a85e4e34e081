/* SPDX-License-Identifier: MIT */
/*
 * dgemm and sgemm through BLIS on square row-major N x N matrices:
 * C = A B (beta = 0) per repetition. Every call carries the instance's own
 * rntm_t, so a worker asks BLIS for exactly its share of threads (default
 * one) instead of whatever OMP_NUM_THREADS or BLIS_NUM_THREADS say; more
 * threads than that would pile onto the worker's pinned core.
 */
#include <blis.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common.h"
#include "kernels.h"

struct gemm_state {
	const char *name;
	bool single;
	uint64_t n;
	rntm_t rntm;
	void *a, *b, *c;
};

/* Entries in [-15/16, 15/16] with a pattern that differs between rows and
 * columns, exactly representable in float and double. */
static double init_a(uint64_t i, uint64_t j)
{
	return (double)((int)((i * 7 + j * 13) % 31) - 15) / 16.0;
}

static double init_b(uint64_t i, uint64_t j)
{
	return (double)((int)((i * 11 + j * 5) % 29) - 14) / 16.0;
}

/* A BLIS runtime that uses exactly @threads threads. */
static rntm_t make_rntm(unsigned threads)
{
	rntm_t r = BLIS_RNTM_INITIALIZER;

	bli_rntm_set_num_threads((dim_t)threads, &r);
	return r;
}

static void gemm_teardown(void *state)
{
	struct gemm_state *s = state;

	if (!s)
		return;
	free(s->a);
	free(s->b);
	free(s->c);
	free(s);
}

static int gemm_setup_common(const char *name, bool single, int64_t size,
			     const struct perfkit_kernel_options *options,
			     void **state)
{
	const size_t elem = single ? sizeof(float) : sizeof(double);
	uint64_t n = (uint64_t)size;
	struct gemm_state *s;
	size_t total, one;
	int rc;

	if (n > UINT32_MAX)
		return pk_error(-ERANGE, "kernel '%s': N = %llu: N*N overflows",
				name, (unsigned long long)n);
	rc = pk_kernel_check_bytes(name, n * n, elem, 3, &total);
	if (rc)
		return rc;
	one = total / 3;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->a = pk_kernel_alloc(one)) ||
	    !(s->b = pk_kernel_alloc(one)) || !(s->c = pk_kernel_alloc(one))) {
		gemm_teardown(s);
		return pk_error(-ENOMEM, "kernel '%s': cannot allocate %zu bytes",
				name, total);
	}
	s->name = name;
	s->single = single;
	s->n = n;
	pk_blis_choose_arch();
	s->rntm = make_rntm(options->threads);
	/* First touch here, in the worker thread. */
	for (uint64_t i = 0; i < n; i++)
		for (uint64_t j = 0; j < n; j++) {
			if (single) {
				((float *)s->a)[i * n + j] = (float)init_a(i, j);
				((float *)s->b)[i * n + j] = (float)init_b(i, j);
				((float *)s->c)[i * n + j] = 0.0f;
			} else {
				((double *)s->a)[i * n + j] = init_a(i, j);
				((double *)s->b)[i * n + j] = init_b(i, j);
				((double *)s->c)[i * n + j] = 0.0;
			}
		}
	*state = s;
	return 0;
}

static int dgemm_setup(int64_t size, const struct perfkit_kernel_options *options,
		       void *userdata, void **state)
{
	(void)userdata;
	return gemm_setup_common("dgemm", false, size, options, state);
}

static int sgemm_setup(int64_t size, const struct perfkit_kernel_options *options,
		       void *userdata, void **state)
{
	(void)userdata;
	return gemm_setup_common("sgemm", true, size, options, state);
}

static int gemm_run(void *state, uint64_t reps)
{
	struct gemm_state *s = state;
	const dim_t n = (dim_t)s->n;

	for (uint64_t r = 0; r < reps; r++) {
		/* BLIS may write to the rntm_t it is given: pass a copy. */
		rntm_t rntm = s->rntm;

		if (s->single) {
			float one = 1.0f, zero = 0.0f;

			bli_sgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, n, n, n,
				     &one, s->a, n, 1, s->b, n, 1, &zero, s->c,
				     n, 1, NULL, &rntm);
		} else {
			double one = 1.0, zero = 0.0;

			bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, n, n, n,
				     &one, s->a, n, 1, s->b, n, 1, &zero, s->c,
				     n, 1, NULL, &rntm);
		}
	}
	return 0;
}

/*
 * Check C(i,j) against a long double dot product of the generating
 * functions (not of the arrays, so a corrupted A or B is caught too).
 * Error bound of a dot product of length n: about n u sum|a||b|; allow 2x.
 */
static int check_entry(const struct gemm_state *s, uint64_t i, uint64_t j)
{
	const uint64_t n = s->n;
	const double u = s->single ? FLT_EPSILON : DBL_EPSILON;
	long double ref = 0, mag = 0;
	double got, tol;

	for (uint64_t k = 0; k < n; k++) {
		long double p = (long double)init_a(i, k) *
				init_b(k, j);
		ref += p;
		mag += fabsl(p);
	}
	got = s->single ? ((const float *)s->c)[i * n + j]
			: ((const double *)s->c)[i * n + j];
	tol = 2.0 * (double)(n + 2) * u * (double)mag;
	if (!(fabs(got - (double)ref) <= tol))
		return pk_error(-EBADMSG, "kernel '%s': C(%llu,%llu) = %.17g, "
				"expected %.17Lg (tolerance %.3g)", s->name,
				(unsigned long long)i, (unsigned long long)j,
				got, ref, tol);
	return 0;
}

static int gemm_verify(void *state)
{
	const struct gemm_state *s = state;
	const uint64_t n = s->n;
	uint64_t x = 0x9e3779b97f4a7c15u;
	int rc;

	/* Tiny: the full reference triple loop. Beyond N = 16 it would cost
	 * more than a few repetitions of the dgemm itself (at N = 64, ten
	 * times the timed work of --loopcount 10), so check samples. */
	if (n <= 16) {
		for (uint64_t i = 0; i < n; i++)
			for (uint64_t j = 0; j < n; j++)
				if ((rc = check_entry(s, i, j)))
					return rc;
		return 0;
	}
	/* The four corners and 60 pseudo-random entries, O(n) each. */
	if ((rc = check_entry(s, 0, 0)) || (rc = check_entry(s, 0, n - 1)) ||
	    (rc = check_entry(s, n - 1, 0)) || (rc = check_entry(s, n - 1, n - 1)))
		return rc;
	for (int t = 0; t < 60; t++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if ((rc = check_entry(s, (x >> 32) % n, (x & 0xffffffffu) % n)))
			return rc;
	}
	return 0;
}

static double gemm_flops(int64_t size, void *userdata)
{
	double n = (double)size;

	(void)userdata;
	return 2.0 * n * n * n;
}

static double dgemm_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return 3.0 * sizeof(double) * (double)size * (double)size;
}

static double sgemm_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return 3.0 * sizeof(float) * (double)size * (double)size;
}

const struct perfkit_kernel_ops pk_kernel_dgemm_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "dgemm",
	.description = "BLIS dgemm C = A B on N x N doubles: 2N^3 flops, "
		       "24N^2 bytes (A, B read, C written once) per call",
	.setup = dgemm_setup,
	.run = gemm_run,
	.teardown = gemm_teardown,
	.flops = gemm_flops,
	.bytes = dgemm_bytes,
	.verify = gemm_verify,
};

const struct perfkit_kernel_ops pk_kernel_sgemm_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "sgemm",
	.description = "BLIS sgemm C = A B on N x N floats: 2N^3 flops, "
		       "12N^2 bytes (A, B read, C written once) per call",
	.setup = sgemm_setup,
	.run = gemm_run,
	.teardown = gemm_teardown,
	.flops = gemm_flops,
	.bytes = sgemm_bytes,
	.verify = gemm_verify,
};
