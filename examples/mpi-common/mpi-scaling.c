/* SPDX-License-Identifier: MIT */
/* The MPI example programs' scaling and cost report (see mpi-scaling.h). */
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "mpi-scaling.h"
#include "plot.h"

int mpi_runs_add(struct mpi_runs *r, int ranks, double seconds)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		double *a = realloc(r->ranks, cap * sizeof(double));
		double *b = a ? realloc(r->time, cap * sizeof(double)) : NULL;

		if (a)
			r->ranks = a;
		if (!b)
			return cli_error("out of memory");
		r->time = b;
		r->cap = cap;
	}
	r->ranks[r->n] = ranks;
	r->time[r->n] = seconds;
	r->n++;
	return 0;
}

void mpi_runs_free(struct mpi_runs *r)
{
	free(r->ranks);
	free(r->time);
	r->ranks = r->time = NULL;
	r->n = r->cap = 0;
}

size_t mpi_runs_table(const struct mpi_runs *r, struct perfkit_scaling_strong_row *rows)
{
	size_t nrows = 0;

	if (r->n == 0)
		return 0;
	if (perfkit_scaling_strong(r->ranks, r->time, r->n, rows, &nrows) != 0) {
		cli_error("scaling table: %s", perfkit_last_error());
		return 0;
	}
	return nrows;
}

static void print_table(FILE *out, const struct perfkit_scaling_strong_row *rows, size_t n)
{
	fprintf(out, "\nScaling (strong: the same work on more ranks; mean of %zu run%s "
		"per count)\n", rows[0].repeats, rows[0].repeats == 1 ? "" : "s");
	fprintf(out, "  ranks     time, s       +- sd     fastest   speedup  efficiency  "
		"Karp-Flatt\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %5g  %10.4f  %10.4f  %10.4f  %8.2f  %10.2f  ", rows[i].workers,
			rows[i].time, rows[i].time_sd, rows[i].time_min, rows[i].speedup,
			rows[i].efficiency);
		if (isnan(rows[i].karp_flatt))
			fprintf(out, "%10s\n", "-");
		else
			fprintf(out, "%10.3f\n", rows[i].karp_flatt);
	}
}

static int print_cost(FILE *out, const struct perfkit_scaling_strong_row *rows, size_t n,
		      double price, double deadline)
{
	double *p = calloc(n, sizeof(double)), *t = calloc(n, sizeof(double));
	struct perfkit_scaling_cost *c = calloc(n, sizeof(*c));
	size_t best = 0;
	int rc = -1, found;

	if (!p || !t || !c) {
		cli_error("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		p[i] = rows[i].workers;
		t[i] = rows[i].time;
	}
	if (perfkit_scaling_cost(p, t, NULL, n, price, c) != 0) {
		cli_error("cost: %s", perfkit_last_error());
		goto out;
	}
	fprintf(out, "\nTime versus money at $%g per CPU-hour (each rank a CPU)\n", price);
	fprintf(out, "  ranks     time, s   CPU-hours     cost, $   x time   x cost\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %5g  %10.4f  %10.3g  %10.3g  %7.3f  %7.3f\n", p[i], t[i],
			c[i].worker_hours, c[i].cost, t[i] / t[0],
			c[0].cost > 0 ? c[i].cost / c[0].cost : NAN);
	found = price > 0 && perfkit_scaling_cheapest(p, t, NULL, NULL, n, price, deadline,
						      0, &best) == 0;
	if (found)
		fprintf(out, "Cheapest%s: %g ranks, %.4f s for $%.3g\n",
			isinf(deadline) ? "" : " within the deadline", p[best], t[best],
			c[best].cost);
	else if (price == 0)
		fprintf(out, "Free CPUs: the fastest count costs nothing more\n");
	else
		fprintf(out, "No rank count finished within the deadline of %g s "
			"(fastest: %.4f s)\n", deadline, rows[n - 1].time);
	rc = 0;
out:
	free(p);
	free(t);
	free(c);
	return rc;
}

int mpi_scaling_report(FILE *out, const struct mpi_runs *r, double price, double deadline)
{
	struct perfkit_scaling_strong_row *rows = calloc(r->n ? r->n : 1, sizeof(*rows));
	size_t n;
	int rc = 0;

	if (!rows)
		return cli_error("out of memory");
	n = mpi_runs_table(r, rows);
	if (n == 0)
		rc = -1;
	else
		print_table(out, rows, n);
	if (rc == 0 && price >= 0)
		rc = print_cost(out, rows, n, price, deadline);
	free(rows);
	return rc;
}

static void plot_script(FILE *g, const struct perfkit_scaling_strong_row *rows, size_t n,
			const char *title)
{
	double emin = 1;

	fprintf(g, "$d << EOD\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(g, "%.17g %.17g %.17g %.17g\n", rows[i].workers, rows[i].speedup,
			rows[i].workers / rows[0].workers, rows[i].efficiency);
		emin = fmin(emin, rows[i].efficiency);
	}
	fprintf(g, "EOD\nset multiplot\nset lmargin at screen 0.14\n"
		"set rmargin at screen 0.96\nset grid\nset logscale x 2\n"
		"set xrange [%g:%g]\n", rows[0].workers / 1.3, rows[n - 1].workers * 1.3);
	fprintf(g, "set tmargin at screen 0.94\nset bmargin at screen 0.36\n"
		"set title '%s'\nset logscale y 2\nset key top left\nset format x ''\n"
		"set ylabel 'Speedup'\n"
		"plot $d using 1:2 with linespoints pt 7 ps 1.5 title 'measured', "
		"$d using 1:3 with lines dt 2 title 'ideal'\n", title);
	fprintf(g, "set tmargin at screen 0.36\nset bmargin at screen 0.10\nunset title\n"
		"unset logscale y\nset format x '%%g'\nset xlabel 'MPI ranks'\n"
		"set ylabel 'Efficiency'\nset yrange [%g:1.05]\n"
		"plot $d using 1:4 with linespoints pt 7 ps 1.5 notitle\nunset multiplot\n",
		fmin(0.5, floor(emin * 10) / 10));
}

int mpi_scaling_plot(const char *path, const struct mpi_runs *r, const char *title)
{
	struct perfkit_scaling_strong_row *rows = calloc(r->n ? r->n : 1, sizeof(*rows));
	struct plot p;
	size_t n;
	int rc = -1;

	if (!rows)
		return cli_error("out of memory");
	n = mpi_runs_table(r, rows);
	if (n > 0 && plot_check_text("title", title) == 0 &&
	    plot_begin(&p, path, "--outfile", 800, 700) == 0) {
		plot_script(p.g, rows, n, title);
		rc = plot_end(&p);
	}
	free(rows);
	return rc;
}
