/* SPDX-License-Identifier: MIT */
/* Aggregates of a set of worker records: summed ("peak") and effective
 * rates, the per-worker spread, stragglers, fractions of the peaks, and
 * the start-up and collection costs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness-private.h"

int pk_harness_is_worker(const struct perfkit_record *r)
{
	return r->worker >= 0;
}

int pk_harness_succeeded(const struct perfkit_record *r)
{
	return r->worker >= 0 && r->status == 0 && isfinite(r->elapsed) &&
	       r->elapsed > 0 && isfinite(r->flops) && isfinite(r->bytes);
}

/* Does record @i match the point (NULL key: every record)? */
static int matches(const struct perfkit_results *res, size_t i,
		   const char *key, const char *value)
{
	char buf[128];

	if (!key)
		return 1;
	return perfkit_results_value(res, i, key, buf, sizeof(buf)) == 0 &&
	       strcmp(buf, value) == 0;
}

static double meta_number(const struct perfkit_results *res, const char *key)
{
	const char *v;
	char *end;
	double x;

	if (perfkit_results_meta_get(res, key, &v) != 0)
		return NAN;
	x = strtod(v, &end);
	return end != v && *end == '\0' && isfinite(x) ? x : NAN;
}

/* Per-record samples collected in one pass. */
struct samples {
	double *gflops, *elapsed, *setup, *spawn, *collect;
	struct pk_interval *work; /* [t_setup, t_end] and flops */
	size_t n, nsetup, nspawn, ncollect, nwork;
};

static void add_finite(double *v, size_t *n, double x)
{
	if (isfinite(x))
		v[(*n)++] = x;
}

static void add_record(const struct perfkit_record *r,
		       struct perfkit_harness_summary *s, struct samples *sm,
		       double *first, double *last)
{
	s->workers++;
	if (r->status != 0)
		s->failed++;
	if (isfinite(r->t_submit) && r->t_submit < *first)
		*first = r->t_submit;
	if (isfinite(r->t_collected) && r->t_collected > *last)
		*last = r->t_collected;
	if (!pk_harness_succeeded(r))
		return;
	s->flops += r->flops;
	s->bytes += r->bytes;
	s->peak_gflops += r->flops / r->elapsed * 1e-9;
	s->peak_gbps += r->bytes / r->elapsed * 1e-9;
	sm->gflops[sm->n] = r->flops / r->elapsed * 1e-9;
	sm->elapsed[sm->n++] = r->elapsed;
	add_finite(sm->setup, &sm->nsetup, r->t_setup - r->t_start);
	add_finite(sm->spawn, &sm->nspawn, (r->t_start - r->t_submit) * 1e6);
	add_finite(sm->collect, &sm->ncollect, (r->t_collected - r->t_end) * 1e6);
	if (isfinite(r->t_setup) && isfinite(r->t_end) && r->t_end > r->t_setup)
		sm->work[sm->nwork++] = (struct pk_interval){ r->t_setup, r->t_end, r->flops };
}

static void spread(struct perfkit_harness_summary *s, struct samples *sm)
{
	if (sm->n > 0) {
		s->worker_gflops_median = pk_median_sort(sm->gflops, sm->n);
		s->worker_gflops_min = sm->gflops[0];
		s->worker_gflops_max = sm->gflops[sm->n - 1];
		s->elapsed_median = pk_median_sort(sm->elapsed, sm->n);
		s->elapsed_max = sm->elapsed[sm->n - 1];
		s->straggler_ratio = s->elapsed_max / s->elapsed_median;
	}
	s->setup_median = pk_median_sort(sm->setup, sm->nsetup);
	s->spawn_us_median = pk_median_sort(sm->spawn, sm->nspawn);
	s->collect_us_median = pk_median_sort(sm->collect, sm->ncollect);
}

/* Fractions of the theoretical and the measured peak, from the metadata. */
static void fractions(const struct perfkit_results *res,
		      struct perfkit_harness_summary *s)
{
	double core_peak = meta_number(res, "harness.core_peak_gflops");
	double cores = meta_number(res, "harness.cores");
	double threads = meta_number(res, "harness.threads");
	double per_worker = meta_number(res, "harness.peak_kernel_gflops_per_worker");
	double per_core = meta_number(res, "harness.peak_kernel_gflops_per_core");
	double used = (double)s->workers * (isfinite(threads) && threads >= 1 ? threads : 1);

