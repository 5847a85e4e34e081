/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the command line, parsed and checked against the mode
 * (run folders by pattern, listed folders, or a result file). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plot.h"
#include "scaling-args.h"
#include "scaling-runs.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-scaling [options] PATTERN --ranks 1,2,4,...\n"
		"  or:  perfkit-scaling [options] DIR...\n"
		"  or:  perfkit-scaling [options] --results FILE\n"
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


enum { OPT_RANKS = 256, OPT_COMPARE, OPT_SUFFIX, OPT_WARMUP, OPT_THRESHOLD,
       OPT_PRICE, OPT_MAXTIME, OPT_CSV, OPT_JSON, OPT_PLOT, OPT_TITLE,
       OPT_RESULTS, OPT_GROUP_BY, OPT_MEASURE, OPT_WORK };

static int parse_args(int argc, char **argv, struct scaling_args *a)
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
static int check_results_mode(int argc, char **argv, const struct scaling_args *a)
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

/* A pattern without one %i is a wrong command line, not a bad folder. */
static int check_pattern(const char *pattern, const struct scaling_args *a)
{
	char dir[4096];

	if (expand_pattern(pattern, (long)a->ranks[a->nranks - 1], dir,
			   sizeof(dir)) != 0)
		return cli_error("pattern '%s' needs exactly one %%i or %%d", pattern);
	return 0;
}

/* Check the positional arguments against the mode (pattern, folders or
 * result file). */
static int check_mode(int argc, char **argv, struct scaling_args *a)
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
	if (pattern_mode && (check_pattern(argv[optind], a) != 0 ||
			     (a->compare && check_pattern(a->compare, a) != 0)))
		return -1;
	a->pattern = pattern_mode ? argv[optind] : NULL;
	a->dirs = argv + optind;
	a->ndirs = (size_t)(argc - optind);
	/* fail before reading anything, not after the report */
	if (a->plot && plot_check_path(a->plot) != 0)
		return -1;
	return 0;
}

int scaling_command_line(int argc, char **argv, struct scaling_args *a)
{
	*a = (struct scaling_args){
		.suffix = "dummy",
		.in = { .group_by = "workers", .measure = MEASURE_THROUGHPUT,
			.work = WORK_FLOPS },
		.o = { .warmup = 1, .threshold = 0.8, .price = 0,
		       .max_time = INFINITY, .title = "Scaling" },
	};
	if (parse_args(argc, argv, a) != 0)
		return CLI_EXIT_USAGE;
	if (a->help || a->version) {
		if (a->help)
			usage(stdout);
		else
			cli_print_version(stdout);
		return CLI_EXIT_OK;
	}
	if (check_mode(argc, argv, a) != 0)
		return CLI_EXIT_USAGE;
	return -1;
}
