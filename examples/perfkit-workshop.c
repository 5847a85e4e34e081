/* SPDX-License-Identifier: MIT */
/* perfkit-workshop: the HPC Python workshop's I/O and parallel studies.
 *
 *   io     write F grids of each size as text, binary and HDF5 files
 *          (savetxt, tofile, h5py): seconds, files/s, MB/s, x text
 *   queue  F tasks (one write-binary file each) through a queue drained
 *          by 1, 2, 4 ... threads and processes: files/s, speedup, the
 *          wait in the queue, failed tasks
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "stop.h"

#define MAX_LIST 16

struct args {
	int study;                  /* 0 all, 1 io, 2 queue */
	int64_t sizes[MAX_LIST];
	size_t nsizes;
	int64_t workers[MAX_LIST];
	size_t nworkers;
	uint64_t files;
	int mode;                   /* 0 both, 1 threads, 2 processes */
	const char *kernel;         /* of the queue study */
	const char *folder;
	int keep;
	const char *outfile;        /* every queue record, or NULL */
	struct perfkit_results *all; /* the records for --outfile */
};

static const char *const studies[] = { "all", "io", "queue" };
static const char *const modes[] = { "both", "threads", "processes" };

/* ---- io: one instance per format and size, F repetitions = F files ---- */

static int write_files(const struct args *a, const char *kernel, int64_t n,
		       double *seconds)
{
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	const struct perfkit_kernel *k;
	uint64_t t0;
	int rc;

	kopt.output_dir = a->folder;
	kopt.keep_output = a->keep;
	if ((rc = perfkit_kernel_find(kernel, &k)) ||
	    (rc = perfkit_kernel_setup(k, n, &kopt, &inst)))
		return rc;
	t0 = perfkit_now_ns();
	for (uint64_t f = 0; f < a->files && !stop_signal && rc == 0; f++)
		rc = perfkit_kernel_run(inst, 1);
	*seconds = (double)(perfkit_now_ns() - t0) * 1e-9;
	if (rc == 0)
		rc = perfkit_kernel_verify(inst);
	perfkit_kernel_teardown(inst);
	return rc;
}

static int study_io(const struct args *a)
{
	static const char *const kernels[] = { "write-text", "write-binary",
					       "write-hdf5" };
	const struct perfkit_kernel *k;

	printf("I/O: %llu files of N x N doubles per format\n",
	       (unsigned long long)a->files);
	printf("%-13s %6s %10s %9s %9s %8s\n", "format", "N", "seconds",
	       "files/s", "MB/s", "x text");
	for (size_t s = 0; s < a->nsizes && !stop_signal; s++) {
		double text = NAN;

		for (int i = 0; i < 3 && !stop_signal; i++) {
			double sec = 0, bytes = 0;
			int rc;

			if (perfkit_kernel_find(kernels[i], &k) != 0) {
				printf("%-13s %6lld  (not built: HDF5 missing)\n",
				       kernels[i], (long long)a->sizes[s]);
				continue;
			}
			if ((rc = write_files(a, kernels[i], a->sizes[s], &sec)))
				return cli_error("%s: %s", kernels[i], perfkit_last_error());
			perfkit_kernel_bytes(k, a->sizes[s], a->files, &bytes);
			if (i == 0)
				text = sec;
			printf("%-13s %6lld %10.6f %9.0f %9.1f %8.2f\n", kernels[i],
			       (long long)a->sizes[s], sec, (double)a->files / sec,
			       bytes / sec / 1e6, text / sec);
		}
	}
	return 0;
}

/* ---- queue: the same tasks on 1, 2, 4 ... workers ---- */

struct queue_figures {
	double files_per_s, mb_per_s, wait_median, wait_max;
	size_t failed;
};

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static void figures(const struct perfkit_results *res, struct queue_figures *f)
{
	size_t n = perfkit_results_count(res), used = 0;
	double t0 = INFINITY, t1 = -INFINITY, items = 0, bytes = 0;
	double *wait = calloc(n ? n : 1, sizeof(*wait));

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		perfkit_results_get(res, i, &r);
		f->failed += r->status != 0;
		if (r->status != 0 || !wait)
			continue;
		t0 = fmin(t0, r->t_submit);
		t1 = fmax(t1, r->t_end);
		items += r->items;
		bytes += r->bytes;
		wait[used++] = r->t_start - r->t_submit;
	}
	if (used > 0) {
		qsort(wait, used, sizeof(*wait), cmp_double);
		f->wait_median = wait[used / 2];
		f->wait_max = wait[used - 1];
		f->files_per_s = items / (t1 - t0);
		f->mb_per_s = bytes / (t1 - t0) / 1e6;
	}
	free(wait);
}

