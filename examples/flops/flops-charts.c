/* SPDX-License-Identifier: MIT */
/* perfkit-flops: the report's text charts, the pywren notebook's
 * histogram of per-worker GFLOPS and its peak/effective timeline. */
#include <math.h>
#include <stdlib.h>

#include "flops-report.h"

#define PLOT_WIDTH 60
#define PLOT_HEIGHT 8
#define HIST_BINS 10
#define BAR_WIDTH 40

int report_histogram_edges(const struct perfkit_results *res, size_t nbins,
			   double *edges)
{
	struct perfkit_harness_summary s;
	double lo, hi;

	if (perfkit_harness_summarize(res, &s) != 0)
		return -1;
	lo = s.worker_gflops_min;
	hi = s.worker_gflops_max;
	if (hi - lo < 1e-3 * hi) { /* all alike: a window of +-2.5 % */
		lo *= 0.975;
		hi *= 1.025;
	}
	for (size_t i = 0; i <= nbins; i++)
		edges[i] = lo + (hi - lo) * (double)i / (double)nbins;
	edges[nbins] = hi;
	return 0;
}

void report_histogram(FILE *out, const struct perfkit_results *res)
{
	double e[HIST_BINS + 1];
	size_t c[HIST_BINS], cmax = 1;

	if (report_histogram_edges(res, HIST_BINS, e) != 0 ||
	    perfkit_harness_histogram(res, e, HIST_BINS + 1, c, NULL, NULL) != 0)
		return;
	for (int i = 0; i < HIST_BINS; i++)
		cmax = c[i] > cmax ? c[i] : cmax;
	fprintf(out, "\nPer-worker GFLOPS (histogram, %d bins)\n", HIST_BINS);
	for (int i = 0; i < HIST_BINS; i++) {
		int len = (int)((double)c[i] * BAR_WIDTH / (double)cmax + 0.5);

		fprintf(out, "  [%8.2f, %8.2f%c %-*.*s %zu\n", e[i], e[i + 1],
			i == HIST_BINS - 1 ? ']' : ')', BAR_WIDTH, len,
			"########################################", c[i]);
	}
}

/* Row (0 = bottom) of a value on a scale of @h rows up to @ymax. */
static int row_of(double v, double ymax, int h)
{
	int r = (int)(v / ymax * h);

	return r < 0 ? 0 : r >= h ? h - 1 : r;
}

static void draw(FILE *out, const double *peak, const int *eff_row, double ymax,
		 double span)
{
	for (int r = PLOT_HEIGHT - 1; r >= 0; r--) {
		char line[PLOT_WIDTH + 1];

		for (int x = 0; x < PLOT_WIDTH; x++) {
			/* a cell is filled when the bin's mean reaches its middle */
			line[x] = peak[x] >= (r + 0.5) * ymax / PLOT_HEIGHT ? '#' : ' ';
			if (eff_row[x] == r)
				line[x] = '*';
		}
		line[PLOT_WIDTH] = '\0';
		if (r == PLOT_HEIGHT - 1)
			fprintf(out, "  %8.1f |%s\n", ymax, line);
		else
			fprintf(out, "  %8s |%s\n", "", line);
	}
	fprintf(out, "  %8.1f +", 0.0);
	for (int x = 0; x < PLOT_WIDTH; x++)
		fputc('-', out);
	fprintf(out, "\n  %10s0 s%*s%.3f s\n", "", PLOT_WIDTH - 8, "", span);
}

void report_timeline(FILE *out, const struct perfkit_results *res, double span)
{
	double peak[PLOT_WIDTH] = { 0 }, *t, *g, ymax = 0, w = span / PLOT_WIDTH;
	int eff_row[PLOT_WIDTH];
	size_t nb, n = perfkit_results_count(res), m = 0;

	if (!(span > 0) || perfkit_harness_peak_timeline(res, w, peak, PLOT_WIDTH, &nb) != 0)
		return;
	t = calloc(n ? n : 1, sizeof(double));
	g = calloc(n ? n : 1, sizeof(double));
	if (t && g && perfkit_harness_effective_timeline(res, t, g, n, &m) != 0)
		m = 0;
	for (int x = 0; x < PLOT_WIDTH; x++) {
		ymax = fmax(ymax, peak[x]);
		eff_row[x] = -1;
	}
	for (size_t k = 0; t && g && k < m; k++)
		ymax = fmax(ymax, isfinite(g[k]) ? g[k] : 0);
	if (ymax > 0) {
		for (size_t k = 0; t && g && k < m; k++) {
			int x = (int)(t[k] / w);

			x = x >= PLOT_WIDTH ? PLOT_WIDTH - 1 : x;
			if (isfinite(g[k]))
				eff_row[x] = row_of(g[k], ymax, PLOT_HEIGHT);
		}
		fprintf(out, "\nTimeline: '#' summed GFLOPS of the workers computing in each "
			"%.3g ms bin,\n          '*' effective GFLOPS at each collection "
			"(flops collected so far / time since first submit)\n", w * 1e3);
		draw(out, peak, eff_row, ymax, span);
	}
	free(t);
	free(g);
}
