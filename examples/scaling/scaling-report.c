/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: report, CSV/JSON output, gnuplot figure. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "plot.h"
#include "scaling-report.h"

/* The row of b with the same count as a's row (an inner merge on ranks,
 * as pandas does in the seed), or SIZE_MAX. */
static size_t match(const struct series *b, double ranks)
{
	for (size_t j = 0; b && j < b->n; j++)
		if (b->ranks[j] == ranks)
			return j;
	return SIZE_MAX;
}

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
		size_t m = match(b, a->ranks[i]);

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

static void report_amdahl(FILE *out, const double *q, const double *sp,
			  size_t n)
{
	struct perfkit_amdahl_fit f;

	if (perfkit_amdahl_fit(q, sp, n, &f) < 0) {
		fprintf(out, "Amdahl fit: not possible: %s\n", perfkit_last_error());
		return;
	}
	fprintf(out, "Amdahl fit: f = %.5f +- %.5f (95%% CI %.5f .. %.5f, %zu points), "
		"speedup limit 1/f = %.4g\n",
		f.f, f.f_se, f.f_ci[0], f.f_ci[1], f.n, f.limit);
}

static void report_usl(FILE *out, const struct series *s)
{
	struct perfkit_usl_fit f;
	struct perfkit_usl_prediction p;
	double next = 2 * s->ranks[s->n - 1];

	if (perfkit_usl_fit(s->ranks, s->throughput, s->n, &f) < 0) {
		fprintf(out, "USL fit: not possible: %s\n", perfkit_last_error());
		return;
	}
	fprintf(out, "USL fit X(N) = gamma N / (1 + alpha (N-1) + beta N (N-1)), "
		"%zu points, 95%% intervals (t = %.4f, %g dof):\n",
		f.n, f.t975, f.dof);
	fprintf(out, "  alpha = %.6g  [%.6g, %.6g]\n", f.alpha, f.alpha_ci[0], f.alpha_ci[1]);
	fprintf(out, "  beta  = %.6g  [%.6g, %.6g]\n", f.beta, f.beta_ci[0], f.beta_ci[1]);
	fprintf(out, "  gamma = %.6g  [%.6g, %.6g]\n", f.gamma, f.gamma_ci[0], f.gamma_ci[1]);
	fprintf(out, "  residual standard error %.4g, R^2 = %.5f\n", f.rse, f.r2);
	if (isinf(f.peak_n))
		fprintf(out, "  no peak (beta = 0)");
	else
		fprintf(out, "  peak at N* = %.4g (X = %.4g)", f.peak_n, f.peak_x);
	fprintf(out, ", asymptote gamma/alpha = %.4g, 1/alpha = %.4g\n",
		f.asymptote, f.inv_alpha);
	if (perfkit_usl_predict(&f, next, &p) == 0)
		fprintf(out, "  predicted X(%g) = %.4g  [%.4g, %.4g]\n", next,
			p.throughput, p.ci[0], p.ci[1]);
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
	report_amdahl(out, q, s->speedup, s->n);
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

/* ---- files ---- */

/* Open a temporary file beside path; *tmp receives its name. */
static FILE *open_temp(const char *path, char *tmp, size_t size)
{
	int fd;

	snprintf(tmp, size, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create: %s\n", path, strerror(errno));
		return NULL;
	}
	return fdopen(fd, "w");
}

static int finish_temp(FILE *f, const char *tmp, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		fprintf(stderr, "%s: write failed: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int write_csv(const char *path, const struct series *a, const struct series *b)
{
	char tmp[4200];
	FILE *f = open_temp(path, tmp, sizeof(tmp));

	if (!f)
		return -1;
	fprintf(f, "%s", a->w.count);
	for (int c = 0; c < SERIES_COLS; c++)
		fprintf(f, ",%s", a->w.cols[c]);
	for (int c = 0; b && c < SERIES_COLS; c++)
		fprintf(f, ",%s_%s", b->w.cols[c], b->label);
	fputc('\n', f);
	for (size_t i = 0; i < a->n; i++) {
		size_t m = match(b, a->ranks[i]);

		if (b && m == SIZE_MAX)
			continue;
		fprintf(f, "%.17g", a->ranks[i]);
		for (int c = 0; c < SERIES_COLS; c++)
			fprintf(f, ",%.17g", series_cell(a, i, c));
		for (int c = 0; b && c < SERIES_COLS; c++)
			fprintf(f, ",%.17g", series_cell(b, m, c));
		fputc('\n', f);
	}
	return finish_temp(f, tmp, path);
}

/* JSON has no NaN or infinity: undefined figures become null. */
static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *usl_json(const struct series *s)
{
	struct perfkit_usl_fit u;

	if (perfkit_usl_fit(s->ranks, s->throughput, s->n, &u) < 0)
		return json_null();
	return json_pack("{s:f,s:f,s:f,s:[f,f],s:[f,f],s:[f,f],s:f,s:f,s:o,s:o}",
			 "alpha", u.alpha, "beta", u.beta, "gamma", u.gamma,
			 "alpha_ci", u.alpha_ci[0], u.alpha_ci[1],
			 "beta_ci", u.beta_ci[0], u.beta_ci[1],
			 "gamma_ci", u.gamma_ci[0], u.gamma_ci[1],
			 "rse", u.rse, "r2", u.r2,
			 "peak_n", number(u.peak_n),
			 "asymptote", number(u.asymptote));
}

static void row_cells(json_t *r, const struct series *s, size_t i,
		      const char *suffix)
{
	for (int c = 0; c < SERIES_COLS; c++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s", s->w.cols[c],
			 suffix ? "_" : "", suffix ? suffix : "");
		json_object_set_new(r, name, number(series_cell(s, i, c)));
	}
}

static json_t *rows_json(const struct series *a, const struct series *b)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < a->n; i++) {
		size_t m = match(b, a->ranks[i]);
		json_t *r = json_object();

		if (b && m == SIZE_MAX) {
			json_decref(r);
			continue;
		}
		json_object_set_new(r, a->w.count, json_real(a->ranks[i]));
		row_cells(r, a, i, NULL);
		if (b)
			row_cells(r, b, m, b->label);
		json_array_append_new(rows, r);
	}
	return rows;
}

