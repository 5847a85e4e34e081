/* SPDX-License-Identifier: MIT */
/*
 * The core clock while the `peak` kernel's instruction set is busy. Cores
 * with a frequency licence per ISA (Intel's AVX-512 and AVX2 "heavy"
 * instructions) run wide FMAs at a lower clock than scalar code. The
 * `peak` loop's vector work runs here with a dependent add chain in each
 * inner iteration, long enough to set the pace while the vector units
 * stay busy >= 6/7 of the cycles: adds per ns is then the clock under
 * that load, measured during it rather than after it.
 */
#include <math.h>
#include <stdlib.h>

#include "perfkit/kernel.h"
#include "perfkit/timer.h"
#include "machine-private.h"
#include "kernels.h"
#include "peak.h"

enum { SCALAR_RUNS = 11, TIMED_PARTS = 15 };
#define PART_NS 1e6 /* the timed run is TIMED_PARTS of these */
#define WARM_NS 2e6   /* long enough to reach the licence */
#define MIN_LOADED 0.5 /* of the scalar clock; see loaded_ghz() */

/*
 * Adds per inner iteration: 7/6 of the cycles the vector work takes at
 * the table's flops per cycle, rounded up to a length the loops have.
 * Too short a chain would let the vector units set the pace and read the
 * clock low (a flattering peak ratio); too long only lowers their load.
 * Without a table entry the longest chain is the safe side.
 */
static unsigned chain_length(const struct pk_peak_isa *isa)
{
	const struct perfkit_machine *m;
	double dp, need;

	if (perfkit_machine_probe(&m) != 0 ||
	    perfkit_machine_flops_per_cycle(m, &dp, NULL) != 0 || !(dp > 0))
		return 28;
	need = 7.0 / 6.0 * isa->accumulators * isa->lanes_f64 * 2.0 / dp;
	return need <= 7.0 ? 7 : need <= 14.0 ? 14 : 28;
}

static uint64_t thread_cpu_ns(void)
{
	uint64_t ns = 0;

	perfkit_clock_read(PERFKIT_CLOCK_THREAD_CPU, &ns);
	return ns;
}

/* Inner iterations for ~PART_NS, found by timing (an emulator
 * runs the vector work far slower than the chain), then WARM_NS of the
 * loop to bring the licence on. */
static uint64_t warm_up(const struct pk_peak_isa *isa, double *acc, unsigned chain)
{
	uint64_t iters = 16, t0, ns;

	for (;;) {
		t0 = perfkit_now_ns();
		isa->clock(acc, PK_PEAK_X, PK_PEAK_Y, iters, chain);
		ns = perfkit_now_ns() - t0;
		if (ns >= PART_NS / 2 || iters >= (1ull << 40))
			break;
		iters *= 2;
	}
	iters = ns ? (uint64_t)((double)iters * PART_NS / (double)ns) + 1 : iters;
	isa->clock(acc, PK_PEAK_X, PK_PEAK_Y, (uint64_t)(WARM_NS / PART_NS) * iters, chain);
	return iters;
}

/*
 * Adds per ns of the thread's CPU time over one run of TIMED_PARTS x
 * ~PART_NS: the clock the loop got on average while it ran, as the
 * kernel's own rate is an average over its run. CPU time, not wall time:
 * a process that takes the CPU away (a busy test suite) must not lower
 * the clock.
 * On a shared host single runs vary by several percent (frequency changes,
 * time the hypervisor gives to other guests, which the guest's CPU time
 * does not show); their median or maximum would set the kernel against a
 * clock it never had on average, and flatter or wrong it.
 */
static int loaded_ghz(const struct pk_peak_isa *isa, double *acc,
		      double scalar, double *ghz)
{
	unsigned chain = chain_length(isa);
	uint64_t iters = warm_up(isa, acc, chain), t0, ns;
	double g;

	t0 = thread_cpu_ns();
	isa->clock(acc, PK_PEAK_X, PK_PEAK_Y, TIMED_PARTS * iters, chain);
	ns = thread_cpu_ns() - t0;
	g = ns ? (double)TIMED_PARTS * (double)iters * chain / (double)ns : 0.0;
	if (!isfinite(g) || g <= 0)
		return pk_error(-ERANGE, "clock under the '%s' peak loop is not positive",
				isa->name);
	/* Licences cost up to ~40%. Far below that, the vector work and not
	 * the chain set the pace (an emulator, or fewer vector units than the
	 * table says): no clock to report. */
	if (g < MIN_LOADED * scalar)
		return pk_error(-ERANGE, "clock under the '%s' peak loop: %.3g GHz, "
				"below %.0f%% of the scalar %.3g GHz: the add chain "
				"did not set the loop's pace (an emulator such as "
				"valgrind, or fewer vector units than the table says)",
				isa->name, g, 100 * MIN_LOADED, scalar);
	*ghz = g;
	return 0;
}

int pk_peak_clock(const struct pk_peak_isa *isa, double *ghz, double *scalar_ghz)
{
	size_t count = (size_t)isa->accumulators * isa->lanes_f64;
	double scalar, *acc;
	int rc;

	/* First the idle clock: the licence of any earlier wide code has
	 * lapsed by the end of its ~15 ms. */
	if ((rc = pk_measure_ghz(SCALAR_RUNS, &scalar, NULL, NULL)) < 0)
		return rc;
	acc = pk_kernel_alloc(count * sizeof(double));
	if (!acc)
		return pk_error(-ENOMEM, "peak clock: out of memory");
	for (size_t e = 0; e < count; e++)
		acc[e] = PK_PEAK_INIT(e);
	rc = loaded_ghz(isa, acc, scalar, ghz);
	free(acc);
	if (rc == 0 && scalar_ghz)
		*scalar_ghz = scalar;
	return rc;
}

