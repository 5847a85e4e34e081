/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: the CosmoFlow weak-scaling notebook's analysis of run
 * folders, or the
 * scaling of a perfkit result file, with Amdahl, Karp-Flatt and USL fits,
 * the optimal worker count and cost.
 *
 *   perfkit-scaling results/scaling-n%i --ranks 1,2,4,8 \
 *           [--compare results/scaling-dummy-n%i] [--plot scaling.png]
 *   perfkit-scaling run-a run-b run-c          (ranks from config.json)
 *   perfkit-scaling --results sweep.json [--group-by workers]
 *           [--measure throughput|makespan|elapsed] [--work flops|items|bytes]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plot.h"
#include "scaling-report.h"
#include "scaling-resultfile.h"
#include "scaling-runs.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: perfkit-scaling [options] PATTERN --ranks 1,2,4,...\n"
		"       perfkit-scaling [options] DIR...\n"
		"       perfkit-scaling [options] --results FILE\n"
		"Each run folder holds history.csv (columns epoch,time; others ignored)\n"
		"and config.json ({\"data\": {\"n_train\": N, \"n_valid\": N, \"shard\": BOOL},\n"
		"\"ranks\": R}). PATTERN has one %%i, replaced by each rank count.\n"
		"  --ranks LIST          rank counts for PATTERN, increasing\n"
		"  --compare PATTERN     a second series merged beside the first\n"
		"  --compare-suffix S    column suffix of that series (default dummy)\n"
		"  --warmup-epochs K     drop epochs numbered below K (default 1)\n"
		"  --results FILE        a perfkit result file (.json, .jsonl, .csv) instead\n"
		"                        of run folders, e.g. a worker sweep of perfkit-flops\n"
		"  --group-by KEY        record field or parameter holding the worker count\n"
		"                        (default workers)\n"
		"  --measure M           throughput: weak scaling, work / makespan (default);\n"
		"                        makespan or elapsed: strong scaling, time per count\n"
		"  --work W              work of a throughput: flops (default), items, bytes\n"
		"  --threshold E         efficiency threshold (default 0.8)\n"
		"  --price P             price per worker-hour: print costs\n"
		"  --max-time SECONDS    longest acceptable epoch time for the cheapest run\n"
		"  --csv FILE            write the table as CSV\n"
		"  --json FILE           write the table and USL fit as JSON\n"
		"  --plot FILE.png|.svg  draw throughput and efficiency (needs gnuplot)\n"
		"  --title TEXT          title of the plot\n"
		"  -h, --help            this text\n"
		"      --version         the program's and libperfkit's version\n");
}

/*
 * Bad usage exits 1 here, not 2 as in the other programs:
 * tests/test-perfkit-scaling.py pins status 1 for its bad options.
 */
#define SCALING_EXIT_USAGE CLI_EXIT_FAILED

/* Rank counts a --ranks list may hold (powers of two: far beyond any
 * machine). */
#define RANKS_MAX 256

/* "1,2,4" into an increasing list of rank counts. */
static int parse_ranks(const char *s, double *out, size_t *n)
{
	int64_t r[RANKS_MAX];

	if (cli_parse_list_i64("--ranks", s, 1, 1000000000, r, RANKS_MAX, n) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		if (i > 0 && r[i] <= r[i - 1])
			return cli_error("--ranks: %lld after %lld: rank counts must increase",
					 (long long)r[i], (long long)r[i - 1]);
		out[i] = (double)r[i];
	}
	return 0;
}

struct args {
	double ranks[RANKS_MAX];
	size_t nranks;
	const char *compare, *suffix, *csv, *json, *plot;
	int warmup_set, results_opts, help, version;
	struct result_input in;
	struct report_options o;
};

