/* SPDX-License-Identifier: MIT */
/* SSE2 peak loop (the x86-64 baseline; compiled with -msse2). No FMA: a
 * multiply then an add per step; 12 chains of mul+add latency cover the
 * multiply and add ports and fit in 16 xmm registers with x and y. */
#include <emmintrin.h>

#include "peak.h"

#define LOAD_D(k) __m128d a##k = _mm_load_pd(acc + 2 * (k));
#define STEP_D(k) a##k = _mm_add_pd(_mm_mul_pd(a##k, vx), vy);
#define STORE_D(k) _mm_store_pd(acc + 2 * (k), a##k);

void pk_peak_sse2_f64(double *acc, double x, double y, uint64_t iters)
{
	const __m128d vx = _mm_set1_pd(x), vy = _mm_set1_pd(y);

	PK_REP12(LOAD_D)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_D)
	}
	PK_REP12(STORE_D)
}

/* The f64 loop paced by an add chain: see pk_peak_clock_fn. */
void pk_peak_sse2_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain)
{
	const __m128d vx = _mm_set1_pd(x), vy = _mm_set1_pd(y);

	PK_REP12(LOAD_D)
	PK_CLOCK_LOOPS(PK_REP12, STEP_D)
	PK_REP12(STORE_D)
}

#define LOAD_S(k) __m128 a##k = _mm_load_ps(acc + 4 * (k));
#define STEP_S(k) a##k = _mm_add_ps(_mm_mul_ps(a##k, vx), vy);
#define STORE_S(k) _mm_store_ps(acc + 4 * (k), a##k);

void pk_peak_sse2_f32(float *acc, float x, float y, uint64_t iters)
{
	const __m128 vx = _mm_set1_ps(x), vy = _mm_set1_ps(y);

	PK_REP12(LOAD_S)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP_S)
	}
	PK_REP12(STORE_S)
}
