/* SPDX-License-Identifier: MIT */
/* Portable C peak loop for machines without a path of their own: 12
 * scalar chains in named variables (an array would be kept on the stack).
 * The compiler may vectorise or fuse them; the flop count (2 per chain
 * step) stays exact either way. */
#include "peak.h"

#define LOAD(k) a##k = acc[k];
#define STEP(k) a##k = a##k * x + y;
#define STORE(k) acc[k] = a##k;

void pk_peak_portable_f64(double *acc, double x, double y, uint64_t iters)
{
	double a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;

	PK_REP12(LOAD)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP)
	}
	PK_REP12(STORE)
}

/* The f64 loop paced by an add chain (pk_peak_clock_fn). Where there is
 * no chain pk_peak_clock() stops before calling it. */
void pk_peak_portable_clock(double *acc, double x, double y, uint64_t iters,
			    unsigned chain)
{
	double a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;

	PK_REP12(LOAD)
#ifdef PK_ADD1
	PK_CLOCK_LOOPS(PK_REP12, STEP)
#else
	(void)chain;
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP)
	}
#endif
	PK_REP12(STORE)
}

void pk_peak_portable_f32(float *acc, float x, float y, uint64_t iters)
{
	float a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;

	PK_REP12(LOAD)
	for (uint64_t i = 0; i < iters; i++) {
		PK_REP12(STEP)
	}
	PK_REP12(STORE)
}
