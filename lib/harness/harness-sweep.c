/* SPDX-License-Identifier: MIT */
/* Sweeps over worker counts and problem sizes: one set holding every
 * point's records. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

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
	const struct pk_harness_plan *plan;
};

static int write_sweep_keys(struct perfkit_results *res, void *ctx)
{
	const struct sweep_keys *k = ctx;
	int rc = perfkit_results_meta_set(res, "harness.sweep",
					  k->kind == SWEEP_WORKERS ? "workers" : "sizes");

	if (rc == 0)
		rc = pk_harness_meta_total(res, k->plan);
	return rc ? rc : meta_list(res, k->kind == SWEEP_WORKERS ? "harness.workers"
								 : "harness.size", k->v, k->n);
}

/* The set with the metadata of the largest worker count (or the first
 * size), then the sweep's own keys; the peak reference is taken once. */
static int sweep_set(struct pk_harness_plan *plan, enum sweep_kind kind,
		     const uint64_t *v, size_t n, struct perfkit_results **out)
{
	struct sweep_keys keys = { kind, v, n, plan };

	apply_point(plan, kind, kind == SWEEP_WORKERS ? v[n - 1] : v[0]);
	return pk_harness_new_set(plan, write_sweep_keys, &keys, out);
}

/* Run every point into one set; keep going past failed workers, stop
 * when the caller asks (the set keeps the points that finished). */
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
		if (rc == -ECANCELED) {
			first_rc = pk_error(rc, "harness: cancelled after %zu of %zu "
					    "sweep points", i, n);
			break;
		}
		if (rc && !first_rc) {
			first_rc = rc;
			snprintf(first_msg, sizeof(first_msg), "%s", perfkit_last_error());
		}
	}
	if (failed) {
		perfkit_results_destroy(res);
		res = NULL;
		first_rc = rc;
	} else if (first_rc && first_rc != -ECANCELED) {
		pk_error(first_rc, "%s", first_msg);
	}
	rc = first_rc;
	*out = res;
out:
	pk_harness_plan_fini(&plan);
	return rc;
}

/* Strong scaling: every point must be able to share the total, checked
 * before the first point runs. */
static int check_totals(const struct perfkit_harness_options *opt,
			const uint64_t *v, size_t n)
{
	struct pk_harness_plan plan;
	char msg[256];
	int rc = 0;

	memset(&plan, 0, sizeof(plan));
	if (opt->size >= offsetof(struct perfkit_harness_options, total_loopcount) +
			 sizeof(opt->total_loopcount))
		plan.opt.total_loopcount = opt->total_loopcount;
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = pk_harness_check_total(&plan, (unsigned)v[i]))) {
			snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
			rc = pk_error(rc, "harness sweep: point %zu: %s", i, msg);
		}
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
	rc = check_totals(opt, v, n);
	if (rc == 0)
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
