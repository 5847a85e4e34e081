/* SPDX-License-Identifier: MIT */
/*
 * Which BLIS sub-configuration (kernel set) the BLAS kernels run with.
 *
 * BLIS picks its kernels from cpuid once, at its first call. On Intel it
 * uses the AVX-512 'skx' kernels only when it can tell the core has two
 * 512-bit FMA units, which it reads from the model number or brand string.
 * A VM that shows a generic "Xeon Processor" (or a client model number)
 * defeats that, and BLIS 0.9 falls back to 'haswell' (AVX2): two thirds of
 * the dgemm rate. The machine probe knows better (AMX, the FLOPs/cycle
 * table), so before BLIS's first call, and only if the user has not set
 * BLIS_ARCH_TYPE, libperfkit asks BLIS for 'skx' on such cores.
 */
#include <blis.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/machine.h"
#include "common.h"
#include "kernels.h"

static pthread_once_t choose_once = PTHREAD_ONCE_INIT;
static const char *chosen_by = "BLIS (cpuid)";

/* Intel with usable AVX-512 and, per the machine probe, two FMA units. */
static int wants_skx(void)
{
	const struct perfkit_machine *m;
	double dp = 0;

	if (perfkit_machine_probe(&m) != 0 ||
	    !(perfkit_machine_simd(m) & PERFKIT_SIMD_AVX512F) ||
	    perfkit_machine_flops_per_cycle(m, &dp, NULL) != 0)
		return 0;
	return dp >= 32 && strcmp(perfkit_machine_cpu_vendor(m), "GenuineIntel") == 0;
}

static void choose(void)
{
	char id[16];

	if (getenv("BLIS_ARCH_TYPE")) {
		chosen_by = "the BLIS_ARCH_TYPE environment variable";
	} else if (wants_skx()) {
		/* BLIS 0.9 reads BLIS_ARCH_TYPE as an arch_t number, once. */
		snprintf(id, sizeof(id), "%d", (int)BLIS_ARCH_SKX);
		setenv("BLIS_ARCH_TYPE", id, 0);
		/* The id is checked against the registered kernel sets:
		 * initialise those first. */
		bli_init();
		arch_t got = bli_arch_query_id();

		unsetenv("BLIS_ARCH_TYPE");
		/* BLIS may have chosen before (the program called it). */
		if (got == BLIS_ARCH_SKX)
			chosen_by = "libperfkit: two 512-bit FMA units per "
				    "core that BLIS's cpuid check cannot see";
	}
	bli_init();
	(void)bli_arch_query_id();
}

void pk_blis_choose_arch(void)
{
	pthread_once(&choose_once, choose);
}

PERFKIT_EXPORT int perfkit_kernel_blas_config(const char **name,
					      const char **chosen)
{
	pk_blis_choose_arch();
	if (name)
		*name = bli_arch_string(bli_arch_query_id());
	if (chosen)
		*chosen = chosen_by;
	return 0;
}
