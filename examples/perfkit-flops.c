/* SPDX-License-Identifier: MIT */
/*
 * perfkit-flops: the pywren GFLOPS notebook on the cores of this machine.
 *
 *   perfkit-flops --workers 10 --loopcount 10 --matn 1024 --outfile small.json
 *   perfkit-flops --kernel triad --matn 20000000 --sweep-workers
 *   perfkit-flops                       (all cores, dgemm, N = 1024, 10 times)
 *
 * Runs the kernel on W workers with the libperfkit harness, prints the
 * machine, a per-worker table, summed against effective GFLOPS, the
 * straggler ratio, a histogram and the timeline, and writes the records
 * as JSON, CSV or JSON Lines (by the file's extension).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "flops-args.h"

/* A progress bar on stderr, only when it is a terminal. */
static void progress(const struct perfkit_harness_progress *p, void *userdata)
{
	int width = 30, fill = (int)((double)p->done * width / p->total);

	(void)userdata;
	fprintf(stderr, "\r  [%.*s%*s] %u/%u workers", fill,
		"##############################", width - fill, "", p->done, p->total);
	if (p->points > 1)
		fprintf(stderr, " (point %u of %u)", p->point + 1, p->points);
	if (p->done == p->total)
		fprintf(stderr, "\r%*s\r", 72, "");
	fflush(stderr);
}

static int measure(struct flops_args *a, struct perfkit_results **res)
{
	if (a->sweep_workers)
		return perfkit_harness_sweep_workers(&a->o, a->ncounts ? a->counts : NULL,
						     a->ncounts, res);
	if (a->sweep_sizes)
		return perfkit_harness_sweep_sizes(&a->o, a->sizes, a->nsizes, res);
	return perfkit_harness_run(&a->o, res);
}

/* The point a sweep's report and plot show in detail: the last one run. */
static struct perfkit_results *last_point(const struct perfkit_results *res,
					  const char *key, char *value, size_t len)
{
	struct perfkit_results *sub = NULL;
	size_t n = perfkit_results_count(res);

	if (n == 0 || perfkit_results_value(res, n - 1, key, value, len) != 0 ||
	    perfkit_results_filter(res, key, value, &sub) != 0)
		return NULL;
	return sub;
}

/* One line per point of a sweep, then its last point in detail. Returns
 * that point (NULL if none), which the plot shows. */
static struct perfkit_results *report_sweep_points(const struct flops_args *a,
						   const struct perfkit_results *res)
{
	const char *key = a->sweep_workers ? "workers" : "problem_size";
	struct perfkit_results *sub;
	char value[64];

	report_sweep(stdout, res, key);
	sub = last_point(res, key, value, sizeof(value));
	if (sub) {
		printf("\nLast point (%s = %s) in detail:\n", key, value);
		report_run(stdout, sub);
	}
	return sub;
}

int main(int argc, char **argv)
{
	struct flops_args a;
	struct perfkit_results *res = NULL, *sub = NULL;
	int rc, status = CLI_EXIT_OK;

	cli_set_program("perfkit-flops");
	if ((rc = flops_command_line(argc, argv, &a, 0)) >= 0)
		return rc;
	if (flops_check_args(&a) != 0)
		return CLI_EXIT_USAGE;
	if (isatty(STDERR_FILENO))
		a.o.progress = progress;

	/* W workers run the kernel at once (or once per point of a sweep) */
	rc = measure(&a, &res);
	if (rc != 0)
		cli_error("%s", perfkit_last_error());
	if (!res)
		return CLI_EXIT_FAILED;
	if (rc != 0)
		status = CLI_EXIT_FAILED;
	perfkit_results_set_command(res, argc, (const char *const *)argv);

	/* the machine and its peak; per worker, summed against effective */
	flops_headline(&a, res);
	report_machine(stdout, res);
	if (a.sweep_workers || a.sweep_sizes)
		sub = report_sweep_points(&a, res);
	else
		report_run(stdout, res);
	fflush(stdout);

	/* the records to --outfile, the histogram and timeline to --plot */
	if (flops_outputs(&a, res, a.sweep_workers || a.sweep_sizes ? sub : res) != 0)
		status = CLI_EXIT_FAILED;
	perfkit_results_destroy(sub);
	perfkit_results_destroy(res);
	return status;
}