/* Adds per ns of CPU time over one clock run of @iters. */
static double clock_run(const struct pk_peak_isa *isa, double *acc, uint64_t iters,
			unsigned chain)
{
	uint64_t t0 = thread_cpu_ns(), ns;

	isa->clock(acc, PK_PEAK_X, PK_PEAK_Y, iters, chain);
	ns = thread_cpu_ns() - t0;
	return ns ? (double)iters * chain / (double)ns : 0.0;
}

/* Flops per ns of CPU time over one run of the plain `peak` loop. */
static double peak_run(const struct pk_peak_isa *isa, double *acc, uint64_t iters)
{
	uint64_t t0 = thread_cpu_ns(), ns;

	isa->f64(acc, PK_PEAK_X, PK_PEAK_Y, iters);
	ns = thread_cpu_ns() - t0;
	return ns ? (double)iters * 2.0 * isa->accumulators * isa->lanes_f64 / (double)ns
		  : 0.0;
}

/* Iterations of the plain loop for ~PART_NS. */
static uint64_t peak_iters(const struct pk_peak_isa *isa, double *acc, uint64_t guess)
{
	uint64_t t0 = thread_cpu_ns(), ns;

	isa->f64(acc, PK_PEAK_X, PK_PEAK_Y, guess);
	ns = thread_cpu_ns() - t0;
	return ns ? (uint64_t)((double)guess * PART_NS / (double)ns) + 1 : guess;
}

/*
 * Clock runs and plain `peak` runs alternate, C P C P ... P C, each ~1 ms
 * of the thread's CPU time; pair i is the i-th P with the mean of the
 * clock runs on either side of it, so a clock that drifts meets the
 * kernel at the same moment on average.
 */
static int pairs(const struct pk_peak_isa *isa, double *acc, double scalar,
		 double *ghz, double *fpc, size_t n)
{
	unsigned chain = chain_length(isa);
	uint64_t ic = warm_up(isa, acc, chain), ip = peak_iters(isa, acc, ic);
	double before = clock_run(isa, acc, ic, chain), after, rate;
	size_t ok = 0, tries = 0;
	double low = NAN, g, f;

	/* A pair the host interrupted (a clock below MIN_LOADED x scalar:
	 * CPU time the guest counted while the vCPU did not run) is measured
	 * again, up to 2n + 2 tries; pairs still missing are NaN. Most of them
	 * that low means no clock at all (an emulator). */
	while (ok < n && tries++ < 2 * n + 2) {
		rate = peak_run(isa, acc, ip);
		after = clock_run(isa, acc, ic, chain);
		g = (before + after) / 2;
		f = rate / g;
		before = after;
		if (!isfinite(f) || g < MIN_LOADED * scalar || !(rate > 0)) {
			low = g;
			continue;
		}
		ghz[ok] = g;
		fpc[ok++] = f;
	}
	for (size_t i = ok; i < n; i++)
		ghz[i] = fpc[i] = NAN;
	if (2 * ok < n)
		return pk_error(-ERANGE, "clock under the '%s' peak loop: %zu of %zu pairs "
				"at %.3g GHz or so, below %.0f%% of the scalar %.3g GHz: the "
				"add chain did not set the loop's pace (an emulator such as "
				"valgrind, or fewer vector units than the table says)",
				isa->name, tries - 1 - ok, tries - 1, low, 100 * MIN_LOADED,
				scalar);
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_peak_pairs(double *ghz, double *flops_per_cycle,
					     size_t n, double *scalar_ghz)
{
	const struct pk_peak_isa *isa = pk_peak_isa_best();
	size_t count = (size_t)isa->accumulators * isa->lanes_f64;
	double scalar, *acc;
	int rc;

	if (!ghz || !flops_per_cycle)
		return pk_error(-EINVAL, "perfkit_kernel_peak_pairs: ghz or "
				"flops_per_cycle is NULL");
	if (n == 0 || n > PERFKIT_KERNEL_PEAK_PAIRS_MAX)
		return pk_error(-EINVAL, "perfkit_kernel_peak_pairs: %zu pairs: need 1 "
				"to %d", n, PERFKIT_KERNEL_PEAK_PAIRS_MAX);
	if ((rc = pk_measure_ghz(SCALAR_RUNS, &scalar, NULL, NULL)) < 0)
		return rc;
	acc = pk_kernel_alloc(count * sizeof(double));
	if (!acc)
		return pk_error(-ENOMEM, "peak pairs: out of memory");
	for (size_t e = 0; e < count; e++)
		acc[e] = PK_PEAK_INIT(e);
	rc = pairs(isa, acc, scalar, ghz, flops_per_cycle, n);
	free(acc);
	if (rc == 0 && scalar_ghz)
		*scalar_ghz = scalar;
	return rc;
}

PERFKIT_EXPORT int perfkit_kernel_peak_clock(double *ghz, double *scalar_ghz)
{
	if (!ghz)
		return pk_error(-EINVAL, "perfkit_kernel_peak_clock: ghz is NULL");
	return pk_peak_clock(pk_peak_isa_best(), ghz, scalar_ghz);
}