enum { OPT_RANKS = 256, OPT_COMPARE, OPT_SUFFIX, OPT_WARMUP, OPT_THRESHOLD,
       OPT_PRICE, OPT_MAXTIME, OPT_CSV, OPT_JSON, OPT_PLOT, OPT_TITLE,
       OPT_RESULTS, OPT_GROUP_BY, OPT_MEASURE, OPT_WORK };

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "ranks", required_argument, NULL, OPT_RANKS },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ "compare-suffix", required_argument, NULL, OPT_SUFFIX },
		{ "warmup-epochs", required_argument, NULL, OPT_WARMUP },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "max-time", required_argument, NULL, OPT_MAXTIME },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "results", required_argument, NULL, OPT_RESULTS },
		{ "group-by", required_argument, NULL, OPT_GROUP_BY },
		{ "measure", required_argument, NULL, OPT_MEASURE },
		{ "work", required_argument, NULL, OPT_WORK },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (rc == 0 && (c = cli_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case OPT_RANKS:
			rc = parse_ranks(optarg, a->ranks, &a->nranks);
			break;
		case OPT_COMPARE: a->compare = optarg; break;
		case OPT_SUFFIX: a->suffix = optarg; break;
		case OPT_WARMUP:
			a->warmup_set = 1;
			rc = cli_parse_double("--warmup-epochs", optarg, 0, INFINITY,
					      &a->o.warmup);
			break;
		case OPT_THRESHOLD:
			rc = cli_parse_positive("--threshold", optarg, INFINITY,
						&a->o.threshold);
			break;
		case OPT_PRICE:
			rc = cli_parse_positive("--price", optarg, INFINITY, &a->o.price);
			break;
		case OPT_MAXTIME:
			rc = cli_parse_positive("--max-time", optarg, INFINITY,
						&a->o.max_time);
			break;
		case OPT_CSV: a->csv = optarg; break;
		case OPT_JSON: a->json = optarg; break;
		case OPT_PLOT: a->plot = optarg; break;
		case OPT_TITLE: a->o.title = optarg; break;
		case OPT_RESULTS: a->in.path = optarg; break;
		case OPT_GROUP_BY:
			a->results_opts = 1;
			a->in.group_by = optarg;
			break;
		case OPT_MEASURE:
			a->results_opts = 1;
			rc = result_measure_parse(optarg, &a->in.measure);
			break;
		case OPT_WORK:
			a->results_opts = 1;
			rc = result_work_parse(optarg, &a->in.work);
			break;
		case 'h': a->help = 1; break;
		case CLI_OPT_VERSION: a->version = 1; break;
		default:
			return -1; /* cli_getopt said why */
		}
	}
	return rc;
}

/* With --results: no folders, and none of the folder options. */
static int check_results_mode(int argc, char **argv, const struct args *a)
{
	const char *bad = a->nranks ? "--ranks" : a->compare ? "--compare" :
			  a->warmup_set ? "--warmup-epochs" : NULL;

	if (bad)
		return cli_error("%s applies to run folders, not to --results", bad);
	if (optind < argc)
		return cli_error("--results FILE takes no run folders (got '%s')",
				 argv[optind]);
	if (!*a->in.group_by)
		return cli_error("--group-by needs a key");
	return 0;
}

/* Check the positional arguments against the mode (pattern, folders or
 * result file). */
static int check_mode(int argc, char **argv, const struct args *a)
{
	int pattern_mode = a->nranks > 0;

	if (a->in.path)
		return check_results_mode(argc, argv, a);
	if (a->results_opts)
		return cli_error("--group-by, --measure and --work need --results FILE");
	if (optind >= argc)
		return cli_error("no run folders given (see --help)");
	if (pattern_mode && argc - optind != 1)
		return cli_error("with --ranks, give one PATTERN (got %d arguments)",
				 argc - optind);
	if (!pattern_mode && a->compare)
		return cli_error("--compare needs PATTERN and --ranks");
	if (!pattern_mode && strchr(argv[optind], '%'))
		return cli_error("'%s' looks like a pattern: give --ranks", argv[optind]);
	/* fail before reading anything, not after the report */
	if (a->plot && plot_check_path(a->plot) != 0)
		return -1;
	return 0;
}

/* Read the series: a result file, or run folders (and --compare). */
static int load(int argc, char **argv, struct args *a, struct series *s,
		struct series *cmp)
{
	int pattern_mode = a->nranks > 0;
	size_t n = pattern_mode ? a->nranks : (size_t)(argc - optind);

	if (a->in.path) {
		if (series_from_results(s, &a->in) < 0)
			return -1;
		printf("%s\n", a->in.heading);
		return 0;
	}
	if (series_load(s, pattern_mode ? argv[optind] : NULL, a->ranks,
			argv + optind, n, a->o.warmup) < 0)
		return -1;
	if (a->compare &&
	    series_load(cmp, a->compare, a->ranks, NULL, n, a->o.warmup) < 0)
		return -1;
	printf("Weak-scaling summary (epochs numbered below %g dropped; "
	       "throughput = samples / mean epoch time):\n", a->o.warmup);
	return 0;
}

/* --csv, --json and --plot of the table (and the --compare series). */
static int outputs(const struct args *a, const struct series *s,
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

static int run(int argc, char **argv, struct args *a)
{
	struct series s = { .label = "" }, cmp = { .label = a->suffix };
	const struct series *other = a->compare ? &cmp : NULL;
	int rc = CLI_EXIT_FAILED;

	/* mean epoch time per run folder (or a result file's points) */
	if (load(argc, argv, a, &s, &cmp) < 0)
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
	struct args a = {
		.suffix = "dummy",
		.in = { .group_by = "workers", .measure = MEASURE_THROUGHPUT,
			.work = WORK_FLOPS },
		.o = { .warmup = 1, .threshold = 0.8, .price = 0,
		       .max_time = INFINITY, .title = "Scaling" },
	};

	cli_set_program("perfkit-scaling");
	if (parse_args(argc, argv, &a) != 0)
		return SCALING_EXIT_USAGE;
	if (a.help || a.version) {
		if (a.help)
			usage(stdout);
		else
			cli_print_version(stdout);
		return CLI_EXIT_OK;
	}
	if (check_mode(argc, argv, &a) != 0)
		return SCALING_EXIT_USAGE;
	return run(argc, argv, &a);
}
