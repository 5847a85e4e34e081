/* SPDX-License-Identifier: MIT */
/*
 * The core clock while the `peak` kernel's instruction set is hot. Cores
 * with a frequency licence per ISA (Intel's AVX-512 and AVX2 "heavy"
 * instructions) run wide FMAs at a lower clock than scalar code and keep
 * it for ~0.5-2 ms after the last one, so a short add chain timed right
 * after a burst of the peak loop reads the clock the peak kernel runs at.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "machine-private.h"
#include "kernels.h"
#include "peak.h"

enum { SCALAR_RUNS = 11, SAMPLES = 15, MAX_TRIES = 45 };
#define BURST_NS 1.5e6 /* long enough to reach the licence */
#define CHAIN_NS 3e4   /* short enough to end well before it lapses */

static uint64_t cpu_ns(void)
{
	uint64_t ns = 0;

	perfkit_clock_read(PERFKIT_CLOCK_THREAD_CPU, &ns);
	return ns;
}

/* Inner iterations of @isa's loop that take ~BURST_NS. Calibrating also
 * brings the core to the ISA's clock. */
static uint64_t burst_iters(const struct pk_peak_isa *isa, double *acc)
{
	uint64_t iters = 1024, t0, ns;

	for (;;) {
		t0 = perfkit_now_ns();
		isa->f64(acc, PK_PEAK_X, PK_PEAK_Y, iters);
		ns = perfkit_now_ns() - t0;
		if (ns >= BURST_NS / 2 || iters >= (1ull << 40))
			break;
		iters *= 2;
	}
	return ns ? (uint64_t)((double)iters * BURST_NS / (double)ns) + 1 : iters;
}

/* One burst, then one chain. Returns 1 if the thread kept its CPU
 * throughout, 0 if not, or -errno. */
static int sample(const struct pk_peak_isa *isa, double *acc, uint64_t burst,
		  unsigned long chain, double *ghz)
{
	uint64_t c0 = cpu_ns(), t0 = perfkit_now_ns(), t1, c1;
	int ran;

	isa->f64(acc, PK_PEAK_X, PK_PEAK_Y, burst);
	ran = pk_add_chain_ghz(chain, ghz);
	t1 = perfkit_now_ns();
	c1 = cpu_ns();
	if (ran < 0)
		return ran;
	return ran && (double)(c1 - c0) >= 0.95 * (double)(t1 - t0);
}

static int loaded_ghz(const struct pk_peak_isa *isa, double *acc,
		      double scalar, double *ghz)
{
	double kept[MAX_TRIES], all[MAX_TRIES];
	unsigned long chain = (unsigned long)(CHAIN_NS * scalar / PK_ADD_CHAIN_PER_ITER) + 1;
	uint64_t burst = burst_iters(isa, acc);
	unsigned nkept = 0, tried = 0;
	int ran;

	/* Keep samples during which the thread was not descheduled; on a
	 * busy machine give up after MAX_TRIES and use them all. */
	while (nkept < SAMPLES && tried < MAX_TRIES) {
		if ((ran = sample(isa, acc, burst, chain, &all[tried])) < 0)
			return ran;
		if (ran)
			kept[nkept++] = all[tried];
		tried++;
	}
	if (nkept < SAMPLES) {
		memcpy(kept, all, sizeof(double) * tried);
		nkept = tried;
	}
	*ghz = pk_median_sort(kept, nkept);
	if (!isfinite(*ghz) || *ghz <= 0)
		return pk_error(-ERANGE, "clock under the '%s' peak loop is not positive",
				isa->name);
	return 0;
}

int pk_peak_clock(const struct pk_peak_isa *isa, double *ghz, double *scalar_ghz)
{
	size_t count = (size_t)isa->accumulators * isa->lanes_f64;
	double scalar, *acc;
	int rc;

	/* First the idle clock: it sizes the chain, and the licence of any
	 * earlier wide code has lapsed by the end of its ~15 ms. */
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

PERFKIT_EXPORT int perfkit_kernel_peak_clock(double *ghz, double *scalar_ghz)
{
	if (!ghz)
		return pk_error(-EINVAL, "perfkit_kernel_peak_clock: ghz is NULL");
	return pk_peak_clock(pk_peak_isa_best(), ghz, scalar_ghz);
}
