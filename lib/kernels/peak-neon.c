/* SPDX-License-Identifier: MIT */
/* aarch64 Advanced SIMD peak loop (always present on aarch64). Cores with
 * four 128-bit FMA pipes and 4-cycle latency (Neoverse V1/V2) need 16
 * chains; 16 + x + y fit in the 32 vector registers. */
#include <arm_neon.h>

#include "peak.h"

#define LOAD_D(k) float64x2_t a##k = vld1q_f64(acc + 2 * (k));
#define STEP_D(k) a##k = vfmaq_f64(vy, a##k, vx);
#define STORE_D(k) vst1q_f64(acc + 2 * (k), a##k);

void pk_peak_neon_f64(double *acc, double x, double y, uint64_t iters)
{
	const float64x2_t vx = vdupq_n_f64(x), vy = vdupq_n_f64(y);

	PK_REP16(LOAD_D)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP16(STEP_D)
	}
	PK_REP16(STORE_D)
}

/* The f64 loop paced by an add chain: see pk_peak_clock_fn. */
void pk_peak_neon_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain)
{
	const float64x2_t vx = vdupq_n_f64(x), vy = vdupq_n_f64(y);

	PK_REP16(LOAD_D)
	PK_CLOCK_LOOPS(PK_REP16, STEP_D)
	PK_REP16(STORE_D)
}

#define LOAD_S(k) float32x4_t a##k = vld1q_f32(acc + 4 * (k));
#define STEP_S(k) a##k = vfmaq_f32(vy, a##k, vx);
#define STORE_S(k) vst1q_f32(acc + 4 * (k), a##k);

void pk_peak_neon_f32(float *acc, float x, float y, uint64_t iters)
{
	const float32x4_t vx = vdupq_n_f32(x), vy = vdupq_n_f32(y);

	PK_REP16(LOAD_S)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP16(STEP_S)
	}
	PK_REP16(STORE_S)
}
