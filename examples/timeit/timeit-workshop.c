/* SPDX-License-Identifier: MIT */
/*
 * A shared object for perfkit-timeit --lib: the HPC Python workshop's
 * "vectorise it" step in C. The same sum of squares of the positive
 * values, as a naive loop (a data-dependent branch and one long
 * dependency chain) and as a branch-free loop with eight independent
 * accumulators the compiler can vectorise.
 *
 *   perfkit-timeit --lib libperfkit-timeit-workshop.so --setup sum_setup \
 *       --arg 100000 --func sum_naive --func sum_simd
 */
#include <stdint.h>
#include <stdlib.h>

struct sum_job {
	double *x;
	size_t n;
	volatile double result;
};

/* --arg N: N random doubles in [-1, 1] from a fixed seed (default
 * 100000). The state lives until the program ends. */
void *sum_setup(int argc, char **argv)
{
	static struct sum_job job;
	size_t n = argc > 0 ? strtoull(argv[0], NULL, 10) : 100000;
	uint64_t s = 88172645463325252ull;

	free(job.x);
	job.x = malloc((n ? n : 1) * sizeof(*job.x));
	job.n = job.x ? n : 0;
	for (size_t i = 0; i < job.n; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
		job.x[i] = (double)(s >> 11) / (double)(1ull << 53) * 2 - 1;
	}
	return &job;
}

void sum_naive(void *state)
{
	struct sum_job *job = state;
	double s = 0;

	for (size_t i = 0; i < job->n; i++)
		if (job->x[i] > 0)
			s += job->x[i] * job->x[i];
	job->result = s;
}

void sum_simd(void *state)
{
	struct sum_job *job = state;
	double acc[8] = { 0 };
	size_t i = 0;

	for (; i + 8 <= job->n; i += 8)
		for (int k = 0; k < 8; k++) {
			double v = job->x[i + k];

			acc[k] += (v > 0 ? v : 0) * v;
		}
	for (; i < job->n; i++)
		acc[0] += job->x[i] > 0 ? job->x[i] * job->x[i] : 0;
	job->result = ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
		      ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
