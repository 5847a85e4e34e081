/* SPDX-License-Identifier: MIT */
/* perfkit-flops --total-loopcount T --sweep-workers: the HPC Python
 * workshop's "find the optimal number of cores" table. The same total
 * work at each worker count: makespan, speedup, efficiency, Karp-Flatt,
 * an Amdahl fit and the optimal count, all from the scaling module. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "flops-report.h"

/* The smallest and largest share of the total among W's records. */
static void shares(const struct perfkit_results *res, double w, uint64_t *lo,
		   uint64_t *hi)
{
	char v[32];

	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) != 0 || r->worker < 0 ||
		    perfkit_results_value(res, i, "workers", v, sizeof(v)) != 0 ||
		    atof(v) != w)
			continue;
		*lo = r->repetitions < *lo ? r->repetitions : *lo;
		*hi = r->repetitions > *hi ? r->repetitions : *hi;
	}
}

static void amdahl(FILE *out, const struct perfkit_scaling_strong_row *rows, size_t n)
{
	double *q = calloc(n, sizeof(double)), *s = calloc(n, sizeof(double));
	struct perfkit_amdahl_fit f;
	int rc;

	for (size_t i = 0; q && s && i < n; i++) {
		q[i] = rows[i].workers / rows[0].workers;
		s[i] = rows[i].speedup;
	}
	if (!q || !s)
		fprintf(out, "Amdahl fit: out of memory\n");
	else if ((rc = perfkit_amdahl_fit(q, s, n, &f)) == -EDOM)
		fprintf(out, "Amdahl fit: none: %s\n", perfkit_last_error());
	else if (rc != 0)
		fprintf(out, "Amdahl fit: not possible: %s\n", perfkit_last_error());
	else
		fprintf(out, "Amdahl fit: serial fraction f = %.4f ± %.4f (95%% CI %.4f .. %.4f, "
			"%zu points); speedup limit 1/f = %.4g\n",
			f.f, f.f_se, f.f_ci[0], f.f_ci[1], f.n, f.limit);
	free(q);
	free(s);
}

/* The optimal count by efficiency, and the cheapest in worker-time that
 * meets the same threshold. */
static void optimal(FILE *out, const struct perfkit_scaling_strong_row *rows,
		    const struct perfkit_scaling_point *pt, size_t n, double threshold)
{
	double *w = calloc(n, sizeof(double)), *e = calloc(n, sizeof(double)),
	       *t = calloc(n, sizeof(double));
	struct perfkit_scaling_cost *c = calloc(n, sizeof(*c));
	size_t best;

	for (size_t i = 0; w && e && t && i < n; i++) {
		w[i] = rows[i].workers;
		e[i] = rows[i].efficiency;
		t[i] = pt[i].makespan;
	}
	if (w && e && t && perfkit_scaling_optimal(w, e, n, threshold, &best) == 0)
		fprintf(out, "Optimal number of workers: %g, the largest with efficiency >= "
			"%.0f%% (%.0f%%, speedup %.2f)\n", w[best], 100 * threshold,
			100 * e[best], rows[best].speedup);
	else
		fprintf(out, "Optimal number of workers: none reaches efficiency %.0f%%\n",
			100 * threshold);
	if (w && e && t && c && perfkit_scaling_cost(w, t, NULL, n, 1.0, c) == 0 &&
	    perfkit_scaling_cheapest(w, t, NULL, e, n, 1.0, INFINITY, threshold, &best) == 0)
		fprintf(out, "Cheapest in worker-time at that threshold: %g workers, "
			"%.4g worker-s (%.4g at %g workers)\n", w[best],
			c[best].worker_hours * 3600, c[n - 1].worker_hours * 3600, w[n - 1]);
	free(w);
	free(e);
	free(t);
	free(c);
}

static void rows_out(FILE *out, const struct perfkit_results *res,
		     const struct perfkit_scaling_strong_row *rows,
		     const struct perfkit_scaling_point *pt, size_t n)
{
	fprintf(out, "\n%7s  %11s  %10s  %7s  %10s  %10s  %9s\n", "workers", "reps/worker",
		"makespan s", "speedup", "efficiency", "Karp-Flatt", "GFLOPS");
	for (size_t i = 0; i < n; i++) {
		uint64_t lo, hi;
		char reps[48], kf[16];

		shares(res, rows[i].workers, &lo, &hi);
		if (lo == hi)
			snprintf(reps, sizeof(reps), "%llu", (unsigned long long)lo);
		else
			snprintf(reps, sizeof(reps), "%llu-%llu", (unsigned long long)lo,
				 (unsigned long long)hi);
		if (isfinite(rows[i].karp_flatt))
			snprintf(kf, sizeof(kf), "%.4f", rows[i].karp_flatt);
		else
			snprintf(kf, sizeof(kf), "-");
		fprintf(out, "%7g  %11s  %10.4g  %7.3f  %9.1f%%  %10s  %9.4g\n",
			rows[i].workers, reps, pt[i].makespan, rows[i].speedup,
			100 * rows[i].efficiency, kf, pt[i].flops / pt[i].makespan * 1e-9);
	}
}

int report_strong(FILE *out, const struct perfkit_results *res, double threshold)
{
	size_t n = 0, nrows = 0, cap = perfkit_results_count(res);
	struct perfkit_scaling_point *pt = calloc(cap ? cap : 1, sizeof(*pt));
	struct perfkit_scaling_strong_row *rows = calloc(cap ? cap : 1, sizeof(*rows));
	double *w = calloc(cap ? cap : 1, sizeof(double)), *t = calloc(cap ? cap : 1, sizeof(double));
	int rc = -1;

	fprintf(out, "\nStrong scaling: %s repetitions of %s in all, split over the workers\n"
		"(the HPC Python workshop's \"find the optimal number of cores\"; "
		"makespan = first submit to last collection)\n",
		report_meta_text(res, "harness.total_loopcount"),
		report_meta_text(res, "harness.kernel"));
	if (!pt || !rows || !w || !t ||
	    perfkit_scaling_points_from_results(res, "workers", PERFKIT_SCALING_MAKESPAN,
						pt, cap, &n) != 0) {
		fprintf(out, "No table: %s\n", perfkit_last_error());
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		w[i] = pt[i].workers;
		t[i] = pt[i].makespan;
	}
	if (perfkit_scaling_strong(w, t, n, rows, &nrows) != 0 || nrows != n) {
		fprintf(out, "No table: %s\n", perfkit_last_error());
		goto out;
	}
	rows_out(out, res, rows, pt, n);
	fprintf(out, "(speedup = makespan at %g workers / makespan; efficiency = speedup x %g / "
		"workers; Karp-Flatt e = (1/speedup - 1/q) / (1 - 1/q), q = workers / %g)\n",
		rows[0].workers, rows[0].workers, rows[0].workers);
	amdahl(out, rows, n);
	optimal(out, rows, pt, n, threshold);
	rc = 0;
out:
	free(pt);
	free(rows);
	free(w);
	free(t);
	return rc;
}