/* The run's records into a->all (the first run's set becomes it). */
static void keep_records(struct args *a, struct perfkit_results **res)
{
	const struct perfkit_record *rec;

	if (!a->outfile || !*res) {
		perfkit_results_destroy(*res);
		return;
	}
	if (!a->all) {
		a->all = *res;
		return;
	}
	for (size_t i = 0; i < perfkit_results_count(*res); i++)
		if (perfkit_results_get(*res, i, &rec) == 0)
			perfkit_results_append(a->all, rec);
	perfkit_results_destroy(*res);
}

/* Files per second at that point (0 when nothing finished), -1 on error. */
static double queue_point(struct args *a, unsigned workers,
			  enum perfkit_harness_mode mode, double *base)
{
	struct perfkit_queue_options o = PERFKIT_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	struct queue_figures f;
	int rc;

	o.kernel = a->kernel;
	o.problem_size = a->sizes[0];
	o.tasks = a->files;
	o.workers = workers;
	o.mode = mode;
	o.output_dir = a->folder;
	o.keep_output = a->keep;
	o.cancel = &stop_signal;
	rc = perfkit_queue_run(&o, &res);
	if (rc && rc != -ECANCELED && !res)
		return cli_error("queue: %s", perfkit_last_error()) * 1.0;
	figures(res, &f);
	if (workers == 1 || !(*base > 0))
		*base = f.files_per_s;
	printf("%-10s %7u %9.0f %9.1f %8.2f %12.2f %12.2f %6zu\n",
	       perfkit_harness_mode_name(mode), workers, f.files_per_s, f.mb_per_s,
	       f.files_per_s / *base, f.wait_median * 1e3, f.wait_max * 1e3,
	       f.failed);
	if (rc && rc != -ECANCELED)
		fprintf(stderr, "%s: %s\n", cli_program(), perfkit_last_error());
	keep_records(a, &res);
	return f.files_per_s;
}

/* Amdahl's serial fraction from the speedups, and the largest worker
 * count still at >= 50 % efficiency. */
static void fit_speedups(const struct args *a, const double *rate, size_t n)
{
	double p[MAX_LIST], s[MAX_LIST], eff[MAX_LIST];
	struct perfkit_amdahl_fit fit;
	size_t best;

	if (n < 3 || !(rate[0] > 0))
		return;
	for (size_t i = 0; i < n; i++) {
		p[i] = (double)a->workers[i] / (double)a->workers[0];
		s[i] = rate[i] > 0 ? rate[i] / rate[0] : 1e-9;
		eff[i] = s[i] / p[i];
	}
	if (perfkit_amdahl_fit(p, s, n, &fit) == 0)
		printf("           Amdahl: serial fraction %.3f (95 %% CI %.3f to %.3f), "
		       "speedup limit %.1f\n", fit.f, fit.f_ci[0], fit.f_ci[1], fit.limit);
	else
		printf("           Amdahl: no fit: %s\n", perfkit_last_error());
	if (perfkit_scaling_optimal(p, eff, n, 0.5, &best) == 0)
		printf("           optimal: %lld workers (largest count at >= 50 %% "
		       "efficiency)\n", (long long)a->workers[best]);
}

static int study_queue(struct args *a)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	printf("Queue: %llu tasks of %s N = %lld; %ld CPUs online\n",
	       (unsigned long long)a->files, a->kernel, (long long)a->sizes[0], cores);
	printf("%-10s %7s %9s %9s %8s %12s %12s %6s\n", "mode", "workers",
	       "files/s", "MB/s", "speedup", "wait med ms", "wait max ms", "failed");
	for (int m = 1; m <= 2; m++) {
		double base = 0;

		if (a->mode != 0 && a->mode != m)
			continue;
		double rate[MAX_LIST];
		size_t done = 0;

		for (size_t w = 0; w < a->nworkers && !stop_signal; w++, done++)
			if ((rate[w] = queue_point(a, (unsigned)a->workers[w],
						   m == 1 ? PERFKIT_HARNESS_THREADS :
							    PERFKIT_HARNESS_PROCESSES,
						   &base)) < 0)
				return -1;
		fit_speedups(a, rate, done);
	}
	return 0;
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-workshop [OPTION]...\n"
		"The HPC Python workshop's I/O and parallel studies: text, binary and HDF5\n"
		"files (numpy.savetxt, tofile, h5py), then a task queue drained by 1, 2, 4\n"
		"... workers (threads and processes; more workers than cores is\n"
		"oversubscription).\n"
		"      --study WHICH   all (default), io or queue\n"
		"      --sizes N,...   grid sides N (N x N doubles per file); default 100;\n"
		"                      the queue study uses the first\n"
		"  -f, --files F       files per format, and tasks of the queue (default 100)\n"
		"  -w, --workers W,... workers of the queue study (default 1,2,4)\n"
		"      --mode MODE     both (default), threads or processes\n"
		"      --kernel NAME   kernel of the queue's tasks (default write-binary)\n"
		"      --folder DIR    write into DIR (default: a fresh temporary folder)\n"
		"      --keep          keep the files written\n"
		"  -o, --outfile FILE  write every task's record (.json, .csv, .jsonl), for\n"
		"                      perfkit-scaling --results or perfkit-compare\n"
		"      --quick         a small study: N = 50, 20 files, 1 and 2 workers\n"
		"  -h, --help          this text\n"
		"      --version       the program's and libperfkit's version\n");
}

