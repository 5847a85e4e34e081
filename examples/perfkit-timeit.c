/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: the "benchmark the alternatives" step of the HPC Python
 * workshop, in C. It times shell commands as hyperfine does, or functions
 * of a shared object as Python's timeit does, and says how much faster
 * the fastest is than each other, with a 95 % confidence interval:
 *
 *   perfkit-timeit 'python3 slow.py' 'python3 fast.py'
 *   perfkit-timeit -N --warmup 3 'gzip -k -f data' 'zstd -f -q data'
 *   perfkit-timeit -P n 1000 8000 -D 1000 './sort {n}'   (and its O(...))
 *   perfkit-timeit --lib ./libsum.so --setup make --func naive --func simd
 *
 * Ctrl-C stops after the run in flight: what was measured is reported
 * and written, and the exit status is 130.
 */
#include <stdio.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "stop.h"
#include "timeit.h"

/* What is timed, and how the runs of commands are corrected. */
static void print_rules(const struct timeit_args *a, const struct timeit_set *s)
{
	if (a->shell)
		printf("Shell: %s -c; its spawn cost (%s -c '', median of %zu "
		       "runs) was measured and is subtracted from every run:\n"
		       "  %.4g ms wall, %.4g ms user, %.4g ms system\n\n",
		       a->shell, a->shell, s->spawn_runs, s->spawn_wall * 1e3,
		       s->spawn_user * 1e3, s->spawn_sys * 1e3);
	else
		printf("No shell (-N): each command is split into words and "
		       "started directly; nothing is subtracted.\n\n");
}

/* The relative speeds, the complexity, and the files. */
static int report_and_write(const struct timeit_args *a, struct timeit_set *s,
			    int argc, char **argv)
{
	int failed = 0;

	timeit_print_relative(s);
	timeit_print_complexity(a, s);
	fflush(stdout);
	if (a->outfile)
		failed |= timeit_write_outfile(a, s, argc, argv) != 0;
	if (a->markdown)
		failed |= timeit_write_markdown(a->markdown, s) != 0;
	if (a->json)
		failed |= timeit_write_hyperfine_json(a->json, s, a->param) != 0;
	return failed;
}

int main(int argc, char **argv)
{
	struct timeit_args a;
	struct timeit_set s = { 0 };
	int rc, status;

	setvbuf(stdout, NULL, _IOLBF, 0); /* the report survives a kill */
	cli_set_program("perfkit-timeit");
	if ((rc = timeit_parse_args(argc, argv, &a)) >= 0) {
		timeit_args_free(&a);
		return rc;
	}
	if (stop_catch() != 0 || timeit_benches_make(&a, &s) != 0) {
		timeit_benches_free(&s);
		timeit_args_free(&a);
		return CLI_EXIT_FAILED;
	}

	/* measure: the shell's own cost first, then each benchmark */
	if (s.functions) {
		status = timeit_run_functions(&a, &s); /* says what it times */
	} else {
		status = timeit_check_commands(&a, &s);
		if (status == 0)
			status = timeit_measure_spawn(&a, &s);
		if (status == 0 && !stop_signal) {
			print_rules(&a, &s);
			status = timeit_run_commands(&a, &s);
		}
	}
	if (stop_signal)
		cli_error("%s: reporting and writing what was measured",
			  stop_name(stop_signal));

	/* compare, fit, export: also after a failure or a stop signal */
	if (report_and_write(&a, &s, argc, argv) && status == 0)
		status = CLI_EXIT_FAILED;
	timeit_benches_free(&s);
	timeit_args_free(&a);
	return stop_status(status);
}
