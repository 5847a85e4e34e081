/* SPDX-License-Identifier: MIT */
/* perfkit-flops: the printed report, all from the result set (records and
 * metadata), so it reads the same for a run and for a file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flops-report.h"

static const char *meta(const struct perfkit_results *res, const char *key)
{
	const char *v;

	return perfkit_results_meta_get(res, key, &v) == 0 ? v : "unknown";
}

const char *report_meta_text(const struct perfkit_results *res, const char *key)
{
	return meta(res, key);
}

double report_meta_num(const struct perfkit_results *res, const char *key)
{
	char *end;
	const char *v = meta(res, key);
	double x = strtod(v, &end);

	return end != v && *end == '\0' ? x : NAN;
}

/* The theoretical peak of @used cores at the clock under load, and the
 * `peak` loop's share of it measured in pairs with that clock. Never
 * below the measured @reached (GFLOPS, NaN if none) as a fact. */
static void report_loaded_peak(FILE *out, const struct perfkit_results *res,
			       double loaded, double used, double reached)
{
	double sigma = report_meta_num(res, "harness.peak_share_uncertainty");
	double theo = loaded * used, u = isfinite(sigma) ? sigma * theo : 0;
	char buf[200];

	if (reached > theo)
		fprintf(out, "          theoretical >= %.1f GFLOPS at the clock under the `peak` "
			"kernel's %s FMA load\n          (%.1f ± %.1f from the clock: the "
			"kernel reached %.1f, and a peak is an upper bound)\n",
			reached, meta(res, "harness.peak_clock_isa"), theo, u, reached);
	else
		fprintf(out, "          theoretical %.1f ± %.1f GFLOPS at the clock under the "
			"`peak` kernel's %s FMA load\n", theo, u,
			meta(res, "harness.peak_clock_isa"));
	fprintf(out, "          (%.2f GHz, on %g cores at once)",
		report_meta_num(res, "harness.peak_clock_ghz"),
		report_meta_num(res, "harness.peak_clock_cores"));
	if (isfinite(report_meta_num(res, "harness.peak_pairs_share")))
		fprintf(out, "; the `peak` loop, in %g pairs with\n          that clock: "
			"%s of the peak at it",
			report_meta_num(res, "harness.peak_pairs"),
			report_share_text(report_meta_num(res, "harness.peak_pairs_share"),
					  report_meta_num(res, "harness.peak_pairs_share_uncertainty"),
					  buf, sizeof(buf)));
	fputc('\n', out);
}

void report_machine(FILE *out, const struct perfkit_results *res)
{
	double core_peak = report_meta_num(res, "harness.core_peak_gflops");
	double cores = report_meta_num(res, "harness.cores");
	double ghz = report_meta_num(res, "machine.peak.ghz");
	double per_worker = report_meta_num(res, "harness.peak_kernel_gflops_per_worker");
	double loaded = report_meta_num(res, "harness.core_peak_gflops_at_peak_clock");
	char share[200];
	const char *why, *list = strrchr(meta(res, "harness.workers"), ',');
	/* a worker sweep lists its counts; the peak was measured with the last */
	double workers = list ? atof(list + 1) : report_meta_num(res, "harness.workers");
	double threads = report_meta_num(res, "harness.threads");
	double used = fmin(workers * (threads >= 1 ? threads : 1), cores);

	fprintf(out, "Machine   %s (%s), %s of %s cores allowed\n",
		meta(res, "machine.cpu.model"), meta(res, "machine.cpu.uarch"),
		meta(res, "machine.topology.allowed_cores"),
		meta(res, "machine.topology.cores"));
	fprintf(out, "Clock     %.2f GHz measured (dependent add chain), %.2f GHz nominal\n",
		report_meta_num(res, "machine.clock.measured_ghz"),
		report_meta_num(res, "machine.clock.nominal_ghz"));
	fprintf(out, "BLAS      BLIS %s, '%s' kernels (chosen by %s)\n",
		meta(res, "machine.blis.version"), meta(res, "harness.blas.config"),
		meta(res, "harness.blas.chosen_by"));
	if (isfinite(core_peak))
		fprintf(out, "Peak      theoretical %.1f GFLOPS (%g cores x %.2f GHz x %.0f flops/cycle)\n",
			core_peak * cores, cores, ghz, core_peak / ghz);
	else
		fprintf(out, "Peak      theoretical: unknown (%s)\n",
			meta(res, "machine.flops.source"));
	if (isfinite(core_peak) && isfinite(loaded) && used > 0)
		report_loaded_peak(out, res, loaded, used, per_worker * workers);
	else if (isfinite(core_peak) &&
		 perfkit_results_meta_get(res, "harness.peak_clock_error", &why) == 0)
		fprintf(out, "          clock under the `peak` kernel's load: %s\n", why);
	if (!isfinite(per_worker) || !isfinite(workers))
		return;
	if (isfinite(report_meta_num(res, "harness.peak_kernel_cores")))
		fprintf(out, "          measured `peak` kernel %.1f GFLOPS on %g cores (one worker each)",
			per_worker * workers, report_meta_num(res, "harness.peak_kernel_cores"));
	else /* a file from before the peak ran once per core */
		fprintf(out, "          measured `peak` kernel %.1f GFLOPS on %g workers",
			per_worker * workers, workers);
	if (isfinite(core_peak) && used > 0)
		fprintf(out, " = %.0f%% of the theoretical peak of %g cores",
			100 * per_worker * workers / (core_peak * used), used);
	if (isfinite(core_peak) && isfinite(loaded) && used > 0)
		fprintf(out, ",\n          %s of it at the clock under load",
			report_share_text(per_worker * workers / (loaded * used),
					  report_meta_num(res, "harness.peak_share_uncertainty"),
					  share, sizeof(share)));
	fputc('\n', out);
	if (isfinite(core_peak) && per_worker * workers > 1.05 * core_peak * used)
		fprintf(out, "          (above 100%%: the FLOPs/cycle table does not know this CPU's\n"
			"          units; a VM may report another CPU model, here %s)\n",
			meta(res, "machine.cpu.uarch"));
}

