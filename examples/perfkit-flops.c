/* SPDX-License-Identifier: MIT */
/*
 * perfkit-flops: the pywren GFLOPS notebook on the cores of this machine.
 *
 *   perfkit-flops --workers 10 --loopcount 10 --matn 1024 --outfile small.json
 *   perfkit-flops --kernel triad --matn 20000000 --sweep-workers
 *   perfkit-flops --sweep-workers 1,2,4 --total-loopcount 64   (strong scaling)
 *   perfkit-flops                       (all cores, dgemm, N = 1024, 10 times)
 *
 * Runs the kernel on W workers with the libperfkit harness, prints the
 * machine, a per-worker table, summed against effective GFLOPS, the
 * straggler ratio, a histogram and the timeline, and writes the records
 * as JSON, CSV or JSON Lines (by the file's extension).
 *
 * What an interruption leaves: JSON Lines records are appended and synced
 * as each worker is collected, so even SIGKILL loses only the workers in
 * flight. SIGINT or SIGTERM lets the point in flight finish, starts no
 * other, prints the report of what finished, writes it in any format and
 * exits 130 or 143. stdout is line-buffered, so the report survives a
 * redirect. --outfile and --plot are checked before anything runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "flops-args.h"
#include "stop.h"

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

	if (a->sweep_workers && a->o.total_loopcount)
		report_strong(stdout, res, a->threshold);
	else
		report_sweep(stdout, res, key);
	sub = last_point(res, key, value, sizeof(value));
	if (sub) {
		printf("\nLast point (%s = %s) in detail:\n", key, value);
		report_run(stdout, sub);
	}
	return sub;
}

/* Said once after a stop signal: what the report and files hold. */
static void say_stopped(int rc)
{
	cli_error("%s: %s; reporting and writing what finished", stop_name(stop_signal),
		  rc == -ECANCELED ? perfkit_last_error() : "the run in flight finished");
}

int main(int argc, char **argv)
{
	struct flops_args a;
	struct flops_stream fs;
	struct perfkit_results *res = NULL, *sub = NULL;
	int rc, status = CLI_EXIT_OK;

	setvbuf(stdout, NULL, _IOLBF, 0); /* the report survives a kill */
	cli_set_program("perfkit-flops");
	if ((rc = flops_command_line(argc, argv, &a, 0)) >= 0)
		return rc;
	if (flops_check_args(&a) != 0 || flops_check_outputs(&a) != 0)
		return CLI_EXIT_USAGE;
	if (stop_catch() != 0)
		return CLI_EXIT_FAILED;
	a.o.cancel = &stop_signal;
	flops_stream_init(&fs, a.outfile, flops_progress_terminal());
	a.o.progress = flops_progress;
	a.o.userdata = &fs;

	/* W workers run the kernel at once (or once per point of a sweep) */
	rc = measure(&a, &res);
	flops_stream_close(&fs);
	if (stop_signal)
		say_stopped(rc);
	else if (rc != 0)
		cli_error("%s", perfkit_last_error());
	if (!res)
		return stop_status(CLI_EXIT_FAILED);
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
	return stop_status(status);
}
