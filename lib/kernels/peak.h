/* SPDX-License-Identifier: MIT */
/*
 * The register-resident FMA peak kernel: one inner loop per instruction
 * set, each in its own file compiled with that set's -m flags, chosen at
 * run time. This header holds only declarations and macros, so that no
 * code compiled for a wider ISA can leak into a common path.
 */
#ifndef PERFKIT_PEAK_H
#define PERFKIT_PEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "add-chain.h"

/*
 * Each inner loop updates ACC independent vector accumulators,
 *     a[k] = a[k] * x + y        (one FMA, or a multiply and an add)
 * @iters times; @acc holds acc x lanes values, 64-byte aligned, read at
 * entry and written back at exit so the work cannot be optimised away.
 */
typedef void (*pk_peak_f64_fn)(double *acc, double x, double y, uint64_t iters);
typedef void (*pk_peak_f32_fn)(float *acc, float x, float y, uint64_t iters);
/*
 * The f64 loop with a chain of @chain dependent integer adds (7, 14 or
 * 28; other values run 28) in each inner iteration. The chain is longer
 * than the vector work takes at full rate, so it sets the pace while the
 * vector units stay busy most cycles: @iters x @chain adds per ns is the
 * clock under that load (lib/kernels/peak-clock.c).
 */
typedef void (*pk_peak_clock_fn)(double *acc, double x, double y, uint64_t iters,
				 unsigned chain);

struct pk_peak_isa {
	const char *name;
	unsigned lanes_f64;   /* doubles per vector */
	unsigned lanes_f32;   /* floats per vector */
	unsigned accumulators; /* independent chains per inner iteration */
	bool fused;           /* FMA, or separate multiply and add */
	pk_peak_f64_fn f64;
	pk_peak_f32_fn f32;
	pk_peak_clock_fn clock;
};

/* Every path compiled in, widest first; *count gets their number. */
const struct pk_peak_isa *pk_peak_isas(size_t *count);
/* Whether this CPU and OS can run @isa. */
bool pk_peak_isa_usable(const struct pk_peak_isa *isa);
/* The widest usable path (chosen once). */
const struct pk_peak_isa *pk_peak_isa_best(void);

/*
 * The core clock in GHz measured while @isa's clock loop runs
 * (lib/kernels/peak-clock.c), and, if @scalar_ghz is not NULL, the idle
 * add-chain clock measured just before. Returns 0 or -errno.
 */
int pk_peak_clock(const struct pk_peak_isa *isa, double *ghz, double *scalar_ghz);

/* The chain's constants: a converges to y / (1 - x) = 1. */
#define PK_PEAK_X (1.0 - 1.0 / 1024.0)
#define PK_PEAK_Y (1.0 / 1024.0)
/* Initial value of accumulator element e. */
#define PK_PEAK_INIT(e) (2.0 + (double)((e) % 8u))

/*
 * Check @count values after @steps chain steps against the closed form
 *     a_n = 1 + x^n (a_0 - 1)
 * with a tolerance for precision @eps. Returns 0 or -EBADMSG (with
 * pk_error). @name names the kernel in the message.
 */
int pk_peak_check(const char *name, const double *values, size_t count,
		  uint64_t steps, double eps);

/* Apply a macro to 0 .. 11 and 0 .. 15. */
#define PK_REP12(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11)
#define PK_REP16(M) PK_REP12(M) M(12) M(13) M(14) M(15)

/*
 * The body of a pk_peak_clock_fn: the inner loop with REP(STEP) and the
 * add chain, one copy per chain length. Expects iters and chain in scope.
 */
#ifdef PK_ADD1
#define PK_CLOCK_LOOP(REP, STEP, ADDS)                                        \
	for (uint64_t i_ = 0; i_ < iters; i_++) {                             \
		REP(STEP)                                                     \
		__asm__ __volatile__(ADDS : "+r"(chain_x_) : "r"(chain_one_)); \
	}
#define PK_CLOCK_LOOPS(REP, STEP)                                             \
	unsigned long chain_x_ = 0, chain_one_ = 1;                           \
	if (chain == 7) {                                                     \
		PK_CLOCK_LOOP(REP, STEP, PK_ADD7)                             \
	} else if (chain == 14) {                                             \
		PK_CLOCK_LOOP(REP, STEP, PK_ADD14)                            \
	} else {                                                              \
		PK_CLOCK_LOOP(REP, STEP, PK_ADD28)                            \
	}                                                                     \
	__asm__ __volatile__("" : : "r"(chain_x_));
#endif

/* The paths; each exists only where its file is compiled. */
void pk_peak_avx512_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_avx512_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_avx512_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain);
void pk_peak_avx2_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_avx2_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_avx2_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain);
void pk_peak_avx_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_avx_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_avx_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain);
void pk_peak_sse2_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_sse2_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_sse2_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain);
void pk_peak_neon_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_neon_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_neon_clock(double *acc, double x, double y, uint64_t iters,
			unsigned chain);
void pk_peak_portable_f64(double *acc, double x, double y, uint64_t iters);
void pk_peak_portable_f32(float *acc, float x, float y, uint64_t iters);
void pk_peak_portable_clock(double *acc, double x, double y, uint64_t iters,
			    unsigned chain);

#endif /* PERFKIT_PEAK_H */
