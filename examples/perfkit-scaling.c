/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: seed 001's weak-scaling analysis of run folders, or the
 * scaling of a perfkit result file, with Amdahl, Karp-Flatt and USL fits,
 * the optimal worker count and cost.
 *
 *   perfkit-scaling results/scaling-n%i --ranks 1,2,4,8 \
 *           [--compare results/scaling-dummy-n%i] [--plot scaling.png]
 *   perfkit-scaling run-a run-b run-c          (ranks from config.json)
 *   perfkit-scaling --results sweep.json [--group-by workers]
 *           [--measure throughput|makespan|elapsed] [--work flops|items|bytes]
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		"  -h, --help            this text\n");
}

static int parse_double(const char *opt, const char *s, double lo, double *v)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || *end || !isfinite(*v) || *v < lo) {
		fprintf(stderr, "perfkit-scaling: %s '%s': need a number >= %g\n",
			opt, s, lo);
		return -1;
	}
	return 0;
}

/* "1,2,4" into an increasing list of positive integers. */
static int parse_ranks(const char *s, double **out, size_t *n)
{
	size_t cap = 1;
	double *r;

	for (const char *p = s; *p; p++)
		cap += *p == ',';
	r = calloc(cap, sizeof(double));
	*n = 0;
	if (!r)
		return -1;
	*out = r;
	while (*s) {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s || (*end && *end != ',') || v <= 0 || v > 1000000000L) {
			fprintf(stderr, "perfkit-scaling: --ranks '%s': expected positive integers separated by commas\n",
				s);
			return -1;
		}
		if (*n > 0 && v <= r[*n - 1]) {
			fprintf(stderr, "perfkit-scaling: --ranks: %ld after %g: rank counts must increase\n",
				v, r[*n - 1]);
			return -1;
		}
		r[(*n)++] = (double)v;
		s = *end ? end + 1 : end;
	}
	if (*n == 0) {
		fprintf(stderr, "perfkit-scaling: --ranks is empty\n");
		return -1;
	}
	return 0;
}

struct args {
	double *ranks;
	size_t nranks;
	const char *compare, *suffix, *csv, *json, *plot;
	int warmup_set, results_opts;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (rc == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_RANKS:
			free(a->ranks);
			rc = parse_ranks(optarg, &a->ranks, &a->nranks);
			break;
		case OPT_COMPARE: a->compare = optarg; break;
		case OPT_SUFFIX: a->suffix = optarg; break;
		case OPT_WARMUP:
			a->warmup_set = 1;
			rc = parse_double("--warmup-epochs", optarg, 0, &a->o.warmup);
			break;
		case OPT_THRESHOLD:
			rc = parse_double("--threshold", optarg, 1e-9, &a->o.threshold);
			break;
		case OPT_PRICE:
			rc = parse_double("--price", optarg, 1e-12, &a->o.price);
			break;
		case OPT_MAXTIME:
			rc = parse_double("--max-time", optarg, 1e-12, &a->o.max_time);
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
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr);
			return -1;
		}
	}
	return rc;
}

/* With --results: no folders, and none of the folder options. */
static int check_results_mode(int argc, char **argv, const struct args *a)
{
	const char *bad = a->nranks ? "--ranks" : a->compare ? "--compare" :
			  a->warmup_set ? "--warmup-epochs" : NULL;

	if (bad) {
		fprintf(stderr, "perfkit-scaling: %s applies to run folders, not to --results\n",
			bad);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "perfkit-scaling: --results FILE takes no run folders (got '%s')\n",
			argv[optind]);
		return -1;
	}
	if (!*a->in.group_by) {
		fprintf(stderr, "perfkit-scaling: --group-by needs a key\n");
		return -1;
	}
	return 0;
}

/* Check the positional arguments against the mode (pattern, folders or
 * result file). */
static int check_mode(int argc, char **argv, const struct args *a)
{
	int pattern_mode = a->nranks > 0;

	if (a->in.path)
		return check_results_mode(argc, argv, a);
	if (a->results_opts) {
		fprintf(stderr, "perfkit-scaling: --group-by, --measure and --work need --results FILE\n");
		return -1;
	}
	if (optind >= argc) {
		fprintf(stderr, "perfkit-scaling: no run folders given\n");
		usage(stderr);
		return -1;
	}
	if (pattern_mode && argc - optind != 1) {
		fprintf(stderr, "perfkit-scaling: with --ranks, give one PATTERN (got %d arguments)\n",
			argc - optind);
		return -1;
	}
	if (!pattern_mode && a->compare) {
		fprintf(stderr, "perfkit-scaling: --compare needs PATTERN and --ranks\n");
		return -1;
	}
	if (!pattern_mode && strchr(argv[optind], '%')) {
		fprintf(stderr, "perfkit-scaling: '%s' looks like a pattern: give --ranks\n",
			argv[optind]);
		return -1;
	}
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

static int run(int argc, char **argv, struct args *a)
{
	struct series s = { .label = "" }, cmp = { .label = a->suffix };
	int rc = EXIT_FAILURE;

	if (load(argc, argv, a, &s, &cmp) < 0)
		goto out;
	report_table(stdout, &s, a->compare ? &cmp : NULL);
	report_analysis(stdout, &s, &a->o);
	if (a->compare)
		report_analysis(stdout, &cmp, &a->o);
	fflush(stdout);
	rc = EXIT_SUCCESS;
	if (a->csv && write_csv(a->csv, &s, a->compare ? &cmp : NULL) < 0)
		rc = EXIT_FAILURE;
	if (a->json && write_json(a->json, &s, a->compare ? &cmp : NULL, &a->o) < 0)
		rc = EXIT_FAILURE;
	if (a->plot && write_plot(a->plot, &s, a->compare ? &cmp : NULL, &a->o) < 0)
		rc = EXIT_FAILURE;
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
	int rc = EXIT_FAILURE;

	if (parse_args(argc, argv, &a) == 0 && check_mode(argc, argv, &a) == 0)
		rc = run(argc, argv, &a);
	free(a.ranks);
	return rc;
}