static const char *status_text(const struct perfkit_results *res, size_t i,
			       const struct perfkit_record *r)
{
	static char buf[160];

	if (r->status == 0)
		return "ok";
	if (perfkit_results_value(res, i, "error", buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "%s", perfkit_strerror(r->status));
	return buf;
}

static void worker_rows(FILE *out, const struct perfkit_results *res)
{
	fprintf(out, "  worker  cpu   spawn ms  setup ms  compute s    GFLOPS  status\n");
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) != 0 || r->worker < 0)
			continue;
		fprintf(out, "  %6d  %3d  %9.3f  %8.2f  %9.4f  %8.2f  %s\n", r->worker,
			r->cpu, (r->t_start - r->t_submit) * 1e3,
			(r->t_setup - r->t_start) * 1e3, r->elapsed,
			r->status ? NAN : r->flops / r->elapsed * 1e-9,
			status_text(res, i, r));
	}
}

/* Many workers: percentiles instead of one row each. */
static void worker_percentiles(FILE *out, const struct perfkit_results *res)
{
	size_t n = perfkit_results_count(res), m = 0;
	double *g = calloc(n ? n : 1, sizeof(double)), *t = calloc(n ? n : 1, sizeof(double));
	static const double p[] = { 0, 25, 50, 75, 100 };
	double gp[5], tp[5];

	for (size_t i = 0; g && t && i < n; i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) == 0 && r->worker >= 0 && r->status == 0 &&
		    r->elapsed > 0) {
			g[m] = r->flops / r->elapsed * 1e-9;
			t[m++] = r->elapsed;
		}
	}
	if (m > 0 && perfkit_stats_percentiles(g, m, p, 5, gp) == 0 &&
	    perfkit_stats_percentiles(t, m, p, 5, tp) == 0) {
		fprintf(out, "  %zu workers succeeded      min       25%%    median       75%%       max\n", m);
		fprintf(out, "  GFLOPS per worker  %9.2f %9.2f %9.2f %9.2f %9.2f\n",
			gp[0], gp[1], gp[2], gp[3], gp[4]);
		fprintf(out, "  compute time, s    %9.4f %9.4f %9.4f %9.4f %9.4f\n",
			tp[0], tp[1], tp[2], tp[3], tp[4]);
	}
	free(g);
	free(t);
}

static void failures(FILE *out, const struct perfkit_results *res)
{
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) == 0 && r->worker >= 0 && r->status)
			fprintf(out, "  worker %d failed: %s\n", r->worker, status_text(res, i, r));
	}
}