	if (isfinite(cores) && cores >= 1) {
		s->oversubscription = used / cores;
		s->machine_gflops = core_peak * cores;
		if (used > cores)
			used = cores;
	}
	s->theoretical_gflops = core_peak * used;
	s->fraction_theoretical = s->peak_gflops / s->theoretical_gflops;
	s->concurrent_fraction_theoretical = s->concurrent_gflops / s->theoretical_gflops;
	/* per core where known: right for every point of a sweep */
	s->peak_kernel_gflops = isfinite(per_core) && isfinite(cores) && cores >= 1
					? per_core * used
					: per_worker * (double)s->workers;
	s->fraction_peak_kernel = s->peak_gflops / s->peak_kernel_gflops;
}

static void init_summary(struct perfkit_harness_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->intensity = s->span = s->effective_gflops = s->effective_gbps = NAN;
	s->worker_gflops_min = s->worker_gflops_median = s->worker_gflops_max = NAN;
	s->elapsed_median = s->elapsed_max = s->straggler_ratio = NAN;
	s->theoretical_gflops = s->fraction_theoretical = NAN;
	s->peak_kernel_gflops = s->fraction_peak_kernel = NAN;
	s->setup_median = s->spawn_us_median = s->collect_us_median = NAN;
	s->machine_gflops = s->concurrent_gflops = NAN;
	s->concurrent_fraction_theoretical = s->oversubscription = NAN;
}

static int summarize(const struct perfkit_results *res, const char *key,
		     const char *value, struct perfkit_harness_summary *out)
{
	size_t n = perfkit_results_count(res);
	struct samples sm = { 0 };
	double first = INFINITY, last = -INFINITY;
	double *buf = calloc(5 * (n ? n : 1), sizeof(double));
	struct perfkit_harness_summary s;
	int rc;

	sm.work = calloc(n ? n : 1, sizeof(*sm.work));
	if (!buf || !sm.work) {
		free(buf);
		free(sm.work);
		return pk_error(-ENOMEM, "harness summary: out of memory");
	}
	init_summary(&s);
	sm.gflops = buf, sm.elapsed = buf + n, sm.setup = buf + 2 * n;
	sm.spawn = buf + 3 * n, sm.collect = buf + 4 * n;
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) == 0 && pk_harness_is_worker(r) &&
		    matches(res, i, key, value))
			add_record(r, &s, &sm, &first, &last);
	}
	if (last >= first)
		s.span = last - first;
	if (s.bytes > 0)
		s.intensity = s.flops / s.bytes;
	s.effective_gflops = s.flops / s.span * 1e-9;
	s.effective_gbps = s.bytes / s.span * 1e-9;
	spread(&s, &sm);
	rc = pk_harness_concurrent_gflops(sm.work, sm.nwork, &s.concurrent_gflops);
	fractions(res, &s);
	free(buf);
	free(sm.work);
	if (rc)
		return rc;
	*out = s;
	if (s.workers == 0 && key)
		return pk_error(-ENOENT, "harness summary: no worker record has %s = %s",
				key, value);
	if (sm.n == 0)
		return pk_error(-EDOM, "harness summary: none of %zu worker records succeeded",
				s.workers);
	return 0;
}

PERFKIT_EXPORT int perfkit_harness_summarize(const struct perfkit_results *res,
					     struct perfkit_harness_summary *out)
{
	if (!res || !out)
		return pk_error(-EINVAL, "harness summary: %s is NULL", res ? "out" : "res");
	return summarize(res, NULL, NULL, out);
}

PERFKIT_EXPORT int
perfkit_harness_summarize_point(const struct perfkit_results *res, const char *key,
				const char *value, struct perfkit_harness_summary *out)
{
	if (!res || !key || !value || !out)
		return pk_error(-EINVAL, "harness summary: %s is NULL",
				!res ? "res" : !key ? "key" : !value ? "value" : "out");
	return summarize(res, key, value, out);
}
