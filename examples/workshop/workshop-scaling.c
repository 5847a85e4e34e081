/* SPDX-License-Identifier: MIT */
/* The workshop's last step: speedup against workers with the linear
 * line, Amdahl's law and the Universal Scalability Law fitted to it, "the
 * optimal number of cores" and what a result costs at a price per
 * worker-hour (seed 004's dollars per CPU-hour). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "plot.h"
#include "workshop.h"

/* ---- what a queue run shows: rate over its span, waits, failures ---- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void queue_figures_of(const struct perfkit_results *res, struct queue_figures *f)
{
	size_t n = perfkit_results_count(res), used = 0;
	double t0 = INFINITY, t1 = -INFINITY, items = 0, bytes = 0;
	double *wait = calloc(n ? n : 1, sizeof(*wait));

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		perfkit_results_get(res, i, &r);
		f->failed += r->status != 0;
		if (r->status != 0 || !wait)
			continue;
		t0 = fmin(t0, r->t_submit);
		t1 = fmax(t1, r->t_end);
		items += r->items;
		bytes += r->bytes;
		wait[used++] = r->t_start - r->t_submit;
	}
	if (used > 0) {
		qsort(wait, used, sizeof(*wait), cmp_double);
		f->wait_median = wait[used / 2];
		f->wait_max = wait[used - 1];
		f->span = t1 - t0;
		f->files_per_s = items / (t1 - t0);
		f->mb_per_s = bytes / (t1 - t0) / 1e6;
	}
	free(wait);
}

static void fit_amdahl(struct series *s, const double *p, const double *sp)
{
	struct perfkit_amdahl_fit fit;

	if (s->n < 3) {
		snprintf(s->note, sizeof(s->note), "Amdahl needs 3 worker counts");
		return;
	}
	if (perfkit_amdahl_fit(p, sp, s->n, &fit) == 0) {
		s->amdahl_f = fit.f;
		printf("           Amdahl: serial fraction %.3f (95 %% CI %.3f to %.3f), "
		       "speedup limit %.1f\n", fit.f, fit.f_ci[0], fit.f_ci[1], fit.limit);
	} else {
		snprintf(s->note, sizeof(s->note), "%s", perfkit_last_error());
		printf("           Amdahl: no fit: %s\n", perfkit_last_error());
	}
}

static void fit_usl(struct series *s)
{
	struct perfkit_usl_fit fit;

	if (s->n < 4) {
		printf("           USL: no fit: needs 4 worker counts, %zu given\n", s->n);
		return;
	}
	if (perfkit_usl_fit(s->workers, s->rate, s->n, &fit) != 0) {
		printf("           USL: no fit: %s\n", perfkit_last_error());
		return;
	}
	s->usl_alpha = fit.alpha, s->usl_beta = fit.beta, s->usl_gamma = fit.gamma;
	s->usl_peak_n = fit.peak_n;
	printf("           USL: contention alpha %.3g, coherency beta %.3g, "
	       "one worker %.0f files/s; peak at %.1f workers (R^2 %.2f)\n",
	       fit.alpha, fit.beta, fit.gamma, fit.peak_n, fit.r2);
}

static void fit_cost(struct series *s, double price, uint64_t tasks)
{
	struct perfkit_scaling_cost c[MAX_LIST];
	double work[MAX_LIST];

	for (size_t i = 0; i < s->n; i++)
		work[i] = (double)tasks / 1000.0;
	if (perfkit_scaling_cost(s->workers, s->seconds, work, s->n, price, c) != 0) {
		printf("           cost: %s\n", perfkit_last_error());
		return;
	}
	printf("           cost per 1,000 files at %.3f per worker-hour:", price);
	for (size_t i = 0; i < s->n; i++) {
		s->cost_per_kfile[i] = c[i].cost_per_work;
		printf(" %g: %.3g%s", s->workers[i], c[i].cost_per_work,
		       i + 1 < s->n ? "," : "\n");
	}
}

void series_fit(struct series *s, double price, uint64_t tasks)
{
	double p[MAX_LIST], sp[MAX_LIST], eff[MAX_LIST];
	size_t best;

	s->amdahl_f = s->usl_alpha = s->usl_beta = s->usl_gamma = NAN;
	s->usl_peak_n = NAN;
	s->optimal = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!(s->rate[i] > 0 && s->seconds[i] > 0)) {
			printf("           no fit: a point has no finished task\n");
			return;
		}
	for (size_t i = 0; i < s->n; i++) {
		p[i] = s->workers[i] / s->workers[0];
		sp[i] = s->rate[i] / s->rate[0];
		eff[i] = sp[i] / p[i];
	}
	fit_amdahl(s, p, sp);
	fit_usl(s);
	if (perfkit_scaling_optimal(p, eff, s->n, 0.5, &best) == 0) {
		s->optimal = (int64_t)s->workers[best];
		printf("           optimal: %lld workers (largest count at >= 50 %% "
		       "efficiency)\n", (long long)s->optimal);
	}
	fit_cost(s, price, tasks);
}

/* The first series with a fit of that kind, or NULL. */
static const struct series *with_fit(const struct study_data *d, int usl)
{
	for (size_t i = 0; i < d->nseries; i++)
		if (usl ? isfinite(d->series[i].usl_alpha) :
			  isfinite(d->series[i].amdahl_f))
			return &d->series[i];
	return NULL;
}

