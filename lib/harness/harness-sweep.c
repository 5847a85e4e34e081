/* SPDX-License-Identifier: MIT */
/* The run's metadata, and sweeps over worker counts and problem sizes:
 * one set holding every point's records. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

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

/* The clock under the `peak` loop's load (a wide-FMA frequency licence
 * lowers it) on the cores the run keeps busy, the scalar clock measured
 * beside it, and one core's peak at the loaded clock. A failed
 * measurement leaves the keys out. */
static int meta_peak_clock(struct perfkit_results *res,
			   const struct pk_harness_plan *plan, double core_peak)
{
	double ghz, scalar, measured;
	unsigned cores;
	int rc;

	if (perfkit_machine_clock_measured(plan->machine, &measured, NULL) != 0 ||
	    pk_harness_peak_clock(plan, &ghz, &scalar, &cores) != 0)
		return 0;
	if ((rc = perfkit_results_meta_set(res, "harness.peak_clock_isa",
					   perfkit_kernel_peak_isa())) ||
	    (rc = meta_u64(res, "harness.peak_clock_cores", cores)) ||
	    (rc = meta_real(res, "harness.peak_clock_ghz", ghz)) ||
	    (rc = meta_real(res, "harness.peak_clock_scalar_ghz", scalar)))
		return rc;
	return meta_real(res, "harness.core_peak_gflops_at_peak_clock",
			 core_peak / measured * ghz);
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
	return meta_peak_clock(res, plan, core_peak);
}

int pk_harness_write_meta(struct perfkit_results *res,
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
	    (rc = meta_blas(res)))
		return rc;
	return meta_peak(res, plan);
}

/* "1,2,4" from a list of values. */
static int meta_list(struct perfkit_results *res, const char *key,
		     const uint64_t *v, size_t n)
{
	size_t cap = n * 21 + 1, len = 0;
	char *buf = malloc(cap);
	int rc;

	if (!buf)
		return pk_error(-ENOMEM, "harness: out of memory");
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%" PRIu64,
					i ? "," : "", v[i]);
	rc = perfkit_results_meta_set(res, key, buf);
	free(buf);
	return rc;
}

/* Which parameter a sweep varies. */
enum sweep_kind { SWEEP_WORKERS, SWEEP_SIZES };

static void apply_point(struct pk_harness_plan *p, enum sweep_kind kind,
			uint64_t v)
{
	if (kind == SWEEP_WORKERS)
		p->workers = (unsigned)v;
	else
		p->opt.problem_size = (int64_t)v;
}

struct sweep_keys {
	enum sweep_kind kind;
	const uint64_t *v;
	size_t n;
};

static int write_sweep_keys(struct perfkit_results *res, void *ctx)
{
	const struct sweep_keys *k = ctx;
	int rc = perfkit_results_meta_set(res, "harness.sweep",
					  k->kind == SWEEP_WORKERS ? "workers" : "sizes");

	return rc ? rc : meta_list(res, k->kind == SWEEP_WORKERS ? "harness.workers"
								 : "harness.size", k->v, k->n);
}

/* The set with the metadata of the largest worker count (or the first
 * size), then the sweep's own keys; the peak reference is taken once. */
static int sweep_set(struct pk_harness_plan *plan, enum sweep_kind kind,
		     const uint64_t *v, size_t n, struct perfkit_results **out)
{
	struct sweep_keys keys = { kind, v, n };

	apply_point(plan, kind, kind == SWEEP_WORKERS ? v[n - 1] : v[0]);
	return pk_harness_new_set(plan, write_sweep_keys, &keys, out);
}

/* Run every point into one set; keep going past failed workers. */
static int sweep(const struct perfkit_harness_options *opt, enum sweep_kind kind,
		 const uint64_t *v, size_t n, struct perfkit_results **out)
{
	struct pk_harness_plan plan;
	struct perfkit_results *res = NULL;
	int rc, first_rc = 0, failed = 0;
	char first_msg[512] = "";

	if ((rc = pk_harness_plan_init(&plan, opt)) ||
	    (rc = sweep_set(&plan, kind, v, n, &res)))
		goto out;
	plan.points = (unsigned)n;
	for (size_t i = 0; i < n && !failed; i++) {
		plan.point = (unsigned)i;
		apply_point(&plan, kind, v[i]);
		rc = pk_harness_run_into(&plan, res, &failed);
		if (rc && !first_rc) {
			first_rc = rc;
			snprintf(first_msg, sizeof(first_msg), "%s", perfkit_last_error());
		}
	}
	if (failed) {
		perfkit_results_destroy(res);
		res = NULL;
		first_rc = rc;
	} else if (first_rc) {
		pk_error(first_rc, "%s", first_msg);
	}
	rc = first_rc;
	*out = res;
out:
	pk_harness_plan_fini(&plan);
	return rc;
}

PERFKIT_EXPORT int
perfkit_harness_sweep_workers(const struct perfkit_harness_options *opt,
			      const unsigned *counts, size_t ncounts,
			      struct perfkit_results **out)
{
	struct pk_harness_plan plan;
	uint64_t *v;
	size_t n;
	int rc;

	if (!out)
		return pk_error(-EINVAL, "harness sweep: out is NULL");
	*out = NULL;
	if (counts && ncounts == 0)
		return pk_error(-EINVAL, "harness sweep: no worker counts given");
	if ((rc = pk_harness_plan_init(&plan, opt)))
		return rc;
	n = counts ? ncounts : plan.workers;
	pk_harness_plan_fini(&plan);
	v = calloc(n, sizeof(*v));
	if (!v)
		return pk_error(-ENOMEM, "harness sweep: out of memory");
	for (size_t i = 0; i < n; i++) {
		uint64_t w = counts ? counts[i] : i + 1;

		if (w == 0 || w > PERFKIT_HARNESS_WORKERS_MAX) {
			free(v);
			return pk_error(-EINVAL,
					"harness sweep: worker count %" PRIu64 " (entry %zu): "
					"need 1 to %d", w, i, PERFKIT_HARNESS_WORKERS_MAX);
		}
		v[i] = w;
	}
	rc = sweep(opt, SWEEP_WORKERS, v, n, out);
	free(v);
	return rc;
}

PERFKIT_EXPORT int
perfkit_harness_sweep_sizes(const struct perfkit_harness_options *opt,
			    const int64_t *sizes, size_t nsizes,
			    struct perfkit_results **out)
{
	uint64_t *v;
	int rc;

	if (!out)
		return pk_error(-EINVAL, "harness sweep: out is NULL");
	*out = NULL;
	if (!sizes || nsizes == 0)
		return pk_error(-EINVAL, "harness sweep: no problem sizes given");
	if ((rc = perfkit_harness_options_check(opt)))
		return rc;
	v = calloc(nsizes, sizeof(*v));
	if (!v)
		return pk_error(-ENOMEM, "harness sweep: out of memory");
	for (size_t i = 0; i < nsizes; i++) {
		if (sizes[i] <= 0) {
			free(v);
			return pk_error(-EINVAL,
					"harness sweep: problem size %lld (entry %zu): must be > 0",
					(long long)sizes[i], i);
		}
		v[i] = (uint64_t)sizes[i];
	}
	rc = sweep(opt, SWEEP_SIZES, v, nsizes, out);
	free(v);
	return rc;
}