/* The summed rate the cores reached (concurrent), or, above their
 * theoretical peak, the bug it would be. Returns 0 when it was printed
 * as a result. */
static int summed_line(FILE *out, const struct perfkit_harness_summary *s)
{
	if (isfinite(s->machine_gflops) && s->concurrent_gflops > s->machine_gflops) {
		fprintf(out, "Summed    not a result: the workers would have computed %.2f GFLOPS "
			"together, above the\n          %.2f GFLOPS theoretical peak of every allowed "
			"core. That is a bug, in the\n          measurement or in the peak (clock, "
			"FLOPs/cycle): please report it.\n", s->concurrent_gflops,
			s->machine_gflops);
		return -1;
	}
	fprintf(out, "Summed    %10.2f GFLOPS   the most the workers computed together (concurrent: best "
		"window of their compute times)", s->concurrent_gflops);
	if (isfinite(s->concurrent_fraction_theoretical))
		fprintf(out, "; %.0f%% of theoretical", 100 * s->concurrent_fraction_theoretical);
	if (isfinite(s->peak_kernel_gflops))
		fprintf(out, ", %.0f%% of the peak kernel",
			100 * s->concurrent_gflops / s->peak_kernel_gflops);
	fputc('\n', out);
	return 0;
}

/* The per-worker sum, labelled: above the machine it is not a rate. */
static void per_worker_sum_line(FILE *out, const struct perfkit_harness_summary *s)
{
	fprintf(out, "          %10.2f GFLOPS   sum of per-worker rates (each worker's flops / "
		"its compute time)", s->peak_gflops);
	if (isfinite(s->machine_gflops) && s->peak_gflops > s->machine_gflops)
		fprintf(out, ":\n                              %.0f%% of the cores' theoretical peak, "
			"not a rate they reached: the workers\n                              were "
			"time-sliced and did not all run at once",
			100 * s->peak_gflops / s->machine_gflops);
	fputc('\n', out);
}

static void summary_lines(FILE *out, const struct perfkit_harness_summary *s)
{
	int ok = summed_line(out, s) == 0;

	per_worker_sum_line(out, s);
	fprintf(out, "Effective %10.2f GFLOPS   total flops / %.4f s from first submit to last "
		"collection", s->effective_gflops, s->span);
	if (ok)
		fprintf(out, " (%.1f%% of summed)", 100 * s->effective_gflops / s->concurrent_gflops);
	fputc('\n', out);
	if (s->bytes > 0 && s->intensity < 10) /* memory-bound kernels */
		fprintf(out, "Memory    %10.2f GB/s summed per worker, %.2f GB/s effective (intensity %.3g flops/byte)\n",
			s->peak_gbps, s->effective_gbps, s->intensity);
	fprintf(out, "Workers   GFLOPS min %.2f, median %.2f, max %.2f; straggler ratio %.3f "
		"(slowest / median compute time)\n",
		s->worker_gflops_min, s->worker_gflops_median, s->worker_gflops_max,
		s->straggler_ratio);
	fprintf(out, "Overhead  median %.0f us from submit to start, %.2f ms setup, "
		"%.0f us from end to collection\n",
		s->spawn_us_median, s->setup_median * 1e3, s->collect_us_median);
}

void report_oversubscription(FILE *out, const struct perfkit_results *res)
{
	char text[2048];
	double f;

	if (perfkit_harness_oversubscription(res, &f, text, sizeof(text)) != 0 || !(f > 1))
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(out, "Warning   %s\n", line);
}

void report_run(FILE *out, const struct perfkit_results *res)
{
	struct perfkit_harness_summary s;
	int rc = perfkit_harness_summarize(res, &s);

	fputc('\n', out);
	if (s.workers <= REPORT_TABLE_MAX)
		worker_rows(out, res);
	else {
		worker_percentiles(out, res);
		failures(out, res);
	}
	if (rc != 0) {
		fprintf(out, "No worker succeeded: nothing to aggregate.\n");
		return;
	}
	fputc('\n', out);
	summary_lines(out, &s);
	report_oversubscription(out, res);
	report_histogram(out, res);
	report_timeline(out, res, s.span);
}

static const char *sweep_value(const struct perfkit_results *res, const char *key,
			       size_t i, char *buf, size_t len)
{
	return perfkit_results_value(res, i, key, buf, len) == 0 ? buf : NULL;
}

