/* SPDX-License-Identifier: MIT */
/* AVX (no FMA: Sandy/Ivy Bridge, Bulldozer without FMA3 use) peak loop;
 * compiled with -mavx. Each step is a multiply then an add: one multiply
 * and one add port, chain latency about 5 + 3 cycles, so 12 chains keep
 * both ports busy. */
#include <immintrin.h>

#include "peak.h"

#define LOAD_D(k) __m256d a##k = _mm256_load_pd(acc + 4 * (k));
#define STEP_D(k) a##k = _mm256_add_pd(_mm256_mul_pd(a##k, vx), vy);
#define STORE_D(k) _mm256_store_pd(acc + 4 * (k), a##k);

void pk_peak_avx_f64(double *acc, double x, double y, uint64_t iters)
{
	const __m256d vx = _mm256_set1_pd(x), vy = _mm256_set1_pd(y);

	PK_REP12(LOAD_D)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_D)
	}
	PK_REP12(STORE_D)
}

/* The f64 loop paced by an add chain: see pk_peak_clock_fn. */
void pk_peak_avx_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain)
{
	const __m256d vx = _mm256_set1_pd(x), vy = _mm256_set1_pd(y);

	PK_REP12(LOAD_D)
	PK_CLOCK_LOOPS(PK_REP12, STEP_D)
	PK_REP12(STORE_D)
}

#define LOAD_S(k) __m256 a##k = _mm256_load_ps(acc + 8 * (k));
#define STEP_S(k) a##k = _mm256_add_ps(_mm256_mul_ps(a##k, vx), vy);
#define STORE_S(k) _mm256_store_ps(acc + 8 * (k), a##k);

void pk_peak_avx_f32(float *acc, float x, float y, uint64_t iters)
{
	const __m256 vx = _mm256_set1_ps(x), vy = _mm256_set1_ps(y);

	PK_REP12(LOAD_S)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_S)
	}
	PK_REP12(STORE_S)
}
