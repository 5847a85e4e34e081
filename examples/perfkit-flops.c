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
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flops-report.h"

#define PROG "perfkit-flops"
#define LIST_MAX 256

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [options]\n"
		"Run a kernel on W workers at once and report per-worker, summed and\n"
		"effective GFLOPS (seed 000). Without options: dgemm, N = 1024, 10 times\n"
		"on every core.\n"
		"  -k, --kernel NAME        kernel (default dgemm; --list-kernels shows all)\n"
		"  -n, --matn N, --size N   problem size: matrix order, elements, ... (default 1024)\n"
		"  -l, --loopcount L        timed repetitions per worker (default 10)\n"
		"  -t, --min-time SECONDS   repeat until each worker ran this long (instead of -l)\n"
		"  -w, --workers W          workers (default: one per allowed core)\n"
		"      --placement P        none, compact or scatter over the cores (default compact)\n"
		"      --mode M             threads or processes (default threads)\n"
		"      --threads T          BLIS threads per worker (default 1)\n"
		"      --warmup R           untimed repetitions before the timed ones (default 0)\n"
		"      --start S            barrier (default) or staggered\n"
		"      --stagger SECONDS    staggered start, this long between submissions\n"
		"      --no-verify          do not check the kernels' results\n"
		"      --peak-time SECONDS  run the peak kernel this long first (default 0.2; 0: skip)\n"
		"      --sweep-workers[=LIST]  run for 1..W workers, or for LIST (1,2,4)\n"
		"      --sweep-sizes LIST   run for each problem size in LIST (256,512,1024)\n"
		"  -o, --outfile FILE       write the records: .json, .csv, .jsonl or .ndjson\n"
		"      --plot FILE          draw histogram and timeline, .png or .svg (gnuplot)\n"
		"      --list-kernels       list the kernels and exit\n"
		"  -h, --help               this text\n");
}

struct args {
	struct perfkit_harness_options o;
	const char *outfile, *plot;
	int sweep_workers, sweep_sizes;
	unsigned counts[LIST_MAX];
	int64_t sizes[LIST_MAX];
	size_t ncounts, nsizes;
	int list;
};

static int bad(const char *opt, const char *arg, const char *want)
{
	fprintf(stderr, PROG ": %s '%s': %s\n", opt, arg, want);
	return -1;
}

static int parse_i64(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(s, &end, 10);
	if (end == s || *end || errno || x < lo || x > hi) {
		char want[96];

		snprintf(want, sizeof(want), "need a whole number from %lld to %lld",
			 (long long)lo, (long long)hi);
		return bad(opt, s, want);
	}
	*v = x;
	return 0;
}

static int parse_seconds(const char *opt, const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || *end || !isfinite(*v) || *v < 0)
		return bad(opt, s, "need seconds >= 0");
	return 0;
}

/* "1,2,4" into whole numbers from lo to hi. */
static int parse_list(const char *opt, const char *s, int64_t lo, int64_t hi,
		      int64_t *v, size_t *n)
{
	const char *all = s;
	char buf[32];

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");

		if (len == 0 || len >= sizeof(buf) || *n >= LIST_MAX)
			return bad(opt, all, "need up to 256 numbers separated by commas");
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (parse_i64(opt, buf, lo, hi, &v[(*n)++]) != 0)
			return -1;
		s += len + (s[len] == ',');
	}
	return *n ? 0 : bad(opt, all, "the list is empty");
}

static int parse_enum(const char *opt, const char *s, const char *const *names,
		      int count, int *v)
{
	char want[128] = "use";

	for (int i = 0; i < count; i++) {
		if (strcmp(s, names[i]) == 0) {
			*v = i;
			return 0;
		}
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s %s",
			 i ? (i == count - 1 ? " or" : ",") : "", names[i]);
	}
	return bad(opt, s, want);
}

enum { OPT_PLACEMENT = 256, OPT_MODE, OPT_THREADS, OPT_WARMUP, OPT_START,
       OPT_STAGGER, OPT_NOVERIFY, OPT_PEAK, OPT_SWEEP_W, OPT_SWEEP_N, OPT_PLOT,
       OPT_LIST };

