/* SPDX-License-Identifier: MIT */
/*
 * The clock under the `peak` loop's load on as many cores as the run
 * keeps busy (a core's turbo clock falls as its neighbours get busy, so
 * the theoretical peak of W cores needs the clock with W cores loaded),
 * measured in pairs with the plain `peak` loop (perfkit_kernel_peak_pairs())
 * so that the kernel's share of the theoretical peak at that clock comes
 * from a clock and a kernel run taken at the same moment, with the spread
 * of the pairs as its uncertainty.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

/* Pairs per core: ~2 ms each, after ~17 ms of scalar clock and warm-up. */
#define PAIRS 15
/* Measurements before the clock is given up: a busy host may take the
 * vCPUs away during most pairs of one, seldom of two in a row. */
#define TRIES 2
/* MAD x this = one standard deviation of a normal distribution. */
#define MAD_SIGMA 1.4826
/* Standard error of a median = this x sigma / sqrt(n) (normal data). */
#define MEDIAN_SE 1.2533

struct clock_job {
	const struct pk_harness_plan *plan;
	unsigned pos; /* position in the plan's core order */
	double ghz[PAIRS], fpc[PAIRS], scalar;
	int rc;
	char error[256]; /* the thread's message when rc != 0 */
};

/* What the busy cores measured together: medians over every pair. */
struct peak_clock {
	double ghz, scalar, fpc, fpc_sigma;
	unsigned cores, pairs;
};

/* No barrier: each measurement starts with ~15 ms of scalar chains, far
 * longer than it takes to start the others, and a failed thread start
 * must not leave the rest waiting. */
static void *clock_thread(void *arg)
{
	struct clock_job *j = arg;
	const struct pk_harness_plan *p = j->plan;

	if (!p->core_order ||
	    (j->rc = pk_harness_bind(p->machine, p->core_order, p->ncores, j->pos, 1)) == 0)
		j->rc = perfkit_kernel_peak_pairs(j->ghz, j->fpc, PAIRS, &j->scalar);
	if (j->rc) /* errors are per thread: carry the message home */
		snprintf(j->error, sizeof(j->error), "%s", perfkit_last_error());
	return NULL;
}

/* Cores the run's workers and their kernel threads occupy at once. */
unsigned pk_harness_busy_cores(const struct pk_harness_plan *plan)
{
	unsigned cores = plan->core_order ? plan->ncores
					  : perfkit_machine_allowed_cores(plan->machine);
	uint64_t want = (uint64_t)plan->workers * plan->threads;

	if (cores == 0)
		cores = 1;
	return want < cores ? (unsigned)want : cores;
}

/* Start @n jobs, join those that started; 0 or the first failure. */
static int run_jobs(struct clock_job *jobs, unsigned n)
{
	pthread_t *tid = calloc(n, sizeof(*tid));
	unsigned started = 0;

	if (!tid)
		return pk_error(-ENOMEM, "harness: out of memory for the clock threads");
	while (started < n && pthread_create(&tid[started], NULL, clock_thread,
					     &jobs[started]) == 0)
		started++;
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	if (started < n)
		return pk_error(-EAGAIN, "harness: could not start %u clock threads", n);
	/* A core the host took away for most of its pairs is left out;
	 * only when every core failed is there no clock. */
	for (unsigned i = 0; i < n; i++)
		if (jobs[i].rc == 0)
			return 0;
	return pk_error(jobs[0].rc, "%s", jobs[0].error);
}

/* The median of the clocks (@fpc 0) or flops per cycle (1) of the pairs
 * that were measured (not NaN); they stay in @v[*k]. */
static double pooled_median(const struct clock_job *jobs, size_t m, int fpc,
			    double *v, size_t *k)
{
	*k = 0;
	for (size_t i = 0; i < m; i++) {
		if (jobs[i / PAIRS].rc != 0)
			continue;
		double x = fpc ? jobs[i / PAIRS].fpc[i % PAIRS] : jobs[i / PAIRS].ghz[i % PAIRS];

		if (isfinite(x))
			v[(*k)++] = x;
	}
	return pk_median_sort(v, *k);
}

/* Medians over all pairs of all cores, and the pairs' spread of flops
 * per cycle as one robust standard deviation (MAD x 1.4826). */
