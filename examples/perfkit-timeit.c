/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: the timeit step of the HPC Python workshop in C: the
 * same work done two ways, each timed with libperfkit's runner, as
 * Python's timeit would be used to choose between them:
 *
 *   (a) a naive loop (a data-dependent branch and one long dependency chain)
 *       against a branch-free loop with independent accumulators that the
 *       compiler can vectorise;
 *   (b) writing doubles to a file as text (fprintf) against binary (fwrite).
 *
 * Each line gives the median time per call, its 95 % confidence interval,
 * the spread (MAD), outliers, how many samples of how many calls were taken,
 * which stop rule ended the run, and the share of each sample spent reading
 * the clock (reported, not subtracted). Then the ratio of the medians, with a
 * conservative interval from the two confidence intervals.
 */
#include <math.h>
#include <stdio.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "timeit.h"

/* A day per implementation: beyond it a typo, not a wish. */
#define MAX_TIME_MAX 86400

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-timeit [--precision REL] [--max-time SECONDS]\n"
		"\n"
		"Times two implementations of the same work with libperfkit's runner\n"
		"and prints medians, 95%% confidence intervals, spread and ratios.\n"
		"\n"
		"  --precision REL     stop a measurement once the 95%% CI half-width\n"
		"                      is at most REL x median (0 to 1, default 0.01)\n"
		"  --max-time SECONDS  time budget per implementation (default 2, at\n"
		"                      most %d; four implementations are timed)\n"
		"  -h, --help          show this help\n"
		"      --version       the program's and libperfkit's version\n",
		MAX_TIME_MAX);
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse_args(int argc, char **argv, struct timeit_options *o)
{
	enum { OPT_PRECISION = 256, OPT_MAX_TIME };
	static const struct option opts[] = {
		{ "precision", required_argument, NULL, OPT_PRECISION },
		{ "max-time", required_argument, NULL, OPT_MAX_TIME },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (rc == 0 && (c = cli_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case OPT_PRECISION:
			rc = cli_parse_positive("--precision", optarg, 1, &o->precision);
			break;
		case OPT_MAX_TIME:
			rc = cli_parse_positive("--max-time", optarg, MAX_TIME_MAX,
						&o->max_time);
			break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case CLI_OPT_VERSION: cli_print_version(stdout); return CLI_EXIT_OK;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_error("unexpected argument '%s'", argv[optind]);
	return rc == 0 ? -1 : CLI_EXIT_USAGE;
}

/* How the clock is read and when a measurement stops. */
static void print_rule(const struct timeit_options *o,
		       const struct perfkit_clock_info *clk)
{
	printf("perfkit-timeit %s: the same work done two ways, timed by "
	       "libperfkit's runner\n", perfkit_version_string());
	printf("clock: monotonic, resolution %.0f ns, one read costs %.1f ns "
	       "(in every sample: see 'clock'; not subtracted)\n",
	       clk->observed_resolution_ns, clk->overhead_ns);
	printf("rule:  samples of >= %.0f ms, taken in rounds of %d per "
	       "implementation, alternating (AB, BA, ...);\n"
	       "       stop when both medians are known to +-%.2g%% (95%% CI) "
	       "or after %.3g s per implementation.\n"
	       "       Times are per call.\n",
	       fmax(PERFKIT_RUNNER_DEFAULT_MIN_SAMPLE_TIME,
		    PERFKIT_RUNNER_RESOLUTION_FACTOR * clk->observed_resolution_ns * 1e-9) * 1e3,
	       ROUND_SAMPLES, o->precision * 100, o->max_time);
}

int main(int argc, char **argv)
{
	struct timeit_options o = { PERFKIT_RUNNER_DEFAULT_PRECISION,
				    PERFKIT_RUNNER_DEFAULT_MAX_TIME };
	struct perfkit_clock_info clk;
	uint64_t t0 = perfkit_now_ns();
	int rc;

	cli_set_program("perfkit-timeit");
	if ((rc = parse_args(argc, argv, &o)) >= 0)
		return rc;
	/* what one clock read costs, reported beside every figure */
	if (perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, &clk) < 0) {
		cli_error("%s", perfkit_last_error());
		return CLI_EXIT_FAILED;
	}
	print_rule(&o, &clk);

	/* the workshop's two questions: vectorise? text or binary? */
	if (timeit_case_vectorise(&o) != 0 || timeit_case_text_binary(&o) != 0)
		return CLI_EXIT_FAILED;
	printf("\nMAD = median absolute deviation (raw, %% of the median); "
	       "outl = values with |modified z| > 3.5,\ncounted, not removed; "
	       "clock = one clock read as a share of a sample. Total %.1f s.\n",
	       (double)(perfkit_now_ns() - t0) * 1e-9);
	return CLI_EXIT_OK;
}
