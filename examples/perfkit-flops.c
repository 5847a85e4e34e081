/* SPDX-License-Identifier: MIT */
/*
 * perfkit-flops: seed 000's GFLOPS benchmark on the cores of this machine.
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

static int run(struct flops_args *a, struct perfkit_results **res)
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

int main(int argc, char **argv)
{
	struct flops_args a;
	struct perfkit_results *res = NULL, *sub = NULL;
	const char *key = NULL;
	char value[64];
	int rc, status = EXIT_SUCCESS;

	memset(&a, 0, sizeof(a));
	if (flops_parse_args(argc, argv, &a) != 0)
		return 2;
	if (a.help) {
		flops_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (a.list) {
		flops_list_kernels();
		return EXIT_SUCCESS;
	}
	if (flops_check_args(&a) != 0)
		return 2;
	if (isatty(STDERR_FILENO))
		a.o.progress = progress;
	rc = run(&a, &res);
	if (!res) {
		fprintf(stderr, "%s: %s\n", flops_prog, perfkit_last_error());
		return EXIT_FAILURE;
	}
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", flops_prog, perfkit_last_error());
		status = EXIT_FAILURE;
	}
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	flops_headline(&a, res);
	report_machine(stdout, res);
	if (a.sweep_workers || a.sweep_sizes) {
		key = a.sweep_workers ? "workers" : "problem_size";
		report_sweep(stdout, res, key);
		sub = last_point(res, key, value, sizeof(value));
		if (sub) {
			printf("\nLast point (%s = %s) in detail:\n", key, value);
			report_run(stdout, sub);
		}
	} else {
		report_run(stdout, res);
	}
	fflush(stdout);
	if (flops_outputs(&a, res, key ? sub : res) != 0)
		status = EXIT_FAILURE;
	perfkit_results_destroy(sub);
	perfkit_results_destroy(res);
	return status;
}