static int pool(const struct clock_job *jobs, unsigned n, struct peak_clock *out)
{
	size_t m = (size_t)n * PAIRS, k;
	double *v = malloc(m * sizeof(double)), *c = malloc(n * sizeof(double));
	int rc = 0;

	if (!v || !c) {
		rc = pk_error(-ENOMEM, "harness: out of memory for the clocks");
		goto out;
	}
	out->ghz = pooled_median(jobs, m, 0, v, &k);
	out->fpc = pooled_median(jobs, m, 1, v, &k);
	for (size_t i = 0; i < k; i++)
		v[i] = fabs(v[i] - out->fpc);
	out->fpc_sigma = MAD_SIGMA * pk_median_sort(v, k);
	size_t nc = 0;

	for (unsigned i = 0; i < n; i++)
		if (jobs[i].rc == 0)
			c[nc++] = jobs[i].scalar;
	out->scalar = pk_median_sort(c, nc);
	out->cores = n;
	out->pairs = (unsigned)k;
out:
	free(v);
	free(c);
	return rc;
}

/* perfkit_kernel_peak_pairs() on each core the run keeps busy, all at
 * once (each thread bound to one, in placement order). */
static int measure(const struct pk_harness_plan *plan, struct peak_clock *out)
{
	unsigned n = pk_harness_busy_cores(plan);
	struct clock_job *jobs = calloc(n, sizeof(*jobs));
	int rc;

	if (!jobs)
		return pk_error(-ENOMEM, "harness: out of memory for the clock threads");
	for (unsigned i = 0; i < n; i++) {
		jobs[i].plan = plan;
		jobs[i].pos = i * plan->threads;
	}
	if ((rc = run_jobs(jobs, n)) == 0)
		rc = pool(jobs, n, out);
	free(jobs);
	return rc;
}

static int meta_real(struct perfkit_results *res, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	return perfkit_results_meta_set(res, key, buf);
}

/* measure(), again if it failed; the reason of the last failure in
 * @why. */
static int measure_again(const struct pk_harness_plan *plan, struct peak_clock *pc,
			 char *why, size_t n)
{
	int rc = -EAGAIN;

	for (int t = 0; t < TRIES && rc != 0; t++) {
		perfkit_clear_error();
		if ((rc = measure(plan, pc)) != 0)
			snprintf(why, n, "not measured in %d tries: %s", t + 1,
				 perfkit_last_error());
	}
	return rc;
}

/* No clock under load: say why in "harness.peak_clock_error". */
static int meta_absent(struct perfkit_results *res, const char *why)
{
	return perfkit_results_meta_set(res, "harness.peak_clock_error", why);
}

int pk_harness_meta_peak_clock(struct perfkit_results *res,
			       const struct pk_harness_plan *plan, double core_peak)
{
	struct peak_clock pc = { 0 };
	double measured, dp;
	char buf[32], why[400];
	int rc;

	if (perfkit_machine_clock_measured(plan->machine, &measured, NULL) != 0)
		return meta_absent(res, "no measured clock to scale the peak from");
	if (perfkit_machine_flops_per_cycle(plan->machine, &dp, NULL) != 0 || !(dp > 0))
		return meta_absent(res, "flops per cycle unknown for this CPU");
	if (measure_again(plan, &pc, why, sizeof(why)) != 0)
		return meta_absent(res, why);
	snprintf(buf, sizeof(buf), "%u", pc.cores);
	if ((rc = perfkit_results_meta_set(res, "harness.peak_clock_isa",
					   perfkit_kernel_peak_isa())) ||
	    (rc = perfkit_results_meta_set(res, "harness.peak_clock_cores", buf)) ||
	    (rc = meta_real(res, "harness.peak_clock_ghz", pc.ghz)) ||
	    (rc = meta_real(res, "harness.peak_clock_scalar_ghz", pc.scalar)))
		return rc;
	snprintf(buf, sizeof(buf), "%u", pc.pairs);
	if ((rc = perfkit_results_meta_set(res, "harness.peak_pairs", buf)) ||
	    (rc = meta_real(res, "harness.peak_pairs_share", pc.fpc / dp)) ||
	    (rc = meta_real(res, "harness.peak_pairs_share_uncertainty",
			    MEDIAN_SE * pc.fpc_sigma / dp / sqrt(pc.pairs))) ||
	    (rc = meta_real(res, "harness.peak_share_uncertainty", pc.fpc_sigma / dp)))
		return rc;
	return meta_real(res, "harness.core_peak_gflops_at_peak_clock",
			 core_peak / measured * pc.ghz);
}
