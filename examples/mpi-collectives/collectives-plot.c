/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-collectives: the figure (see collectives.h). */
#include <string.h>

#include "cli.h"
#include "collectives.h"
#include "plot.h"

/* One operation's records, [first, end) of the set, in the order run. */
struct op_span {
	const char *name;
	size_t first, end;
	long long bytes; /* of the first record: 0 for barrier */
};

/* The next run of records of one operation from @i; 0 at the end. */
static int next_span(const struct perfkit_results *res, size_t i, struct op_span *s)
{
	const struct perfkit_record *r = NULL;
	size_t n = perfkit_results_count(res);

	if (i >= n || perfkit_results_get(res, i, &r) != 0)
		return 0;
	s->name = r->name;
	s->first = i;
	s->bytes = (long long)r->problem_size;
	for (s->end = i + 1; s->end < n; s->end++)
		if (perfkit_results_get(res, s->end, &r) != 0 || strcmp(r->name, s->name) != 0)
			break;
	return 1;
}

/* A data block per sized operation ($op<first>): bytes, mean, min, max
 * in microseconds; returns how many blocks. */
static int data_blocks(FILE *g, const struct perfkit_results *res)
{
	struct op_span s;
	int blocks = 0;

	for (size_t i = 0; next_span(res, i, &s); i = s.end) {
		if (s.bytes <= 0)
			continue;
		fprintf(g, "$op%zu << EOD\n", s.first);
		for (size_t k = s.first; k < s.end; k++) {
			const struct perfkit_record *r = NULL;

			perfkit_results_get(res, k, &r);
			fprintf(g, "%lld %.17g %.17g %.17g\n", (long long)r->problem_size,
				collectives_us(res, k, "latency_mean_s"),
				collectives_us(res, k, "latency_min_s"),
				collectives_us(res, k, "latency_max_s"));
		}
		fprintf(g, "EOD\n");
		blocks++;
	}
	return blocks;
}

/* The plot command: a line with bars per sized operation, barrier (no
 * size) as a dashed level line at its mean. */
static void plot_command(FILE *g, const struct perfkit_results *res)
{
	struct op_span s;
	const char *sep = "plot ";

	for (size_t i = 0; next_span(res, i, &s); i = s.end) {
		if (s.bytes > 0)
			fprintf(g, "%s$op%zu using 1:2:3:4 with yerrorlines pt 7 ps 0.6 "
				"title '%s'", sep, s.first, s.name);
		else
			fprintf(g, "%s%.17g with lines dt 2 lw 2 title '%s (no message)'", sep,
				collectives_us(res, s.first, "latency_mean_s"), s.name);
		sep = ", \\\n  ";
	}
	fprintf(g, "\n");
}

int collectives_plot(const char *path, const struct perfkit_results *res)
{
	char ranks[16] = "?";
	struct plot p;
	int sized;

	if (perfkit_results_count(res) == 0)
		return cli_error("--plot: no operation measured, nothing to draw");
	if (perfkit_results_value(res, 0, "ranks", ranks, sizeof(ranks)) != 0)
		snprintf(ranks, sizeof(ranks), "?");
	if (plot_begin(&p, path, "--outfile", 1000, 700) != 0)
		return -1;
	sized = data_blocks(p.g, res);
	fprintf(p.g, "set title 'MPI collectives on %s ranks: mean time per operation "
		"over ranks (bars: fastest and slowest rank)'\n"
		"set grid\nset key outside right top\nset logscale y 10\n"
		"set ylabel 'time per operation (us)'\n", ranks);
	if (sized)
		fprintf(p.g, "set logscale x 2\nset format x '%%.0b %%BB'\n"
			"set xlabel 'message size per rank (bytes)'\n");
	else /* barrier alone: no size axis */
		fprintf(p.g, "set xrange [0:1]\nunset xtics\n");
	plot_command(p.g, res);
	return plot_end(&p);
}
