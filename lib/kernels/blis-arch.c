/* SPDX-License-Identifier: MIT */
/*
 * Which BLIS sub-configuration (kernel set) the BLAS kernels run with.
 *
 * BLIS picks its kernels from cpuid once, at its first call, from a table
 * of vendors and model numbers. A CPU newer than the BLIS build (Debian's
 * BLIS 0.9 on a Zen 5) or a hypervisor that hides the model (a Xeon shown
 * as "Xeon Processor") makes it fall back to 'generic' or to narrower
 * vectors than the core has: a third of the dgemm rate. So, before BLIS's
 * first call, libperfkit asks BLIS (in a child process) what it would
 * choose; where that is generic or narrower than the widest set this CPU
 * executes, it times the sets the CPU executes (blis-measure.c) and asks
 * BLIS for the fastest. A measurement, not a rule tied to a CPU's name.
 *
 * BLIS_ARCH_TYPE set by the user always wins. PERFKIT_BLAS_CHOICE=blis
 * keeps BLIS's own choice; PERFKIT_BLAS_CHOICE=measure times the sets
 * even when BLIS's choice looks right.
 */
#include <blis.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blis-measure.h"
#include "common.h"
#include "kernels.h"

/* The timed calls of all sets together (2-3 ms each): with a fork and
 * BLIS start-up per set, some 50 ms once per process. */
#define MEASURE_SECONDS 0.015

static pthread_once_t choose_once = PTHREAD_ONCE_INIT;
static const char *chosen_by = "BLIS (cpuid)";
/* Said when the trials were wanted but none answered (fork failed, or
 * every child died or hung): BLIS's own choice stands, and the user
 * learns why. */
#define NOT_TIMED "BLIS (cpuid); libperfkit could not time the kernel sets: " \
		  "no trial process answered"
static char measured_text[512];

struct trial {
	arch_t id;
	double gflops;
};

/* "skx 52.1, zen3 38.0, generic 14.9 GFLOPS" into measured_text's tail. */
static void describe(const struct trial *t, size_t n, arch_t own, arch_t best)
{
	size_t len = sizeof(measured_text);
	int at = snprintf(measured_text, len,
			  "libperfkit: the fastest on a one-core dgemm of order 128 (");

	for (size_t i = 0; i < n && at > 0 && (size_t)at < len; i++)
		at += snprintf(measured_text + at, len - (size_t)at, "%s%s %.1f",
			       i ? ", " : "", bli_arch_string(t[i].id), t[i].gflops);
	if (at > 0 && (size_t)at < len)
		snprintf(measured_text + at, len - (size_t)at,
			 " GFLOPS); BLIS's own choice: %s%s", bli_arch_string(own),
			 best == own ? ", kept" : "");
	chosen_by = measured_text;
}

/* Time every set this CPU executes; the fastest, or @own if none ran. */
static arch_t fastest(arch_t own, struct trial *t, size_t *n)
{
	arch_t ids[BLIS_NUM_ARCHS], best = own;
	size_t count = pk_blis_candidates(own, ids, BLIS_NUM_ARCHS);
	double each = MEASURE_SECONDS / (double)(count ? count : 1), top = 0;

	*n = 0;
	for (size_t i = 0; i < count; i++) {
		arch_t ran;
		double gflops;

		if (pk_blis_trial((int)ids[i], each, &ran, &gflops) != 0)
			continue; /* not in this BLIS build */
		t[(*n)++] = (struct trial){ ran, gflops };
		if (gflops > top) {
			top = gflops;
			best = ran;
		}
	}
	return best;
}

/* Ask BLIS for @id at its first call. */
static void start_blis_with(arch_t id)
{
	char buf[16];

	/* BLIS 0.9 reads BLIS_ARCH_TYPE as an arch_t number, once. */
	snprintf(buf, sizeof(buf), "%d", (int)id);
	setenv("BLIS_ARCH_TYPE", buf, 0);
	bli_init();
	unsetenv("BLIS_ARCH_TYPE");
}

static void measure(int always)
{
	struct trial t[BLIS_NUM_ARCHS];
	arch_t own, best;
	double unused;
	size_t n;

	if (pk_blis_trial(-1, 0, &own, &unused) != 0) {
		chosen_by = NOT_TIMED;
		return;
	}
	if (!always && !pk_blis_below_cpu(own))
		return;
	best = fastest(own, t, &n);
	if (n == 0) {
		chosen_by = NOT_TIMED;
		return;
	}
	if (best != own)
		start_blis_with(best);
	/* The program may have called BLIS before: say only what ran. */
	if (bli_arch_query_id() == best)
		describe(t, n, own, best);
}

static void choose(void)
{
	const char *how = getenv("PERFKIT_BLAS_CHOICE");

	if (getenv("BLIS_ARCH_TYPE"))
		chosen_by = "the BLIS_ARCH_TYPE environment variable";
	else if (!how || strcmp(how, "blis") != 0)
		measure(how && strcmp(how, "measure") == 0);
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
