/* SPDX-License-Identifier: MIT */
/* AVX2 + FMA peak loop; compiled with -mavx2 -mfma, called only after
 * __builtin_cpu_supports("avx2") and ("fma"). Two FMA units x 4-5 cycles
 * latency (Haswell 5, Skylake 4, Zen 2-4 5) need 8-10 chains; 12 fit in
 * the 16 ymm registers beside x and y. */
#include <immintrin.h>

#include "peak.h"

#define LOAD_D(k) __m256d a##k = _mm256_load_pd(acc + 4 * (k));
#define STEP_D(k) a##k = _mm256_fmadd_pd(a##k, vx, vy);
#define STORE_D(k) _mm256_store_pd(acc + 4 * (k), a##k);

void pk_peak_avx2_f64(double *acc, double x, double y, uint64_t iters)
{
	const __m256d vx = _mm256_set1_pd(x), vy = _mm256_set1_pd(y);

	PK_REP12(LOAD_D)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_D)
	}
	PK_REP12(STORE_D)
}

/* The f64 loop paced by an add chain: see pk_peak_clock_fn. */
void pk_peak_avx2_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain)
{
	const __m256d vx = _mm256_set1_pd(x), vy = _mm256_set1_pd(y);

	PK_REP12(LOAD_D)
	PK_CLOCK_LOOPS(PK_REP12, STEP_D)
	PK_REP12(STORE_D)
}

#define LOAD_S(k) __m256 a##k = _mm256_load_ps(acc + 8 * (k));
#define STEP_S(k) a##k = _mm256_fmadd_ps(a##k, vx, vy);
#define STORE_S(k) _mm256_store_ps(acc + 8 * (k), a##k);

void pk_peak_avx2_f32(float *acc, float x, float y, uint64_t iters)
{
	const __m256 vx = _mm256_set1_ps(x), vy = _mm256_set1_ps(y);

	PK_REP12(LOAD_S)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_S)
	}
	PK_REP12(STORE_S)
}
