/* SPDX-License-Identifier: MIT */
/*
 * `peak` and `peak-sp`: register-resident multiply-add chains, no memory
 * traffic, flops counted exactly: size x accumulators x lanes x 2 per
 * repetition. The inner loops live in peak-<isa>.c; this file picks one at
 * run time and keeps the per-instance state.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kernels.h"
#include "peak.h"

static const struct pk_peak_isa isas[] = {
#if defined(__x86_64__) || defined(__i386__)
	{ "avx512", 8, 16, 12, true, pk_peak_avx512_f64, pk_peak_avx512_f32,
	  pk_peak_avx512_clock },
	{ "avx2", 4, 8, 12, true, pk_peak_avx2_f64, pk_peak_avx2_f32,
	  pk_peak_avx2_clock },
	{ "avx", 4, 8, 12, false, pk_peak_avx_f64, pk_peak_avx_f32,
	  pk_peak_avx_clock },
	{ "sse2", 2, 4, 12, false, pk_peak_sse2_f64, pk_peak_sse2_f32,
	  pk_peak_sse2_clock },
#endif
#if defined(__aarch64__)
	{ "neon", 2, 4, 16, true, pk_peak_neon_f64, pk_peak_neon_f32,
	  pk_peak_neon_clock },
#endif
	/* fused: whatever the compiler emits; counted as 2 flops either way */
	{ "portable", 1, 1, 12, false, pk_peak_portable_f64, pk_peak_portable_f32,
	  pk_peak_portable_clock },
};

#define N_ISAS (sizeof(isas) / sizeof(isas[0]))

const struct pk_peak_isa *pk_peak_isas(size_t *count)
{
	*count = N_ISAS;
	return isas;
}

bool pk_peak_isa_usable(const struct pk_peak_isa *isa)
{
#if defined(__x86_64__) || defined(__i386__)
	/* libgcc's checks include the OS's XSAVE support (xgetbv), and
	 * valgrind reports no AVX-512, so under it this falls back. */
	__builtin_cpu_init();
	if (strcmp(isa->name, "avx512") == 0)
		return __builtin_cpu_supports("avx512f") &&
		       __builtin_cpu_supports("fma");
	if (strcmp(isa->name, "avx2") == 0)
		return __builtin_cpu_supports("avx2") &&
		       __builtin_cpu_supports("fma");
	if (strcmp(isa->name, "avx") == 0)
		return __builtin_cpu_supports("avx");
	if (strcmp(isa->name, "sse2") == 0)
		return __builtin_cpu_supports("sse2");
#endif
	/* neon is architectural on aarch64; portable runs anywhere. */
	return true;
}

static const struct pk_peak_isa *best;
static pthread_once_t best_once = PTHREAD_ONCE_INIT;

static void choose_best(void)
{
	for (size_t i = 0; i < N_ISAS; i++)
		if (pk_peak_isa_usable(&isas[i])) {
			best = &isas[i];
			return;
		}
	best = &isas[N_ISAS - 1];
}

const struct pk_peak_isa *pk_peak_isa_best(void)
{
	pthread_once(&best_once, choose_best);
	return best;
}

PERFKIT_EXPORT const char *perfkit_kernel_peak_isa(void)
{
	return pk_peak_isa_best()->name;
}

int pk_peak_check(const char *name, const double *values, size_t count,
		  uint64_t steps, double eps)
{
	const long double xn = powl((long double)PK_PEAK_X, (long double)steps);
	/* Rounding errors are damped by x each step: they add up over at
	 * most about 1/(1-x) = 1024 steps, on values of at most 10. */
	const double horizon = steps < 2048 ? (double)steps + 1 : 2048.0;
	const double tol = 20.0 * horizon * eps;

	for (size_t e = 0; e < count; e++) {
		long double want = 1.0L + xn * ((long double)PK_PEAK_INIT(e) - 1.0L);

		if (!(fabsl((long double)values[e] - want) <= tol))
			return pk_error(-EBADMSG, "kernel '%s': accumulator element "
					"%zu is %.17g after %llu steps, expected "
					"%.17Lg (tolerance %.3g)", name, e,
					values[e], (unsigned long long)steps, want,
					tol);
	}
	return 0;
}

