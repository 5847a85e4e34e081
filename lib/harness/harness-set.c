/* SPDX-License-Identifier: MIT */
/* A new result set for a run or a sweep: the run's metadata (machine,
 * options, BLAS, peaks and clocks), the `peak` reference and the epoch. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfkit/kernel.h"
#include "perfkit/machine.h"
#include "kernels.h"
#include "harness-private.h"

/* Inner iterations of one `peak` repetition for the peak reference: some
 * 20 MFLOP, a fraction of a millisecond. */
#define PEAK_REFERENCE_N 100000

static int meta_u64(struct perfkit_results *res, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return perfkit_results_meta_set(res, key, buf);
}

static int meta_real(struct perfkit_results *res, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	return perfkit_results_meta_set(res, key, buf);
}

/* Theoretical peak of one core for the kernel's precision, and the cores. */
/* The BLIS kernel set the BLAS kernels run with, and who chose it. */
static int meta_blas(struct perfkit_results *res)
{
	const char *name, *by;
	int rc;

	perfkit_kernel_blas_config(&name, &by);
	if ((rc = perfkit_results_meta_set(res, "harness.blas.config", name)))
		return rc;
	return perfkit_results_meta_set(res, "harness.blas.chosen_by", by);
}

static int meta_peak(struct perfkit_results *res, const struct pk_harness_plan *plan)
{
	const struct perfkit_machine *m = plan->machine;
	unsigned cores = perfkit_machine_allowed_cores(m);
	double dp, sp, core_peak;
	int rc;

	if (!m || cores == 0)
		return 0;
	if ((rc = meta_u64(res, "harness.cores", cores)))
		return rc;
	if (perfkit_machine_peak_gflops(m, &dp, &sp) != 0)
		return 0;
	core_peak = (pk_harness_kernel_is_sp(plan->kernel) ? sp : dp) / cores;
	if ((rc = meta_real(res, "harness.core_peak_gflops", core_peak)))
		return rc;
	return pk_harness_meta_peak_clock(res, plan, core_peak);
}

/* What perfkit_harness_oversubscription() needs beyond the options:
 * whether the kernel sets its own thread count (the built-ins do), and
 * the threads variables a user kernel may obey, where they are set. */
static int meta_threads_env(struct perfkit_results *res,
			    const struct pk_harness_plan *plan)
{
	static const char *const vars[] = { "OMP_NUM_THREADS", "BLIS_NUM_THREADS",
					    "OPENBLAS_NUM_THREADS" };
	char key[64];
	int rc = meta_u64(res, "harness.kernel_builtin",
			  (uint64_t)pk_kernel_is_builtin(plan->kernel));

	for (size_t i = 0; rc == 0 && i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		snprintf(key, sizeof(key), "harness.env.%s", vars[i]);
		if (v && *v)
			rc = perfkit_results_meta_set(res, key, v);
	}
	return rc;
}

static int write_meta(struct perfkit_results *res,
			  const struct pk_harness_plan *plan)
{
	const struct perfkit_harness_options *o = &plan->opt;
	int rc = 0;

	if (plan->machine)
		rc = perfkit_results_set_machine(res, plan->machine);
	if (rc || (rc = perfkit_results_meta_set(res, "harness.kernel",
						 perfkit_kernel_name(plan->kernel))) ||
	    (rc = meta_u64(res, "harness.size", (uint64_t)o->problem_size)) ||
	    (rc = meta_u64(res, "harness.loopcount", o->loopcount)) ||
	    (rc = meta_real(res, "harness.min_time", o->min_time)) ||
	    (rc = meta_u64(res, "harness.workers", plan->workers)) ||
	    (rc = perfkit_results_meta_set(res, "harness.mode",
					   perfkit_harness_mode_name(o->mode))) ||
	    (rc = perfkit_results_meta_set(res, "harness.placement",
					   perfkit_harness_placement_name(o->placement))) ||
	    (rc = meta_u64(res, "harness.threads", plan->threads)) ||
	    (rc = meta_u64(res, "harness.warmup", o->warmup)) ||
	    (rc = perfkit_results_meta_set(res, "harness.start",
					   perfkit_harness_start_name(o->start))) ||
	    (rc = meta_real(res, "harness.stagger", o->stagger)) ||
	    (rc = meta_u64(res, "harness.verify", o->verify != 0)) ||
	    (rc = meta_blas(res)) || (rc = meta_threads_env(res, plan)))
		return rc;
	return meta_peak(res, plan);
}

/* Measure the `peak` kernel once per busy core (one single-threaded
 * worker bound to each, in placement order), not once per worker: W
 * workers time-sliced on C cores reach at most what C cores do, and 2,800
 * workers would take minutes. The rate is stored per core (each point
 * of a sweep uses the cores its own workers keep busy) and, for readers
 * of older files and of MPI jobs, per worker of the run (the C cores'
 * rate / W, W the set's largest worker count). A failure leaves the keys out: the
 * main run does not depend on them. */
static void peak_reference(const struct pk_harness_plan *plan,
			   struct perfkit_results *res)
{
	struct pk_harness_plan p = *plan;
	struct perfkit_harness_summary sum;
	struct perfkit_results *tmp = NULL;
	int failed;
	char buf[64];

	if (perfkit_kernel_find(pk_harness_kernel_is_sp(plan->kernel) ? "peak-sp" : "peak",
				&p.kernel) != 0 ||
	    perfkit_results_new(&tmp) != 0)
		return;
	p.workers = pk_harness_busy_cores(plan);
	p.threads = 1;
	p.opt.problem_size = PEAK_REFERENCE_N;
	p.opt.loopcount = 0;
	p.opt.min_time = plan->opt.peak_reference;
	p.opt.warmup = 0;
	p.opt.start = PERFKIT_HARNESS_START_BARRIER;
	p.opt.stagger = 0;
	p.opt.verify = 0;
	p.opt.progress = NULL;
	p.opt.before_submit = NULL;
	if (pk_harness_run_into(&p, tmp, &failed) == 0 &&
	    perfkit_harness_summarize(tmp, &sum) == 0 &&
	    meta_u64(res, "harness.peak_kernel_cores", p.workers) == 0) {
		snprintf(buf, sizeof(buf), "%.17g", sum.peak_gflops / plan->workers);
		perfkit_results_meta_set(res, "harness.peak_kernel_gflops_per_worker", buf);
		snprintf(buf, sizeof(buf), "%.17g", sum.peak_gflops / p.workers);
		perfkit_results_meta_set(res, "harness.peak_kernel_gflops_per_core", buf);
	}
	perfkit_results_destroy(tmp);
}

/* The set's epoch is now, just before its first run (after the machine
 * probe, the clocks and the peak reference). */
static void epoch_now(struct perfkit_results *res)
{
	struct timespec rt;

	clock_gettime(CLOCK_REALTIME, &rt);
	perfkit_results_set_epoch_ns(res, (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec);
}

int pk_harness_new_set(const struct pk_harness_plan *plan, pk_harness_meta_fn more,
		       void *ctx, struct perfkit_results **out)
{
	int rc = perfkit_results_new(out);

	if (rc)
		return rc;
	if ((rc = write_meta(*out, plan)) || (more && (rc = more(*out, ctx)))) {
		perfkit_results_destroy(*out);
		*out = NULL;
		return rc;
	}
	if (plan->opt.peak_reference > 0)
		peak_reference(plan, *out);
	epoch_now(*out);
	return 0;
}
