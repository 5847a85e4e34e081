/* SPDX-License-Identifier: MIT */
/* perfkit-scaling --plot: the CosmoFlow notebook's two panels, throughput
 * against its ideal and efficiency, drawn by gnuplot. */
#include <math.h>
#include <stdio.h>

#include "plot.h"
#include "scaling-report.h"

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
