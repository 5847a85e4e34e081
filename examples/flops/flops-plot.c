/* SPDX-License-Identifier: MIT */
/* perfkit-flops --plot: the pywren GFLOPS notebook's histogram of
 * per-worker GFLOPS and its peak/effective timeline, drawn by gnuplot. */
#include <stdlib.h>

#include "cli.h"
#include "flops-report.h"
#include "plot.h"

#define PLOT_BINS 20
#define TIMELINE_BINS 100

static void histogram_block(FILE *g, const struct perfkit_results *res)
{
	double e[PLOT_BINS + 1];
	size_t c[PLOT_BINS];

	fprintf(g, "$hist << EOD\n");
	if (report_histogram_edges(res, PLOT_BINS, e) == 0 &&
	    perfkit_harness_histogram(res, e, PLOT_BINS + 1, c, NULL, NULL) == 0)
		for (int i = 0; i < PLOT_BINS; i++)
			fprintf(g, "%.17g %.17g %zu\n", 0.5 * (e[i] + e[i + 1]),
				e[i + 1] - e[i], c[i]);
	fprintf(g, "EOD\n");
}

static void timeline_blocks(FILE *g, const struct perfkit_results *res, double span)
{
	double w = span / TIMELINE_BINS, peak[TIMELINE_BINS];
	size_t nb = 0, n = perfkit_results_count(res), m = 0;
	double *t = calloc(n ? n : 1, sizeof(double));
	double *r = calloc(n ? n : 1, sizeof(double));

	fprintf(g, "$peak << EOD\n");
	if (perfkit_harness_peak_timeline(res, w, peak, TIMELINE_BINS, &nb) == 0)
		for (size_t k = 0; k < nb && k < TIMELINE_BINS; k++)
			fprintf(g, "%.17g %.17g\n", (double)k * w, peak[k]);
	fprintf(g, "%.17g 0\nEOD\n$eff << EOD\n0 0\n", span);
	if (t && r && perfkit_harness_effective_timeline(res, t, r, n, &m) == 0)
		for (size_t k = 0; k < m; k++)
			fprintf(g, "%.17g %.17g\n", t[k], r[k]);
	fprintf(g, "EOD\n");
	free(t);
	free(r);
}

static void script(FILE *g, const struct perfkit_results *res, double span,
		   const char *title)
{
	histogram_block(g, res);
	timeline_blocks(g, res, span);
	fprintf(g, "set multiplot layout 2,1 title '%s'\nset grid\n"
		"set style fill solid 0.6 border -1\n"
		"set xlabel 'GFLOPS per worker'\nset ylabel 'workers'\nset yrange [0:*]\n"
		"plot $hist using 1:3:2 with boxes notitle\n"
		"set xlabel 'time since first submit (s)'\nset ylabel 'GFLOPS'\n"
		"set xrange [0:%.17g]\nset key top right\n"
		"plot $peak using 1:2 with steps lw 2 title 'peak GFLOPS (summed over workers computing)', "
		"$eff using 1:2 with linespoints pt 7 title 'effective GFLOPS (collected / elapsed)'\n"
		"unset multiplot\n", title, span);
}

int plot_run(const char *path, const struct perfkit_results *res, const char *title)
{
	struct perfkit_harness_summary s;
	struct plot p;

	if (plot_check_text("title", title) != 0)
		return -1;
	if (perfkit_harness_summarize(res, &s) != 0 || !(s.span > 0))
		return cli_error("--plot: no worker succeeded, nothing to draw");
	if (plot_begin(&p, path, "--outfile", 900, 900) != 0)
		return -1;
	script(p.g, res, s.span, title);
	return plot_end(&p);
}