struct peak_state {
	const char *name;
	const struct pk_peak_isa *isa;
	bool single;
	uint64_t iters; /* inner iterations per repetition: the size */
	uint64_t steps; /* chain steps done so far */
	size_t count;   /* accumulator elements */
	void *acc;
};

static size_t peak_elements(const struct pk_peak_isa *isa, bool single)
{
	return (size_t)isa->accumulators *
	       (single ? isa->lanes_f32 : isa->lanes_f64);
}

static int peak_setup(int64_t size, const struct perfkit_kernel_options *options,
		      void *userdata, void **state)
{
	const bool single = userdata != NULL;
	struct peak_state *s = calloc(1, sizeof(*s));

	(void)options;
	if (!s)
		return pk_error(-ENOMEM, "kernel 'peak': out of memory");
	s->name = single ? "peak-sp" : "peak";
	s->isa = pk_peak_isa_best();
	s->single = single;
	s->iters = (uint64_t)size;
	s->count = peak_elements(s->isa, single);
	s->acc = pk_kernel_alloc(s->count * (single ? sizeof(float) : sizeof(double)));
	if (!s->acc) {
		free(s);
		return pk_error(-ENOMEM, "kernel '%s': out of memory",
				single ? "peak-sp" : "peak");
	}
	for (size_t e = 0; e < s->count; e++) {
		if (single)
			((float *)s->acc)[e] = (float)PK_PEAK_INIT(e);
		else
			((double *)s->acc)[e] = PK_PEAK_INIT(e);
	}
	*state = s;
	return 0;
}

static int peak_run(void *state, uint64_t reps)
{
	struct peak_state *s = state;

	for (uint64_t r = 0; r < reps; r++) {
		if (s->single)
			s->isa->f32(s->acc, (float)PK_PEAK_X, (float)PK_PEAK_Y,
				    s->iters);
		else
			s->isa->f64(s->acc, PK_PEAK_X, PK_PEAK_Y, s->iters);
		/* Saturate: past 2^64 steps x^n is 0 anyway. */
		s->steps = s->steps > UINT64_MAX - s->iters ? UINT64_MAX
							    : s->steps + s->iters;
	}
	return 0;
}

static int peak_verify(void *state)
{
	const struct peak_state *s = state;
	double values[256]; /* 12 x 16 floats (avx512) or 16 x 4 (neon) */
	size_t n = s->count < 256 ? s->count : 256;

	for (size_t e = 0; e < n; e++)
		values[e] = s->single ? ((float *)s->acc)[e] : ((double *)s->acc)[e];
	return pk_peak_check(s->name, values, n, s->steps,
			     s->single ? 1.1920929e-07 : 2.220446049250313e-16);
}

static void peak_teardown(void *state)
{
	struct peak_state *s = state;

	if (!s)
		return;
	free(s->acc);
	free(s);
}

static double peak_flops(int64_t size, void *userdata)
{
	const struct pk_peak_isa *isa = pk_peak_isa_best();

	/* one multiply and one add (fused or not) per element per step */
	return 2.0 * (double)peak_elements(isa, userdata != NULL) * (double)size;
}

/* userdata marks single precision; the value is never dereferenced. */
static char single_tag;

const struct perfkit_kernel_ops pk_kernel_peak_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "peak",
	.description = "register-resident double-precision FMA chains, widest "
		       "ISA: size x accumulators x lanes x 2 flops, 0 bytes",
	.setup = peak_setup,
	.run = peak_run,
	.teardown = peak_teardown,
	.flops = peak_flops,
	.bytes = NULL,
	.verify = peak_verify,
	.userdata = NULL,
};

const struct perfkit_kernel_ops pk_kernel_peak_sp_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "peak-sp",
	.description = "register-resident single-precision FMA chains, widest "
		       "ISA: size x accumulators x lanes x 2 flops, 0 bytes",
	.setup = peak_setup,
	.run = peak_run,
	.teardown = peak_teardown,
	.flops = peak_flops,
	.bytes = NULL,
	.verify = peak_verify,
	.userdata = &single_tag,
};
