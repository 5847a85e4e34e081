/* SPDX-License-Identifier: MIT */
/* AVX-512F peak loop; compiled with -mavx512f -mfma, called only after
 * __builtin_cpu_supports("avx512f") says so. Two FMA units x 4 cycles
 * latency need >= 8 chains in flight; 12 leave margin (32 zmm registers). */
#include <immintrin.h>

#include "peak.h"

#define LOAD_D(k) __m512d a##k = _mm512_load_pd(acc + 8 * (k));
#define STEP_D(k) a##k = _mm512_fmadd_pd(a##k, vx, vy);
#define STORE_D(k) _mm512_store_pd(acc + 8 * (k), a##k);

void pk_peak_avx512_f64(double *acc, double x, double y, uint64_t iters)
{
	const __m512d vx = _mm512_set1_pd(x), vy = _mm512_set1_pd(y);

	PK_REP12(LOAD_D)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_D)
	}
	PK_REP12(STORE_D)
}

/* The f64 loop paced by an add chain: see pk_peak_clock_fn. */
void pk_peak_avx512_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain)
{
	const __m512d vx = _mm512_set1_pd(x), vy = _mm512_set1_pd(y);

	PK_REP12(LOAD_D)
	PK_CLOCK_LOOPS(PK_REP12, STEP_D)
	PK_REP12(STORE_D)
}

#define LOAD_S(k) __m512 a##k = _mm512_load_ps(acc + 16 * (k));
#define STEP_S(k) a##k = _mm512_fmadd_ps(a##k, vx, vy);
#define STORE_S(k) _mm512_store_ps(acc + 16 * (k), a##k);

void pk_peak_avx512_f32(float *acc, float x, float y, uint64_t iters)
{
	const __m512 vx = _mm512_set1_ps(x), vy = _mm512_set1_ps(y);

	PK_REP12(LOAD_S)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_S)
	}
	PK_REP12(STORE_S)
}
