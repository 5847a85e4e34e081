/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: the command line, parsed and
 * checked before any work starts. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flops-args.h"
#include "plot.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options]\n"
		"Run a kernel on W workers at once and report per-worker, summed and\n"
		"effective GFLOPS, as the pywren GFLOPS notebook does. Without options:\n"
		"dgemm, N = 1024, 10 times on every core.\n"
		"  -k, --kernel NAME        kernel (default dgemm; --list-kernels shows all)\n"
		"  -n, --matn N, --size N   problem size: matrix order, elements, ... (default 1024)\n"
		"  -l, --loopcount L        timed repetitions per worker (default 10)\n"
		"  -T, --total-loopcount T  strong scaling: T repetitions in all, split as evenly\n"
		"                           as possible over the workers (instead of -l); with\n"
		"                           --sweep-workers: the optimal-number-of-cores table\n"
		"      --threshold E        efficiency that makes a worker count worth it in\n"
		"                           that table, 0 < E <= 1 (default 0.8)\n"
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
		"  -h, --help               this text\n"
		"      --version            the program's and libperfkit's version\n",
		cli_program());
}

enum { OPT_PLACEMENT = 256, OPT_MODE, OPT_THREADS, OPT_WARMUP, OPT_START,
       OPT_STAGGER, OPT_NOVERIFY, OPT_PEAK, OPT_SWEEP_W, OPT_SWEEP_N, OPT_PLOT,
       OPT_LIST, OPT_THRESHOLD };

static int parse_one(int c, struct flops_args *a)
{
	static const char *const places[] = { "none", "compact", "scatter" };
	static const char *const modes[] = { "threads", "processes" };
	static const char *const starts[] = { "barrier", "staggered" };
	struct perfkit_harness_options *o = &a->o;
	int64_t v = 0, list[LIST_MAX];
	int e = 0, rc = 0;

	switch (c) {
	case 'k': o->kernel = optarg; break;
	case 'n': rc = cli_parse_i64("--matn", optarg, 1, INT64_MAX, &o->problem_size); break;
	case 'l':
		rc = cli_parse_u64("--loopcount", optarg, 1, UINT64_MAX, &o->loopcount);
		o->min_time = 0;
		a->loopcount_set = 1;
		break;
	case 'T':
		rc = cli_parse_u64("--total-loopcount", optarg, 1, UINT64_MAX,
				   &o->total_loopcount);
		break;
	case OPT_THRESHOLD:
		rc = cli_parse_double("--threshold", optarg, 0, 1, &a->threshold);
		if (rc == 0 && !(a->threshold > 0))
			rc = cli_bad_value("--threshold", optarg, "need a number > 0 and <= 1");
		break;
	case 't':
		rc = cli_parse_seconds("--min-time", optarg, &o->min_time);
		o->loopcount = 0;
		break;
	case 'w':
		rc = cli_parse_i64("--workers", optarg, 1, PERFKIT_HARNESS_WORKERS_MAX, &v);
		o->workers = (unsigned)v;
		break;
	case OPT_PLACEMENT:
		rc = cli_parse_enum("--placement", optarg, places, 3, &e);
		o->placement = (enum perfkit_harness_placement)e;
		break;
	case OPT_MODE:
		rc = cli_parse_enum("--mode", optarg, modes, 2, &e);
		o->mode = (enum perfkit_harness_mode)e;
		break;
	case OPT_START:
		rc = cli_parse_enum("--start", optarg, starts, 2, &e);
		o->start = (enum perfkit_harness_start)e;
		break;
	case OPT_THREADS:
		rc = cli_parse_i64("--threads", optarg, 1, PERFKIT_KERNEL_THREADS_MAX, &v);
		o->threads = (unsigned)v;
		break;
	case OPT_WARMUP:
		rc = cli_parse_u64("--warmup", optarg, 0, UINT64_MAX, &o->warmup);
		break;
	case OPT_STAGGER:
		rc = cli_parse_seconds("--stagger", optarg, &o->stagger);
		o->start = PERFKIT_HARNESS_START_STAGGERED;
		break;
	case OPT_NOVERIFY: o->verify = 0; break;
	case OPT_PEAK: rc = cli_parse_seconds("--peak-time", optarg, &o->peak_reference); break;
	case OPT_SWEEP_W:
		a->sweep_workers = 1;
		a->ncounts = 0;
		if (optarg && (rc = cli_parse_list_i64("--sweep-workers", optarg, 1,
						       PERFKIT_HARNESS_WORKERS_MAX, list,
						       LIST_MAX, &a->ncounts)) == 0)
			for (size_t i = 0; i < a->ncounts; i++)
				a->counts[i] = (unsigned)list[i];
		break;
	case OPT_SWEEP_N:
		a->sweep_sizes = 1;
		rc = cli_parse_list_i64("--sweep-sizes", optarg, 1, INT64_MAX, a->sizes,
					LIST_MAX, &a->nsizes);
		break;
	case 'o': a->outfile = optarg; break;
	case OPT_PLOT: a->plot = optarg; break;
	case OPT_LIST: a->list = 1; break;
	case 'h': a->help = 1; break;
	case CLI_OPT_VERSION: a->version = 1; break;
	default:
		return -1; /* cli_getopt said why */
	}
	return rc;
}

