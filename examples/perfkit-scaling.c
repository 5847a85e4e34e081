/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: seed 001's weak-scaling analysis of run folders, with
 * Amdahl, Karp-Flatt and USL fits, the optimal rank count and cost.
 *
 *   perfkit-scaling results/scaling-n%i --ranks 1,2,4,8 \
 *           [--compare results/scaling-dummy-n%i] [--plot scaling.png]
 *   perfkit-scaling run-a run-b run-c          (ranks from config.json)
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scaling-report.h"
#include "scaling-runs.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: perfkit-scaling [options] PATTERN --ranks 1,2,4,...\n"
		"       perfkit-scaling [options] DIR...\n"
		"Each run folder holds history.csv (columns epoch,time; others ignored)\n"
		"and config.json ({\"data\": {\"n_train\": N, \"n_valid\": N, \"shard\": BOOL},\n"
		"\"ranks\": R}). PATTERN has one %%i, replaced by each rank count.\n"
		"  --ranks LIST          rank counts for PATTERN, increasing\n"
		"  --compare PATTERN     a second series merged beside the first\n"
		"  --compare-suffix S    column suffix of that series (default dummy)\n"
		"  --warmup-epochs K     drop epochs numbered below K (default 1)\n"
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
	struct report_options o;
};

enum { OPT_RANKS = 256, OPT_COMPARE, OPT_SUFFIX, OPT_WARMUP, OPT_THRESHOLD,
       OPT_PRICE, OPT_MAXTIME, OPT_CSV, OPT_JSON, OPT_PLOT, OPT_TITLE };

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

/* Check the positional arguments against the mode (pattern or folders). */
static int check_mode(int argc, char **argv, const struct args *a)
{
	int pattern_mode = a->nranks > 0;

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

static int run(int argc, char **argv, struct args *a)
{
	struct series s = { .label = "" }, cmp = { .label = a->suffix };
	int rc = EXIT_FAILURE, pattern_mode = a->nranks > 0;
	size_t n = pattern_mode ? a->nranks : (size_t)(argc - optind);

	if (series_load(&s, pattern_mode ? argv[optind] : NULL, a->ranks,
			argv + optind, n, a->o.warmup) < 0)
		goto out;
	if (a->compare &&
	    series_load(&cmp, a->compare, a->ranks, NULL, n, a->o.warmup) < 0)
		goto out;
	printf("Weak-scaling summary (epochs numbered below %g dropped; "
	       "throughput = samples / mean epoch time):\n", a->o.warmup);
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
		.o = { .warmup = 1, .threshold = 0.8, .price = 0,
		       .max_time = INFINITY, .title = "Scaling" },
	};
	int rc = EXIT_FAILURE;

	if (parse_args(argc, argv, &a) == 0 && check_mode(argc, argv, &a) == 0)
		rc = run(argc, argv, &a);
	free(a.ranks);
	return rc;
}