enum { OPT_STUDY = 256, OPT_SIZES, OPT_MODE, OPT_KERNEL, OPT_FOLDER, OPT_KEEP,
       OPT_QUICK };

static int parse_option(int c, struct args *a)
{
	int v;

	switch (c) {
	case OPT_STUDY:
		return cli_parse_enum("--study", optarg, studies, 3, &a->study);
	case OPT_SIZES:
		return cli_parse_list_i64("--sizes", optarg, 1, 100000, a->sizes,
					  MAX_LIST, &a->nsizes);
	case 'f':
		return cli_parse_u64("--files", optarg, 1, PERFKIT_QUEUE_TASKS_MAX,
				     &a->files);
	case 'w':
		return cli_parse_list_i64("--workers", optarg, 1, 64, a->workers,
					  MAX_LIST, &a->nworkers);
	case OPT_MODE:
		if (cli_parse_enum("--mode", optarg, modes, 3, &v))
			return -1;
		a->mode = v;
		return 0;
	case OPT_KERNEL:
		a->kernel = optarg;
		return 0;
	case OPT_FOLDER:
		a->folder = optarg;
		return 0;
	case OPT_KEEP:
		a->keep = 1;
		return 0;
	case 'o':
		a->outfile = optarg;
		return cli_check_output_path("--outfile", optarg);
	case OPT_QUICK:
		a->sizes[0] = 50, a->nsizes = 1, a->files = 20;
		a->workers[0] = 1, a->workers[1] = 2, a->nworkers = 2;
		return 0;
	}
	return -1;
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "study", required_argument, NULL, OPT_STUDY },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "files", required_argument, NULL, 'f' },
		{ "workers", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "folder", required_argument, NULL, OPT_FOLDER },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "outfile", required_argument, NULL, 'o' },
		{ "quick", no_argument, NULL, OPT_QUICK },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	const struct perfkit_kernel *k;
	struct stat st;
	int c;

	while ((c = cli_getopt(argc, argv, "hf:w:o:", opts)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == CLI_OPT_VERSION) {
			cli_print_version(stdout);
			return CLI_EXIT_OK;
		}
		if (c == '?' || parse_option(c, a) != 0)
			return CLI_EXIT_USAGE;
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (perfkit_kernel_find(a->kernel, &k) != 0) {
		cli_bad_value("--kernel", a->kernel, "not a registered kernel");
		return CLI_EXIT_USAGE;
	}
	if (a->folder && (stat(a->folder, &st) != 0 || !S_ISDIR(st.st_mode))) {
		cli_bad_value("--folder", a->folder, "not an existing folder");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct args a = { .sizes = { 100 }, .nsizes = 1,
			  .workers = { 1, 2, 4 }, .nworkers = 3, .files = 100,
			  .kernel = "write-binary" };
	int rc = 0;

	cli_set_program("perfkit-workshop");
	if ((rc = parse(argc, argv, &a)) >= 0)
		return rc;
	if (stop_catch())
		return CLI_EXIT_FAILED;
	rc = 0;
	if (a.study != 2)
		rc = study_io(&a);
	if (rc == 0 && a.study != 1 && !stop_signal) {
		if (a.study == 0)
			printf("\n");
		rc = study_queue(&a);
	}
	if (a.all && perfkit_results_write(a.all, a.outfile, PERFKIT_FORMAT_AUTO) != 0)
		rc = cli_error("--outfile %s: %s", a.outfile, perfkit_last_error());
	else if (a.all)
		printf("\nWrote %zu records to %s\n", perfkit_results_count(a.all),
		       a.outfile);
	perfkit_results_destroy(a.all);
	if (stop_signal)
		fprintf(stderr, "%s: stopped by %s\n", cli_program(),
			stop_name(stop_signal));
	return stop_status(rc ? CLI_EXIT_FAILED : CLI_EXIT_OK);
}