static int parse_args(int argc, char **argv, struct flops_args *a)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "matn", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 'n' },
		{ "loopcount", required_argument, NULL, 'l' },
		{ "total-loopcount", required_argument, NULL, 'T' },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
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
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	perfkit_harness_options_init(&a->o);
	a->o.peak_reference = 0.2;
	a->threshold = 0.8;
	while ((c = cli_getopt(argc, argv, "k:n:l:T:t:w:o:h", opts)) != -1)
		if (parse_one(c, a) != 0)
			return -1;
	if (optind < argc)
		return cli_error("unexpected argument '%s'", argv[optind]);
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

int flops_command_line(int argc, char **argv, struct flops_args *a, int quiet)
{
	memset(a, 0, sizeof(*a));
	if (parse_args(argc, argv, a) != 0)
		return CLI_EXIT_USAGE;
	if (!(a->help || a->version || a->list))
		return -1;
	if (quiet)
		return CLI_EXIT_OK;
	if (a->help)
		usage(stdout);
	else if (a->version)
		cli_print_version(stdout);
	else
		list_kernels();
	return CLI_EXIT_OK;
}

/* Strong scaling: every worker count must get at least one repetition. */
static int check_total(const struct flops_args *a)
{
	unsigned long long t = a->o.total_loopcount;

	if (t == 0)
		return 0;
	if (!a->sweep_workers && a->o.workers > t)
		return cli_error("--workers %u with --total-loopcount %llu: a worker would "
				 "have nothing to do; use at most %llu workers", a->o.workers, t, t);
	for (size_t i = 0; a->sweep_workers && i < a->ncounts; i++)
		if (a->counts[i] > t)
			return cli_error("--sweep-workers: %u workers with --total-loopcount "
					 "%llu: a worker would have nothing to do; use at most "
					 "%llu workers", a->counts[i], t, t);
	if (a->sweep_workers && a->ncounts == 0 && a->o.workers > t)
		return cli_error("--sweep-workers up to %u workers with --total-loopcount "
				 "%llu: a worker would have nothing to do", a->o.workers, t);
	return 0;
}

/* Everything about the run that can be refused before any work starts
 * (the output paths: flops_check_outputs()). */
int flops_check_args(const struct flops_args *a)
{
	if (a->sweep_workers && a->sweep_sizes)
		return cli_error("--sweep-workers and --sweep-sizes: choose one");
	if (a->o.total_loopcount && a->loopcount_set)
		return cli_error("--loopcount and --total-loopcount: choose one (repetitions "
				 "per worker, or a total split over the workers)");
	if (a->o.total_loopcount && a->o.min_time > 0)
		return cli_error("--min-time and --total-loopcount: choose one (a duration "
				 "per worker, or a total of repetitions)");
	if (check_total(a) != 0)
		return -1;
	if (perfkit_harness_options_check(&a->o) != 0)
		return cli_error("%s", perfkit_last_error());
	return 0;
}

/* The output paths: on the host that writes them (rank 0 across MPI). */
int flops_check_outputs(const struct flops_args *a)
{
	enum perfkit_format f;

	if (a->outfile && perfkit_format_from_path(a->outfile, &f) != 0)
		return cli_error("--outfile %s: the name must end in .json, .csv, "
				 ".jsonl or .ndjson", a->outfile);
	if (a->outfile && cli_check_output_path("--outfile", a->outfile) != 0)
		return -1;
	/* gnuplot itself is looked for after the run, which prints its
	 * report even without it */
	if (a->plot && plot_check_path(a->plot) != 0)
		return -1;
	return 0;
}
