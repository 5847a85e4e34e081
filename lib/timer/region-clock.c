/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the clock they are timed with, chosen once.
 */
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "common.h"
#include "perfkit/timer.h"
#include "region-private.h"

_Atomic bool pk_region_use_ticks;	/* set once by setup() */
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static bool invariant_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;

	if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
		return false;
	__get_cpuid(0x80000007u, &a, &b, &c, &d);
	return (d >> 8) & 1u;
#elif defined(__aarch64__)
	return true;
#else
	return false;
#endif
}

double pk_region_unit_ns(void)
{
	double hz;

	if (!atomic_load(&pk_region_use_ticks) || perfkit_ticks_rate(&hz) < 0 || !(hz > 0))
		return 1.0;
	return 1e9 / hz;
}

static void setup(void)
{
	const char *env = getenv("PERFKIT_REGION_CLOCK");

	/* An escape hatch for machines whose counter lies despite the flag
	 * (some VMs that migrate between hosts). */
	atomic_store(&pk_region_use_ticks, invariant_ticks() &&
		     !(env && strcmp(env, "monotonic") == 0));
}

void pk_region_setup(void)
{
	pthread_once(&setup_once, setup);
}

uint64_t pk_region_now(void)
{
	pk_region_setup();
	return pk_region_clock_now();
}

PERFKIT_EXPORT enum perfkit_clock perfkit_region_clock(void)
{
	pk_region_setup();
	return atomic_load(&pk_region_use_ticks) ? PERFKIT_CLOCK_TICKS : PERFKIT_CLOCK_MONOTONIC;
}
