/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pingpong: the NetPIPE-like table and the figure. */
#include <stdlib.h>

#include "cli.h"
#include "pingpong.h"
#include "plot.h"

static const char *value(const struct perfkit_results *res, size_t i, const char *key,
			 char *buf, size_t len)
{
	if (perfkit_results_value(res, i, key, buf, len) != 0)
		snprintf(buf, len, "?");
	return buf;
}

static double number(const struct perfkit_results *res, size_t i, const char *key)
{
	char buf[64];

	return atof(value(res, i, key, buf, sizeof(buf)));
}

static void context(FILE *out, const struct perfkit_results *res)
{
	char lib[512], h0[256], c0[256], h1[256], c1[256], same[8];

	fprintf(out, "MPI library: %s\n", value(res, 0, "mpi_library", lib, sizeof(lib)));
	fprintf(out, "rank 0 on %s, cores %s; rank 1 on %s, cores %s; same node: %s\n",
		value(res, 0, "host_0", h0, sizeof(h0)), value(res, 0, "cores_0", c0, sizeof(c0)),
		value(res, 0, "host_1", h1, sizeof(h1)), value(res, 0, "cores_1", c1, sizeof(c1)),
		value(res, 0, "same_node", same, sizeof(same)));
}

void pingpong_table(FILE *out, const struct perfkit_results *res)
{
	size_t n = perfkit_results_count(res);
	const struct perfkit_record *r = NULL;

	if (n == 0)
		return;
	context(out, res);
	perfkit_results_get(res, 0, &r);
	fprintf(out, "\n%s: latency is %s\n", r->name,
		r->name[0] == 's' ? "a window's time per message"
				  : "half the best trial's round trip");
	fprintf(out, "%12s %12s %14s %14s %14s %12s\n", "bytes", "repetitions",
		"latency (us)", "median (us)", "bandwidth MB/s", "Mbps");
	for (size_t i = 0; i < n; i++) {
		double bw = number(res, i, "bandwidth_MBps");

		perfkit_results_get(res, i, &r);
		fprintf(out, "%12lld %12llu %14.3f %14.3f %14.2f %12.2f\n",
			(long long)r->problem_size, (unsigned long long)r->repetitions,
			number(res, i, "latency_s") * 1e6,
			number(res, i, "latency_median_s") * 1e6, bw, bw * 8);
	}
}

static void data_block(FILE *g, const struct perfkit_results *res)
{
	fprintf(g, "$pp << EOD\n");
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = NULL;

		perfkit_results_get(res, i, &r);
		if (r->problem_size > 0) /* no place for 0 on a log axis */
			fprintf(g, "%lld %.17g %.17g\n", (long long)r->problem_size,
				number(res, i, "latency_s") * 1e6,
				number(res, i, "bandwidth_MBps"));
	}
	fprintf(g, "EOD\n");
}

int pingpong_plot(const char *path, const struct perfkit_results *res)
{
	struct plot p;

	if (perfkit_results_count(res) == 0)
		return cli_error("--plot: no sizes measured, nothing to draw");
	if (plot_begin(&p, path, "--outfile", 900, 900) != 0)
		return -1;
	data_block(p.g, res);
	fprintf(p.g, "set multiplot layout 2,1 title 'MPI ping-pong between ranks 0 and 1'\n"
		"set grid\nset logscale xy 2\nset format x '%%.0b %%BB'\n"
		"set xlabel 'message size (bytes)'\n"
		"set ylabel 'latency (us)'\nset logscale y 10\n"
		"plot $pp using 1:2 with linespoints pt 7 ps 0.5 notitle\n"
		"set ylabel 'bandwidth (MB/s)'\n"
		"plot $pp using 1:3 with linespoints pt 7 ps 0.5 notitle\n"
		"unset multiplot\n");
	return plot_end(&p);
}
