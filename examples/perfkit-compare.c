/* SPDX-License-Identifier: MIT */
/*
 * perfkit-compare: did a change make the code faster? Reads two result
 * files (any perfkit file, Google Benchmark's --benchmark_out JSON,
 * hyperfine's --export-json), or two groups of one, and prints for every
 * benchmark in both the old and new median, the ratio new/old with its
 * 95 % interval, the Mann-Whitney p-value, the p-value after Holm's
 * correction over all benchmarks, and a verdict. For CI,
 * --fail-on-regression 5% exits 1 when a benchmark is significantly
 * slower by more than 5 %.
 *
 * Exit status: 0 compared (and no regression beyond the threshold), 1 a
 * regression beyond the threshold or an output that could not be
 * written, 2 bad usage or input (a file that cannot be read, no benchmark
 * in both, no benchmark with two values on each side).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "compare.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-compare [OPTIONS] OLD NEW\n"
		"  or:  perfkit-compare [OPTIONS] --group KEY=OLD,NEW FILE\n"
		"\n"
		"Compares benchmarks (records sharing name, problem size and parameters)\n"
		"between two result files: perfkit's JSON, CSV or JSON Lines, Google\n"
		"Benchmark's --benchmark_out JSON or hyperfine's --export-json, told\n"
		"apart by their content.\n"
		"\n"
		"  --format FMT        read both files as auto (default), gbench or\n"
		"                      hyperfine\n"
		"  --metric M          time (seconds per repetition, default), elapsed,\n"
		"                      gflops, gbps or items_per_s\n"
		"  --alpha A           family-wise error rate after Holm's correction\n"
		"                      (default 0.05, at most 0.5)\n"
		"  --group KEY=OLD,NEW compare the records of FILE whose KEY (a field or\n"
		"                      parameter) is OLD with those where it is NEW\n"
		"  --markdown          print a Markdown table\n"
		"  --outfile FILE      also write the comparison as a result file\n"
		"                      (.json, .csv or .jsonl)\n"
		"  --fail-on-regression PCT\n"
		"                      exit 1 when a benchmark is significantly slower\n"
		"                      by more than PCT percent (\"5%%\" or \"5\")\n"
		"  -h, --help          show this help\n"
		"      --version       the program's and libperfkit's version\n");
}

/* "5%" or "5": a relative slowdown of 0.05. */
static int parse_percent(const char *s, double *v)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (end == s || isspace((unsigned char)*s) || errno ||
	    (*end && strcmp(end, "%") != 0) || !(x >= 0 && x <= 1000))
		return cli_bad_value("--fail-on-regression", s,
				     "need a percentage from 0 to 1000, like 5%");
	*v = x / 100.0;
	return 0;
}

