/* SPDX-License-Identifier: MIT */
/*
 * The pywren GFLOPS notebook's benchmark as written (numpy):
 *     A = np.arange(N*N, dtype=np.float64).reshape(N, N); B the same
 *     for each repetition: c = np.sum(np.dot(A, B))
 *     FLOPS = 2 * N**3 * loopcount
 * with BLIS dgemm (one rntm_t per instance) in place of numpy's BLAS.
 */
#include <blis.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "common.h"
#include "kernels.h"

struct cf_state {
	uint64_t n;
	rntm_t rntm;
	double *a, *b, *c;
	double sum; /* the notebook's c */
};

static void cf_teardown(void *state)
{
	struct cf_state *s = state;

	if (!s)
		return;
	free(s->a);
	free(s->b);
	free(s->c);
	free(s);
}

static int cf_setup(int64_t size, const struct perfkit_kernel_options *options,
		    void *userdata, void **state)
{
	uint64_t n = (uint64_t)size;
	struct cf_state *s;
	size_t total, one;
	int rc;

	(void)userdata;
	if (n > UINT32_MAX)
		return pk_error(-ERANGE, "kernel 'compute_flops': N = %llu: N*N "
				"overflows", (unsigned long long)n);
	rc = pk_kernel_check_bytes("compute_flops", n * n, sizeof(double), 3,
				   &total);
	if (rc)
		return rc;
	one = total / 3;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->a = pk_kernel_alloc(one)) ||
	    !(s->b = pk_kernel_alloc(one)) || !(s->c = pk_kernel_alloc(one))) {
		cf_teardown(s);
		return pk_error(-ENOMEM, "kernel 'compute_flops': cannot allocate "
				"%zu bytes", total);
	}
	s->n = n;
	pk_blis_choose_arch();
	s->rntm = (rntm_t)BLIS_RNTM_INITIALIZER;
	bli_rntm_set_num_threads((dim_t)options->threads, &s->rntm);
	for (uint64_t i = 0; i < n * n; i++) { /* arange, first touch */
		s->a[i] = (double)i;
		s->b[i] = (double)i;
		s->c[i] = 0.0;
	}
	*state = s;
	return 0;
}

/* np.sum: row sums with independent partials (numpy sums pairwise; this
 * keeps a similar error and vectorises), then the sum of the rows. */
static double sum_matrix(const double *c, uint64_t n)
{
	double total = 0;

	for (uint64_t i = 0; i < n; i++) {
		const double *row = c + i * n;
		double p[8] = { 0 };
		uint64_t j = 0;

		for (; j + 8 <= n; j += 8)
			for (unsigned k = 0; k < 8; k++)
				p[k] += row[j + k];
		for (; j < n; j++)
			p[0] += row[j];
		total += ((p[0] + p[1]) + (p[2] + p[3])) +
			 ((p[4] + p[5]) + (p[6] + p[7]));
	}
	return total;
}

static int cf_run(void *state, uint64_t reps)
{
	struct cf_state *s = state;
	const dim_t n = (dim_t)s->n;
	double one = 1.0, zero = 0.0;

	for (uint64_t r = 0; r < reps; r++) {
		rntm_t rntm = s->rntm;

		bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, n, n, n, &one,
			     s->a, n, 1, s->b, n, 1, &zero, s->c, n, 1, NULL,
			     &rntm);
		s->sum = sum_matrix(s->c, s->n);
	}
	return 0;
}

/*
 * With A(i,k) = iN + k and B = A:
 *   sum_ij (AB)_ij = sum_k (sum_i A_ik)(sum_j B_kj)
 *                  = sum_k N^2 (k + N(N-1)/2)(kN + (N-1)/2)
 * evaluated in long double, O(N).
 */
long double pk_compute_flops_expected(uint64_t n)
{
	const long double N = (long double)n;
	long double total = 0;

	for (uint64_t k = 0; k < n; k++) {
		long double K = (long double)k;

		total += (K + N * (N - 1) / 2) * (K * N + (N - 1) / 2);
	}
	return total * N * N;
}

static int cf_verify(void *state)
{
	const struct cf_state *s = state;
	long double want;
	double tol;

	want = pk_compute_flops_expected(s->n);
	/* All terms are positive: gemm entries are within about N u of the
	 * truth, the row and total sums add about N/8 + N more. */
	tol = 4.0 * (double)(s->n + 2) * DBL_EPSILON * (double)want;
	if (!(fabs(s->sum - (double)want) <= tol))
		return pk_error(-EBADMSG, "kernel 'compute_flops': sum(A.B) = %.17g, "
				"expected %.17Lg (tolerance %.3g)", s->sum, want,
				tol);
	return 0;
}

static double cf_flops(int64_t size, void *userdata)
{
	double n = (double)size;

	(void)userdata;
	return 2.0 * n * n * n; /* as the notebook counts: the sum is not */
}

static double cf_bytes(int64_t size, void *userdata)
{
	double n = (double)size;

	(void)userdata;
	/* dgemm reads A and B and writes C (24 N^2); the sum reads C. */
	return 32.0 * n * n;
}

const struct perfkit_kernel_ops pk_kernel_compute_flops_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "compute_flops",
	.description = "the pywren GFLOPS notebook: c = sum(A.B), "
		       "A = B = arange(N*N) as N x N, BLIS dgemm; "
		       "2N^3 flops (as the notebook counts), 32N^2 bytes",
	.setup = cf_setup,
	.run = cf_run,
	.teardown = cf_teardown,
	.flops = cf_flops,
	.bytes = cf_bytes,
	.verify = cf_verify,
};