static int parse_one(int c, struct args *a)
{
	static const char *const places[] = { "none", "compact", "scatter" };
	static const char *const modes[] = { "threads", "processes" };
	static const char *const starts[] = { "barrier", "staggered" };
	struct perfkit_harness_options *o = &a->o;
	int64_t v, list[LIST_MAX];
	int e, rc = 0;

	switch (c) {
	case 'k': o->kernel = optarg; break;
	case 'n': rc = parse_i64("--matn", optarg, 1, INT64_MAX, &o->problem_size); break;
	case 'l':
		rc = parse_i64("--loopcount", optarg, 1, INT64_MAX, &v);
		o->loopcount = (uint64_t)v;
		o->min_time = 0;
		break;
	case 't':
		rc = parse_seconds("--min-time", optarg, &o->min_time);
		o->loopcount = 0;
		break;
	case 'w':
		rc = parse_i64("--workers", optarg, 1, PERFKIT_HARNESS_WORKERS_MAX, &v);
		o->workers = (unsigned)v;
		break;
	case OPT_PLACEMENT:
		rc = parse_enum("--placement", optarg, places, 3, &e);
		o->placement = (enum perfkit_harness_placement)e;
		break;
	case OPT_MODE:
		rc = parse_enum("--mode", optarg, modes, 2, &e);
		o->mode = (enum perfkit_harness_mode)e;
		break;
	case OPT_START:
		rc = parse_enum("--start", optarg, starts, 2, &e);
		o->start = (enum perfkit_harness_start)e;
		break;
	case OPT_THREADS:
		rc = parse_i64("--threads", optarg, 1, PERFKIT_KERNEL_THREADS_MAX, &v);
		o->threads = (unsigned)v;
		break;
	case OPT_WARMUP:
		rc = parse_i64("--warmup", optarg, 0, INT64_MAX, &v);
		o->warmup = (uint64_t)v;
		break;
	case OPT_STAGGER:
		rc = parse_seconds("--stagger", optarg, &o->stagger);
		o->start = PERFKIT_HARNESS_START_STAGGERED;
		break;
	case OPT_NOVERIFY: o->verify = 0; break;
	case OPT_PEAK: rc = parse_seconds("--peak-time", optarg, &o->peak_reference); break;
	case OPT_SWEEP_W:
		a->sweep_workers = 1;
		a->ncounts = 0;
		if (optarg && (rc = parse_list("--sweep-workers", optarg, 1,
					       PERFKIT_HARNESS_WORKERS_MAX, list, &a->ncounts)) == 0)
			for (size_t i = 0; i < a->ncounts; i++)
				a->counts[i] = (unsigned)list[i];
		break;
	case OPT_SWEEP_N:
		a->sweep_sizes = 1;
		rc = parse_list("--sweep-sizes", optarg, 1, INT64_MAX, a->sizes, &a->nsizes);
		break;
	case 'o': a->outfile = optarg; break;
	case OPT_PLOT: a->plot = optarg; break;
	case OPT_LIST: a->list = 1; break;
	case 'h':
		usage(stdout);
		exit(EXIT_SUCCESS);
	default:
		fprintf(stderr, "Try '" PROG " --help'.\n");
		return -1;
	}
	return rc;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "matn", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 'n' },
		{ "loopcount", required_argument, NULL, 'l' },
		{ "min-time", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'w' },
		{ "placement", required_argument, NULL, OPT_PLACEMENT },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "start", required_argument, NULL, OPT_START },
		{ "stagger", required_argument, NULL, OPT_STAGGER },
		{ "no-verify", no_argument, NULL, OPT_NOVERIFY },
		{ "peak-time", required_argument, NULL, OPT_PEAK },
		{ "sweep-workers", optional_argument, NULL, OPT_SWEEP_W },
		{ "sweep-sizes", required_argument, NULL, OPT_SWEEP_N },
		{ "outfile", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "list-kernels", no_argument, NULL, OPT_LIST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	perfkit_harness_options_init(&a->o);
	a->o.peak_reference = 0.2;
	while ((c = getopt_long(argc, argv, "k:n:l:t:w:o:h", opts, NULL)) != -1)
		if (parse_one(c, a) != 0)
			return -1;
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\nTry '" PROG " --help'.\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* Everything that can be refused before any work starts. */
static int check_args(struct args *a)
{
	enum perfkit_format f;

	if (a->sweep_workers && a->sweep_sizes) {
		fprintf(stderr, PROG ": --sweep-workers and --sweep-sizes: choose one\n");
		return -1;
	}
	if (perfkit_harness_options_check(&a->o) != 0) {
		fprintf(stderr, PROG ": %s\n", perfkit_last_error());
		return -1;
	}
	if (a->outfile && perfkit_format_from_path(a->outfile, &f) != 0) {
		fprintf(stderr, PROG ": --outfile %s: the name must end in .json, .csv, "
			".jsonl or .ndjson\n", a->outfile);
		return -1;
	}
	if (a->plot) {
		size_t len = strlen(a->plot);

		if (len < 5 || (strcmp(a->plot + len - 4, ".png") && strcmp(a->plot + len - 4, ".svg"))) {
			fprintf(stderr, PROG ": --plot %s: the name must end in .png or .svg\n", a->plot);
			return -1;
		}
	}
	return 0;
}

static void list_kernels(void)
{
	const struct perfkit_kernel *k[128];
	size_t n = 0;

	perfkit_kernel_list(k, 128, &n);
	for (size_t i = 0; i < n && i < 128; i++)
		printf("%-15s %s\n", perfkit_kernel_name(k[i]), perfkit_kernel_description(k[i]));
}

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

static int run(struct args *a, struct perfkit_results **res)
{
	if (a->sweep_workers)
		return perfkit_harness_sweep_workers(&a->o, a->ncounts ? a->counts : NULL,
						     a->ncounts, res);
	if (a->sweep_sizes)
		return perfkit_harness_sweep_sizes(&a->o, a->sizes, a->nsizes, res);
	return perfkit_harness_run(&a->o, res);
}

static void headline(const struct args *a, const struct perfkit_results *res)
{
	const char *workers = "?", *size = "?";

	perfkit_results_meta_get(res, "harness.workers", &workers);
	perfkit_results_meta_get(res, "harness.size", &size);
	printf(PROG ": %s, N = %s, ", a->o.kernel, size);
	if (a->o.loopcount)
		printf("loopcount %llu", (unsigned long long)a->o.loopcount);
	else
		printf("at least %g s", a->o.min_time);
	printf(", %s workers (%s, %s placement, %s start), %u kernel thread(s) each\n",
	       workers, perfkit_harness_mode_name(a->o.mode),
	       perfkit_harness_placement_name(a->o.placement),
	       perfkit_harness_start_name(a->o.start), a->o.threads ? a->o.threads : 1);
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

static int outputs(const struct args *a, struct perfkit_results *res,
		   const struct perfkit_results *shown)
{
	int rc = 0;
	char title[160];

	if (a->outfile) {
		if (perfkit_results_write(res, a->outfile, PERFKIT_FORMAT_AUTO) != 0) {
			fprintf(stderr, PROG ": %s\n", perfkit_last_error());
			rc = -1;
		} else {
			printf("\nWrote %zu records to %s\n", perfkit_results_count(res), a->outfile);
		}
	}
	if (a->plot && shown) {
		const struct perfkit_record *r = NULL;

		perfkit_results_get(shown, 0, &r);
		snprintf(title, sizeof(title), "%s, N = %lld, %zu workers", a->o.kernel,
			 r ? (long long)r->problem_size : 0LL, perfkit_results_count(shown));
		if (plot_run(a->plot, shown, title) != 0)
			rc = -1;
		else
			printf("Plotted histogram and timeline to %s\n", a->plot);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct args a;
	struct perfkit_results *res = NULL, *sub = NULL;
	const char *key = NULL;
	char value[64];
	int rc, status = EXIT_SUCCESS;

	memset(&a, 0, sizeof(a));
	if (parse_args(argc, argv, &a) != 0)
		return 2;
	if (a.list) {
		list_kernels();
		return EXIT_SUCCESS;
	}
	if (check_args(&a) != 0)
		return 2;
	if (isatty(STDERR_FILENO))
		a.o.progress = progress;
	rc = run(&a, &res);
	if (!res) {
		fprintf(stderr, PROG ": %s\n", perfkit_last_error());
		return EXIT_FAILURE;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", perfkit_last_error());
		status = EXIT_FAILURE;
	}
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	headline(&a, res);
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
	if (outputs(&a, res, key ? sub : res) != 0)
		status = EXIT_FAILURE;
	perfkit_results_destroy(sub);
	perfkit_results_destroy(res);
	return status;
}
