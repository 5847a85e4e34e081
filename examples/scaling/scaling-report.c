/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the printed table and analysis. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scaling-report.h"

/* Width of the count column: 6, or the name's length. */
static int count_width(const struct series *s)
{
	size_t len = strlen(s->w.count);

	return len > 6 ? (int)len : 6;
}

/* Width of a column: at least 12, wider for a suffixed name. */
static int col_width(const struct series *s, int c, const char *suffix)
{
	size_t len = strlen(s->w.cols[c]) + (suffix ? 1 + strlen(suffix) : 0);

	return len > 12 ? (int)len : 12;
}

static void print_header(FILE *out, const struct series *a,
			 const struct series *b)
{
	fprintf(out, "%*s", count_width(a), a->w.count);
	for (int c = 0; c < SERIES_COLS; c++)
		fprintf(out, " %12s", a->w.cols[c]);
	for (int c = 0; b && c < SERIES_COLS; c++) {
		char name[64];

		snprintf(name, sizeof(name), "%s_%s", b->w.cols[c], b->label);
		fprintf(out, " %*s", col_width(b, c, b->label), name);
	}
	fputc('\n', out);
}

static void print_cells(FILE *out, const struct series *s, size_t i,
			const char *suffix)
{
	for (int c = 0; c < SERIES_COLS; c++) {
		int w = col_width(s, c, suffix);
		double v = series_cell(s, i, c);

		fputc(' ', out);
		if (isnan(v))
			fprintf(out, "%*s", w, "-");
		else
			fprintf(out, s->w.fmt[c], w, v);
	}
}

void report_table(FILE *out, const struct series *a, const struct series *b)
{
	print_header(out, a, b);
	for (size_t i = 0; i < a->n; i++) {
		size_t m = series_match(b, a->ranks[i]);

		if (b && m == SIZE_MAX)
			continue;
		fprintf(out, "%*.0f", count_width(a), a->ranks[i]);
		print_cells(out, a, i, NULL);
		if (b)
			print_cells(out, b, m, b->label);
		fputc('\n', out);
	}
}

/* q = p/p0, the form the laws take for a table whose smallest count is p0. */
static void ratios(const struct series *s, double *q)
{
	for (size_t i = 0; i < s->n; i++)
		q[i] = s->ranks[i] / s->ranks[0];
}

static void report_karp_flatt(FILE *out, const struct series *s,
			      const double *q)
{
	fprintf(out, "\nKarp-Flatt serial fraction (S = X(p)/X(p0), q = p/p0):\n");
	fprintf(out, "%*s %10s %10s\n", count_width(s), s->w.count, "speedup", "e");
	for (size_t i = 0; i < s->n; i++) {
		double e;

		fprintf(out, "%*.0f %10.4f", count_width(s), s->ranks[i],
			s->speedup[i]);
		if (perfkit_karp_flatt(s->speedup[i], q[i], &e) == 0)
			fprintf(out, " %10.5f\n", e);
		else
			fprintf(out, " %10s\n", "-");
	}
}

/* Says when a fitted parameter sits on its bound (0, or 1 for f). */
static const char *bound_note(unsigned flags)
{
	if (flags & PERFKIT_FIT_AT_LOWER)
		return " (at the bound 0)";
	if (flags & PERFKIT_FIT_AT_UPPER)
		return " (at the bound 1)";
	return "";
}

/* A serial fraction fitted on times: Amdahl's (fixed work) or Gustafson's
 * (work growing with the count), both with T1 as a parameter so that the
 * noise of the first run is not carried into every point. */
static void report_fraction(FILE *out, const char *law, const char *what,
			    const double *p, const double *t, size_t n)
{
	struct perfkit_fraction_fit f;
	int rc = law[0] == 'A' ? perfkit_amdahl_fit_times(p, t, n, &f) :
				 perfkit_gustafson_fit_times(p, t, n, &f);

	if (rc < 0) {
		fprintf(out, "%s fit on %s: not possible: %s\n", law, what,
			perfkit_last_error());
		return;
	}
	fprintf(out, "%s fit on %s (%zu points): f = %.5f%s (95%% CI %.5f .. %.5f), "
		"T1 = %.5g (95%% CI %.5g .. %.5g), noise %.2g %%",
		law, what, f.n, f.f.value, bound_note(f.f.flags),
		f.f.ci[0], f.f.ci[1], f.t1.value, f.t1.ci[0], f.t1.ci[1],
		100 * f.rse);
	if (law[0] == 'A')
		fprintf(out, ", speedup limit 1/f = %.4g (95%% CI %.4g .. %.4g)",
			f.f.value > 0 ? 1 / f.f.value : INFINITY,
			f.f.ci[1] > 0 ? 1 / f.f.ci[1] : INFINITY,
			f.f.ci[0] > 0 ? 1 / f.f.ci[0] : INFINITY);
	fputc('\n', out);
}

/* Strong: Amdahl on the times. Weak: Amdahl on the time per unit of work
 * (1 / throughput, what the speedup of the throughputs measured), and
 * Gustafson on the times. */