static void plot_script(FILE *g, const struct study_data *d)
{
	const struct series *am = with_fit(d, 0), *us = with_fit(d, 1);
	double wmax = 1;

	for (size_t i = 0; i < d->nseries; i++) {
		const struct series *s = &d->series[i];

		fprintf(g, "$s%zu << EOD\n", i);
		for (size_t j = 0; j < s->n; j++) {
			fprintf(g, "%g %.9g\n", s->workers[j], s->rate[j] / s->rate[0]);
			wmax = fmax(wmax, s->workers[j]);
		}
		fprintf(g, "EOD\n");
	}
	fprintf(g, "set title 'Speedup against workers (%s N = %lld, %llu tasks, "
		"%ld cores)'\nset xlabel 'Workers'\nset ylabel 'Speedup over one worker'\n"
		"set grid\nset key top left\nset xrange [1:%g]\nset yrange [0:*]\n"
		"set samples 200\n", d->kernel, (long long)d->size,
		(unsigned long long)d->tasks, d->cores, wmax);
	fprintf(g, "set xtics (");       /* at the measured counts */
	for (size_t j = 0; j < d->series[0].n; j++)
		fprintf(g, "%s%g", j ? ", " : "", d->series[0].workers[j]);
	fprintf(g, ")\n");
	fprintf(g, "plot x with lines dt 2 lc rgb 'black' title 'linear scaling'");
	for (size_t i = 0; i < d->nseries; i++)
		fprintf(g, ", $s%zu using 1:2 with linespoints pt %zu ps 1.5 title '%s'",
			i, 5 + 2 * i, d->series[i].name);
	if (am)
		fprintf(g, ", 1/(%.9g + (1 - %.9g)/x) with lines lw 2 title "
			"'Amdahl (%s), f = %.3f'", am->amdahl_f, am->amdahl_f,
			am->name, am->amdahl_f);
	if (us)
		fprintf(g, ", x/(1 + %.9g*(x-1) + %.9g*x*(x-1)) with lines lw 2 title "
			"'USL (%s)'", us->usl_alpha, us->usl_beta, us->name);
	fprintf(g, "\n");
}

int plot_speedup(const char *path, const struct study_data *d)
{
	struct plot p;

	if (d->nseries == 0 || d->series[0].n == 0)
		return 0;
	if (plot_begin(&p, path, "--outfile", 900, 600) != 0)
		return -1;
	plot_script(p.g, d);
	return plot_end(&p);
}