/* Median seconds per repetition of the records of size @v (status 0). */
static double point_time(const struct perfkit_results *res, const char *v)
{
	double t[256];
	size_t n = 0;

	for (size_t i = 0; i < perfkit_results_count(res) && n < 256; i++) {
		const struct perfkit_record *r;
		char buf[40];

		if (perfkit_results_get(res, i, &r) != 0 || r->status != 0 ||
		    !sweep_value(res, "problem_size", i, buf, sizeof(buf)) ||
		    strcmp(buf, v) != 0)
			continue;
		t[n++] = r->elapsed / (double)(r->repetitions ? r->repetitions : 1);
	}
	if (n == 0)
		return NAN;
	for (size_t i = 1; i < n; i++)  /* insertion sort: a few workers */
		for (size_t j = i; j > 0 && t[j - 1] > t[j]; j--) {
			double x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* How the time per repetition grows with N, by perfkit_complexity_fit(). */
static void report_complexity(FILE *out, const struct perfkit_results *res,
			      char seen[][40], size_t nseen)
{
	double n[64], t[64];
	size_t m = 0;
	struct perfkit_complexity_fit fit;

	for (size_t i = 0; i < nseen; i++) {
		n[m] = atof(seen[i]);
		t[m] = point_time(res, seen[i]);
		m += isfinite(t[m]) && t[m] > 0;
	}
	if (perfkit_complexity_fit(n, t, m, &fit) != 0) {
		fprintf(out, "Complexity: not fitted (%s)\n", perfkit_last_error());
		return;
	}
	fprintf(out, "Complexity: time per repetition ~ %s", perfkit_complexity_name(fit.best.law));
	if (fit.best.law == PERFKIT_COMPLEXITY_POWER)
		fprintf(out, " with k = %.3f", fit.best.exponent);
	fprintf(out, ", coefficient %.4g s, RMS error %.3g s over %zu sizes\n"
		"(chosen by AICc among O(1), O(log n), O(n), O(n log n), O(n^2), "
		"O(n^3) and n^k; free power law: k = %.3f)\n",
		fit.best.coefficient, fit.best.rms, fit.n,
		fit.models[PERFKIT_COMPLEXITY_POWER].exponent);
}

void report_sweep(FILE *out, const struct perfkit_results *res, const char *key)
{
	int workers = strcmp(key, "workers") == 0;
	double base = NAN;
	char seen[64][40];
	size_t nseen = 0;

	fprintf(out, "\n%-12s  %9s  %9s  %9s  %9s  %9s  %s\n",
		workers ? "workers" : "size N", workers ? "speedup" : "flops/B",
		"summed", "effective", "median", "straggler", workers ? "efficiency" : "GB/s summed");
	for (size_t i = 0; i < perfkit_results_count(res) && nseen < 64; i++) {
		struct perfkit_harness_summary s;
		char v[40];
		int dup = 0;

		if (!sweep_value(res, key, i, v, sizeof(v)))
			continue;
		for (size_t j = 0; j < nseen; j++)
			dup |= strcmp(seen[j], v) == 0;
		if (dup)
			continue;
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", v);
		if (perfkit_harness_summarize_point(res, key, v, &s) != 0) {
			fprintf(out, "%-12s  (%zu of %zu workers failed)\n", v, s.failed, s.workers);
			continue;
		}
		if (isnan(base))
			base = s.concurrent_gflops / atof(v);
		if (workers)
			fprintf(out, "%-12s  %9.2f  %9.2f  %9.2f  %9.2f  %9.3f  %.0f%%\n", v,
				s.concurrent_gflops / base, s.concurrent_gflops, s.effective_gflops,
				s.worker_gflops_median, s.straggler_ratio,
				100 * s.concurrent_gflops / base / atof(v));
		else
			fprintf(out, "%-12s  %9.3g  %9.2f  %9.2f  %9.2f  %9.3f  %.2f\n", v,
				s.intensity, s.concurrent_gflops, s.effective_gflops,
				s.worker_gflops_median, s.straggler_ratio, s.peak_gbps);
	}
	if (workers)
		fprintf(out, "(GFLOPS; speedup and efficiency of the summed rate against the first point)\n");
	else
		fprintf(out, "(GFLOPS; flops/B and GFLOPS summed are the roofline coordinates)\n");
	if (!workers)
		report_complexity(out, res, seen, nseen);
}