static void report_fractions(FILE *out, const struct series *s)
{
	double per[s->n];
	char what[64];

	if (s->kind == SERIES_STRONG) {
		report_fraction(out, "Amdahl", "times", s->ranks, s->times, s->n);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		per[i] = 1 / s->throughput[i];
	snprintf(what, sizeof(what), "time per %s", s->w.work ? s->w.work : s->w.run);
	report_fraction(out, "Amdahl", what, s->ranks, per, s->n);
	report_fraction(out, "Gustafson", "times", s->ranks, s->times, s->n);
}

static void report_usl(FILE *out, const struct series *s)
{
	struct perfkit_usl_profile_fit pf;
	const struct perfkit_usl_fit *f = &pf.fit;
	struct perfkit_usl_prediction p;
	double next = 2 * s->ranks[s->n - 1];
	const struct perfkit_fit_param *par[] = { &pf.alpha, &pf.beta, &pf.gamma };
	static const char *const name[] = { "alpha", "beta ", "gamma" };

	if (perfkit_usl_fit_profile(s->ranks, s->throughput, s->n, &pf) < 0) {
		fprintf(out, "USL fit: not possible: %s\n", perfkit_last_error());
		return;
	}
	fprintf(out, "USL fit X(N) = gamma N / (1 + alpha (N-1) + beta N (N-1)), "
		"%zu points, 95%% profile-likelihood intervals (%g dof):\n",
		f->n, f->dof);
	for (int j = 0; j < 3; j++)
		fprintf(out, "  %s = %.6g  [%.6g, %.6g]%s\n", name[j],
			par[j]->value, par[j]->ci[0], par[j]->ci[1],
			bound_note(par[j]->flags));
	fprintf(out, "  residual standard error %.4g, R^2 = %.5f\n", f->rse, f->r2);
	if (isinf(f->peak_n))
		fprintf(out, "  no peak (beta = 0)");
	else
		fprintf(out, "  peak at N* = %.4g (X = %.4g)", f->peak_n, f->peak_x);
	fprintf(out, ", asymptote gamma/alpha = %.4g, 1/alpha = %.4g\n",
		f->asymptote, f->inv_alpha);
	if (perfkit_usl_predict(f, next, &p) == 0)
		fprintf(out, "  predicted X(%g) = %.4g  [%.4g, %.4g] (delta method)\n",
			next, p.throughput, p.ci[0], p.ci[1]);
}

static void report_cost(FILE *out, const struct series *s,
			const struct report_options *o)
{
	struct perfkit_scaling_cost c[s->n];
	const double *work = s->w.work ? s->samples : NULL;
	const char *unit = s->w.work ? s->w.work : s->w.run;
	char per[64];
	size_t best;

	if (perfkit_scaling_cost(s->ranks, s->times, work, s->n, o->price, c) < 0) {
		fprintf(out, "cost: %s\n", perfkit_last_error());
		return;
	}
	snprintf(per, sizeof(per), "cost_per_%s", unit);
	fprintf(out, "\nCost of one %s at %g per worker-hour:\n", s->w.run, o->price);
	fprintf(out, "%*s %14s %12s %16s\n", count_width(s), s->w.count,
		"worker_hours", "cost", per);
	for (size_t i = 0; i < s->n; i++)
		fprintf(out, "%*.0f %14.5g %12.5g %16.5g\n", count_width(s), c[i].workers,
			c[i].worker_hours, c[i].cost, c[i].cost_per_work);
	if (perfkit_scaling_cheapest(s->ranks, s->times, work, s->eff, s->n,
				     o->price, o->max_time, o->threshold,
				     &best) < 0)
		fprintf(out, "Cheapest run meeting the targets: none (%s)\n",
			perfkit_last_error());
	else
		fprintf(out, "Cheapest run with efficiency >= %g%s: %g %s, %.5g per %s\n",
			o->threshold, isinf(o->max_time) ? "" : " and the time target",
			s->ranks[best], s->w.count, c[best].cost_per_work, unit);
}

void report_analysis(FILE *out, const struct series *s,
		     const struct report_options *o)
{
	double q[s->n];
	size_t best;

	fprintf(out, "\n== %s ==", *s->label ? s->label : "main series");
	ratios(s, q);
	/* The strong table already holds Karp-Flatt. */
	if (s->kind == SERIES_WEAK)
		report_karp_flatt(out, s, q);
	fputc('\n', out);
	report_fractions(out, s);
	report_usl(out, s);
	if (perfkit_scaling_optimal(s->ranks, s->eff, s->n, o->threshold, &best) == 0)
		fprintf(out, "\nLargest %s count with efficiency >= %g: %g (efficiency %.4f)\n",
			s->w.count_one, o->threshold, s->ranks[best], s->eff[best]);
	else
		fprintf(out, "\nLargest %s count with efficiency >= %g: none\n",
			s->w.count_one, o->threshold);
	if (o->price > 0)
		report_cost(out, s, o);
}