int write_json(const char *path, const struct series *a, const struct series *b,
	       const struct report_options *o)
{
	json_t *root = json_object();
	char tmp[4200];
	FILE *f;
	int rc = -1;

	(void)o;
	json_object_set_new(root, "kind",
			    json_string(a->kind == SERIES_WEAK ? "weak" : "strong"));
	for (size_t k = 0; k < SERIES_INFO && a->info[k][0]; k++)
		json_object_set_new(root, a->info[k][0], json_string(a->info[k][1]));
	if (!isnan(a->warmup))
		json_object_set_new(root, "warmup_epochs", json_real(a->warmup));
	json_object_set_new(root, "rows", rows_json(a, b));
	json_object_set_new(root, "usl", usl_json(a));
	if (b)
		json_object_set_new(root, "usl_compare", usl_json(b));
	f = open_temp(path, tmp, sizeof(tmp));
	if (f) {
		if (json_dumpf(root, f, JSON_INDENT(2)) != 0)
			fprintf(stderr, "%s: JSON encoding failed\n", path);
		fputc('\n', f);
		rc = finish_temp(f, tmp, path);
	}
	json_decref(root);
	return rc;
}

/* ---- plot ---- */

/* Count, top panel value (weak: throughput, strong: speedup), its ideal,
 * efficiency. */
static void data_block(FILE *g, const char *name, const struct series *s)
{
	fprintf(g, "$%s << EOD\n", name);
	for (size_t i = 0; i < s->n; i++)
		fprintf(g, "%.17g %.17g %.17g %.17g\n", s->ranks[i],
			s->kind == SERIES_WEAK ? s->throughput[i] : s->speedup[i],
			s->ideal[i], s->eff[i]);
	fprintf(g, "EOD\n");
}

/* Ticks at the measured rank counts; labelled only on the lower panel. */
static void xtics(FILE *g, const struct series *a, int labels)
{
	fprintf(g, "set xtics (");
	for (size_t i = 0; i < a->n; i++) {
		fprintf(g, "%s", i ? ", " : "");
		if (labels)
			fprintf(g, "'%g' %g", a->ranks[i], a->ranks[i]);
		else
			fprintf(g, "'' %g", a->ranks[i]);
	}
	fprintf(g, ")\n");
}

static void plot_script(FILE *g, const struct series *a, const struct series *b,
			const struct report_options *o)
{
	double emin = 1;

	for (size_t i = 0; i < a->n; i++)
		emin = fmin(emin, a->eff[i]);
	data_block(g, "real", a);
	if (b)
		data_block(g, "cmp", b);
	fprintf(g, "set multiplot\nset lmargin at screen 0.14\nset rmargin at screen 0.96\n"
		"set grid\nset logscale x 2\nset xrange [%g:%g]\n",
		a->ranks[0] / 1.3, a->ranks[a->n - 1] * 1.3);
	xtics(g, a, 0);
	/* top panel: throughput and ideal on log axes */
	fprintf(g, "set tmargin at screen 0.94\nset bmargin at screen 0.30\n"
		"set title '%s'\nset logscale y\nset key top left\n"
		"set ylabel '%s'\n", o->title, a->w.ylabel);
	fprintf(g, "plot $real using 1:2 with linespoints pt 7 ps 1.5 title '%s'",
		a->w.legend);
	if (b)
		fprintf(g, ", $cmp using 1:2 with linespoints pt 9 ps 1.5 title '%s'",
			b->w.legend);
	fprintf(g, ", $real using 1:3 with lines dt 2 title 'Ideal'\n");
	/* bottom panel: efficiency */
	xtics(g, a, 1);
	fprintf(g, "set tmargin at screen 0.30\nset bmargin at screen 0.08\n"
		"unset title\nunset logscale y\n"
		"set xlabel 'Number of workers'\nset ylabel 'Efficiency'\n"
		"set yrange [%g:1.05]\nset ytics 0.1\n"
		"plot $real using 1:4 with linespoints pt 7 ps 1.5 notitle\n"
		"unset multiplot\n", fmin(0.5, floor(emin * 10) / 10));
}

int write_plot(const char *path, const struct series *a, const struct series *b,
	       const struct report_options *o)
{
	struct plot p;

	if (plot_check_text("title", o->title) != 0 ||
	    plot_check_text("series name", a->w.legend) != 0 ||
	    (b && plot_check_text("series name", b->w.legend) != 0))
		return -1;
	if (plot_begin(&p, path, "--csv", 800, 800) != 0)
		return -1;
	plot_script(p.g, a, b, o);
	return plot_end(&p);
}
