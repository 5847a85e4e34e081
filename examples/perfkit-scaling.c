/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: the CosmoFlow weak-scaling notebook's analysis of run
 * folders, or the scaling of a perfkit result file, with Amdahl,
 * Karp-Flatt and USL fits, the optimal worker count and cost.
 *
 *   perfkit-scaling results/scaling-n%i --ranks 1,2,4,8 \
 *           [--compare results/scaling-dummy-n%i] [--plot scaling.png]
 *   perfkit-scaling run-a run-b run-c          (ranks from config.json)
 *   perfkit-scaling --results sweep.json [--group-by workers]
 *           [--measure throughput|makespan|elapsed] [--work flops|items|bytes]
 */
#include <stdio.h>

#include "cli.h"
#include "scaling-args.h"
#include "scaling-report.h"
#include "scaling-resultfile.h"
#include "scaling-runs.h"

/* Read the series: a result file, or run folders (and --compare). The
 * series keeps pointers into a->in. */
static int load(struct scaling_args *a, struct series *s, struct series *cmp)
{
	size_t n = a->pattern ? a->nranks : a->ndirs;

	if (a->in.path) {
		if (series_from_results(s, &a->in) < 0)
			return -1;
		printf("%s\n", a->in.heading);
		return 0;
	}
	if (series_load(s, a->pattern, a->ranks, a->dirs, n, a->o.warmup) < 0)
		return -1;
	if (a->compare &&
	    series_load(cmp, a->compare, a->ranks, NULL, n, a->o.warmup) < 0)
		return -1;
	printf("Weak-scaling summary (epochs numbered below %g dropped; "
	       "throughput = samples / mean epoch time):\n", a->o.warmup);
	return 0;
}

/* --csv, --json and --plot of the table (and the --compare series). */
static int outputs(const struct scaling_args *a, const struct series *s,
		   const struct series *cmp)
{
	int rc = 0;

	if (a->csv && write_csv(a->csv, s, cmp) < 0)
		rc = -1;
	if (a->json && write_json(a->json, s, cmp, &a->o) < 0)
		rc = -1;
	if (a->plot && write_plot(a->plot, s, cmp, &a->o) < 0)
		rc = -1;
	return rc;
}

static int run(struct scaling_args *a)
{
	struct series s = { .label = "" }, cmp = { .label = a->suffix };
	const struct series *other = a->compare ? &cmp : NULL;
	int rc = CLI_EXIT_FAILED;

	/* mean epoch time per run folder (or a result file's points) */
	if (load(a, &s, &cmp) < 0)
		goto out;
	/* the notebook's table: throughput, ideal, efficiency per rank count */
	report_table(stdout, &s, other);
	/* serial fraction, Amdahl and USL fits, best count, cost */
	report_analysis(stdout, &s, &a->o);
	if (other)
		report_analysis(stdout, other, &a->o);
	fflush(stdout);
	rc = outputs(a, &s, other) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
out:
	series_free(&s);
	series_free(&cmp);
	return rc;
}

int main(int argc, char **argv)
{
	struct scaling_args a;
	int rc;

	cli_set_program("perfkit-scaling");
	if ((rc = scaling_command_line(argc, argv, &a)) >= 0)
		return rc;
	return run(&a);
}