/* "KEY=OLD,NEW" into the options (split in place). */
static int parse_group(char *s, struct compare_options *o)
{
	char *eq = strchr(s, '='), *comma = eq ? strchr(eq, ',') : NULL;

	if (!eq || !comma || eq == s || comma == eq + 1 || !comma[1] ||
	    strchr(comma + 1, ','))
		return cli_bad_value("--group", s, "need KEY=OLD,NEW");
	o->group = s;
	*eq = *comma = '\0';
	o->cmp.group_key = s;
	o->cmp.group_old = eq + 1;
	o->cmp.group_new = comma + 1;
	return 0;
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse_args(int argc, char **argv, struct compare_options *o)
{
	enum { OPT_FORMAT = 256, OPT_METRIC, OPT_ALPHA, OPT_GROUP, OPT_MARKDOWN,
	       OPT_OUTFILE, OPT_FAIL };
	static const struct option opts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "metric", required_argument, NULL, OPT_METRIC },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "markdown", no_argument, NULL, OPT_MARKDOWN },
		{ "outfile", required_argument, NULL, OPT_OUTFILE },
		{ "fail-on-regression", required_argument, NULL, OPT_FAIL },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = { "auto", "gbench", "hyperfine" };
	static const enum perfkit_format format_of[] = {
		PERFKIT_FORMAT_AUTO, PERFKIT_FORMAT_GBENCH,
		PERFKIT_FORMAT_HYPERFINE,
	};
	static const char *const metrics[] = { "time", "elapsed", "gflops",
					       "gbps", "items_per_s" };
	int c, rc = 0, v, files;

	while (rc == 0 && (c = cli_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			rc = cli_parse_enum("--format", optarg, formats, 3, &v);
			if (rc == 0)
				o->format = format_of[v];
			break;
		case OPT_METRIC:
			rc = cli_parse_enum("--metric", optarg, metrics, 5, &v);
			if (rc == 0)
				o->cmp.metric = (enum perfkit_compare_metric)v;
			break;
		case OPT_ALPHA:
			rc = cli_parse_positive("--alpha", optarg, 0.5, &o->cmp.alpha);
			break;
		case OPT_GROUP: rc = parse_group(optarg, o); break;
		case OPT_MARKDOWN: o->markdown = 1; break;
		case OPT_OUTFILE: o->outfile = optarg; break;
		case OPT_FAIL: rc = parse_percent(optarg, &o->fail_on); break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case CLI_OPT_VERSION: cli_print_version(stdout); return CLI_EXIT_OK;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (rc < 0)
		return CLI_EXIT_USAGE;
	files = o->group ? 1 : 2;
	if (argc - optind < files) {
		cli_error("need %s (see --help)", files == 1 ?
			  "one FILE with --group" : "two files, OLD and NEW");
		return CLI_EXIT_USAGE;
	}
	if (argc - optind > files) {
		cli_error("unexpected argument '%s'", argv[optind + files]);
		return CLI_EXIT_USAGE;
	}
	o->old_path = argv[optind];
	o->new_path = argv[optind + files - 1];
	return -1;
}

static int load(const char *path, enum perfkit_format format,
		struct perfkit_results **out)
{
	if (perfkit_results_read(path, format, out) == 0)
		return 0;
	cli_error("%s", perfkit_last_error());
	return -1;
}

/* The comparison's figures can be read back: exit 1 if it cannot. */
static int write_outfile(const struct perfkit_comparison *cmp,
			 const char *path, int argc, char **argv)
{
	struct perfkit_results *res;
	int rc = perfkit_comparison_results(cmp, &res);

	if (rc == 0)
		rc = perfkit_results_set_command(res, argc,
						 (const char *const *)argv);
	if (rc == 0)
		rc = perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO);
	if (rc < 0)
		cli_error("cannot write %s: %s", path, perfkit_last_error());
	perfkit_results_destroy(res);
	return rc < 0 ? -1 : 0;
}

/* Benchmarks significantly slower by more than the threshold, named on
 * stderr; their number. */
static size_t regressions(const struct perfkit_comparison *cmp,
			  const struct compare_options *o)
{
	const struct perfkit_compare_row *r;
	size_t bad = 0;

	for (size_t i = 0; i < perfkit_comparison_count(cmp); i++) {
		double s;

		perfkit_comparison_get(cmp, i, &r);
		s = compare_slowdown(r, o->cmp.metric);
		if (r->verdict != PERFKIT_VERDICT_SLOWER || !(s > 1.0 + o->fail_on))
			continue;
		cli_error("regression: %s is %.1f%% slower (p %.2g after Holm), "
			  "more than the %g%% allowed", r->name,
			  100.0 * (s - 1.0), r->p_holm, 100.0 * o->fail_on);
		bad++;
	}
	return bad;
}

static int testable(const struct perfkit_comparison *cmp)
{
	const struct perfkit_compare_row *r;

	for (size_t i = 0; i < perfkit_comparison_count(cmp); i++)
		if (perfkit_comparison_get(cmp, i, &r) == 0 &&
		    r->verdict != PERFKIT_VERDICT_TOO_FEW)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct compare_options o = { .format = PERFKIT_FORMAT_AUTO,
				     .fail_on = -1 };
	struct perfkit_results *a = NULL, *b = NULL;
	struct perfkit_comparison *cmp = NULL;
	int rc;

	cli_set_program("perfkit-compare");
	perfkit_compare_options_init(&o.cmp);
	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = CLI_EXIT_USAGE;
	if (load(o.old_path, o.format, &a) < 0 ||
	    (!o.group && load(o.new_path, o.format, &b) < 0))
		goto out;
	if (perfkit_results_compare(a, b ? b : a, &o.cmp, &cmp) < 0) {
		cli_error("%s vs %s: %s", o.old_path, o.new_path,
			  perfkit_last_error());
		goto out;
	}
	if (!testable(cmp)) {
		cli_error("no benchmark has two values or more on each side, so "
			  "none can be tested: repeat each measurement (e.g. "
			  "--benchmark_repetitions=10, hyperfine --runs 10)");
		goto out;
	}
	compare_print(stdout, cmp, &o);
	rc = CLI_EXIT_OK;
	if (o.outfile && write_outfile(cmp, o.outfile, argc, argv) < 0)
		rc = CLI_EXIT_FAILED;
	if (o.fail_on >= 0 && regressions(cmp, &o) > 0)
		rc = CLI_EXIT_FAILED;
out:
	perfkit_comparison_destroy(cmp);
	perfkit_results_destroy(a);
	perfkit_results_destroy(b);
	return rc;
}
