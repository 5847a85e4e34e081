/* SPDX-License-Identifier: MIT */
/* perfkit-workshop: the HPC Python workshop's I/O and parallel studies.
 *
 *   io     write F grids of each size as text, binary and HDF5 files
 *          (savetxt, tofile, h5py): seconds, files/s, MB/s, x text, and
 *          each variant's profile by regions (cProfile's table); under
 *          mpirun also one HDF5 file of all ranks (write-hdf5-mpi)
 *   queue  F tasks (one write-binary file each) through a queue drained
 *          by 1, 2, 4 ... threads and processes, and split over a pool of
 *          threads and one of processes: files/s, speedup, the wait in the
 *          queue, failed tasks; Amdahl and USL fits, the optimal count,
 *          the cost per result; under mpirun also the MPI queue (rank 0
 *          hands out tasks) and MPI scatter on 1, 2, ... ranks
 *   blas   OMP_NUM_THREADS=1 against an oversubscribed BLAS
 *   --report DIR: report.md with the speedup and I/O plots
 *
 * Under mpirun rank 0 runs the studies of one node while the other ranks
 * wait asleep; the MPI studies then run on every rank.
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
#include "plot.h"
#include "stop.h"
#include "workshop.h"

struct args {
	int study;                  /* 0 all, 1 io, 2 queue, 3 blas */
	int64_t sizes[MAX_LIST];
	size_t nsizes;
	int64_t workers[MAX_LIST];
	size_t nworkers;
	int64_t files_list[MAX_LIST];
	size_t nfiles;
	uint64_t files;             /* tasks of the queue: the largest count */
	int64_t blas_size, blas_loops;
	const char *report;         /* folder of report.md, or NULL */
	struct study_data *d;
	int mode;                   /* 0 both, 1 threads, 2 processes */
	const char *kernel;         /* of the queue study */
	const char *folder;
	int keep;
	const char *outfile;        /* every queue record, or NULL */
	struct perfkit_results *all; /* the records for --outfile */
	int mpi;                    /* ranks when started by mpirun, else 0 */
};

static const char *const studies[] = { "all", "io", "queue", "blas" };
static const char *const modes[] = { "both", "threads", "processes" };

/* ---- io: one instance per format and size, F repetitions = F files ---- */

/* Timed from the first file to the last; each step in a region, so that
 * the variant's profile reads as the workshop's cProfile tables. */
static int write_files(const struct args *a, const char *kernel, int64_t n,
		       uint64_t files, double *seconds)
{
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	const struct perfkit_kernel *k;
	uint64_t t0;
	int rc;

	kopt.output_dir = a->folder;
	kopt.keep_output = a->keep;
	if ((rc = perfkit_kernel_find(kernel, &k)))
		return rc;
	perfkit_region_begin("write_files");
	perfkit_region_begin("setup");
	rc = perfkit_kernel_setup(k, n, &kopt, &inst);
	perfkit_region_end("setup");
	t0 = perfkit_now_ns();
	for (uint64_t f = 0; rc == 0 && f < files && !stop_signal; f++) {
		perfkit_region_begin("write");
		rc = perfkit_kernel_run(inst, 1);
		perfkit_region_end("write");
	}
	*seconds = (double)(perfkit_now_ns() - t0) * 1e-9;
	if (rc == 0) {
		perfkit_region_begin("verify");
		rc = perfkit_kernel_verify(inst);
		perfkit_region_end("verify");
	}
	perfkit_region_begin("teardown");
	perfkit_kernel_teardown(inst);
	perfkit_region_end("teardown");
	perfkit_region_end("write_files");
	return rc;
}

static int io_row(struct args *a, const char *kernel, int64_t n, uint64_t files,
		  double *text, FILE *profiles)
{
	const struct perfkit_kernel *k;
	struct io_row *r = &a->d->io[a->d->nio];
	double sec = 0, bytes = 0;
	char title[96];

	if (perfkit_kernel_find(kernel, &k) != 0) {
		printf("%-14s %6lld %6llu  (not built: HDF5 missing)\n", kernel,
		       (long long)n, (unsigned long long)files);
		return 0;
	}
	perfkit_region_reset();
	if (write_files(a, kernel, n, files, &sec))
		return cli_error("%s: %s", kernel, perfkit_last_error());
	snprintf(title, sizeof(title), "%s, N = %lld, F = %llu", kernel, (long long)n,
		 (unsigned long long)files);
	if (profiles)
		profile_print(profiles, title);
	perfkit_kernel_bytes(k, n, files, &bytes);
	if (!strcmp(kernel, "write-text"))
		*text = sec;
	*r = (struct io_row){ .format = kernel, .n = n, .files = files,
			      .seconds = sec, .files_per_s = (double)files / sec,
			      .mb_per_s = bytes / sec / 1e6, .x_text = *text / sec };
	printf("%-14s %6lld %6llu %10.6f %9.0f %9.1f %8.2f\n", kernel, (long long)n,
	       (unsigned long long)files, sec, r->files_per_s, r->mb_per_s, r->x_text);
	if (a->d->nio + 1 < MAX_IO)
		a->d->nio++;
	return 0;
}

/* One format after the other per F and N: on rank 0 only (the others
 * wait), then write-hdf5-mpi on every rank when started by mpirun. */
static int io_group(struct args *a, int64_t n, uint64_t files, FILE *profiles)
{
	static const char *const kernels[] = { "write-text", "write-binary",
					       "write-hdf5" };
	double text = NAN;
	int rc = 0;

	for (int i = 0; i < 3 && !stop_signal && rc == 0 && wmpi_rank() == 0; i++)
		rc = io_row(a, kernels[i], n, files, &text, profiles);
	if (!a->mpi)
		return rc;
	if (wmpi_hold(rc) != 0)
		return -1;
	return wmpi_io_row(a->d, n, files, a->folder, a->keep, text) < 0 ? -1 : 0;
}

static int study_io(struct args *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *profiles = wmpi_rank() == 0 ? open_memstream(&text, &len) : NULL;
	int rc = 0;

	if (wmpi_rank() == 0) {
		printf("I/O: F files of N x N doubles per format\n");
		printf("%-14s %6s %6s %10s %9s %9s %8s\n", "format", "N", "F",
		       "seconds", "files/s", "MB/s", "x text");
	}
	for (size_t f = 0; f < a->nfiles && !stop_signal && rc == 0; f++)
		for (size_t s = 0; s < a->nsizes && !stop_signal && rc == 0; s++)
			rc = io_group(a, a->sizes[s], (uint64_t)a->files_list[f],
				      profiles);
	if (profiles) {
		fclose(profiles);
		if (rc == 0 && len > 0)
			printf("\nProfiles by regions (write_files > setup, write per "
			       "file, verify, teardown):\n%s", text);
	}
	free(text);
	return rc;
}

/* ---- queue: the same tasks on 1, 2, 4 ... workers ---- */

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

/* Files per second at that point (0 when nothing finished), -1 on error;
 * the queue's span in *seconds. */
static double queue_point(struct args *a, unsigned workers,
			  enum perfkit_harness_mode mode, double *base,
			  double *seconds)
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
	queue_figures_of(res, &f);
	if (workers == 1 || !(*base > 0))
		*base = f.files_per_s;
	printf("%-14s %5u %9.0f %9.1f %8.2f %12.2f %12.2f %6zu\n",
	       perfkit_harness_mode_name(mode), workers, f.files_per_s, f.mb_per_s,
	       f.files_per_s / *base, f.wait_median * 1e3, f.wait_max * 1e3,
	       f.failed);
	if (rc && rc != -ECANCELED)
		fprintf(stderr, "%s: %s\n", cli_program(), perfkit_last_error());
	keep_records(a, &res);
	*seconds = f.span;
	return f.files_per_s;
}

static struct series *new_series(struct args *a, const char *name)
{
	struct series *s = &a->d->series[a->d->nseries++];

	memset(s, 0, sizeof(*s));
	s->name = name;
	return s;
}

/* The pool beside the queue: the same tasks split evenly over W threads
 * or processes. */
static int study_pool(struct args *a, int processes)
{
	struct series *s = new_series(a, processes ? "pool processes" : "pool threads");
	double base = 0;

	for (size_t w = 0; w < a->nworkers && !stop_signal; w++, s->n++) {
		s->workers[w] = (double)a->workers[w];
		s->rate[w] = pool_run(a->kernel, a->sizes[0], a->files,
				      (unsigned)a->workers[w], processes, a->folder,
				      a->keep, &s->seconds[w]);
		if (s->rate[w] < 0)
			return -1;
		if (w == 0)
			base = s->rate[0];
		printf("%-14s %5lld %9.0f %9s %8.2f %12s %12s %6d\n",
		       processes ? "pool-processes" : "pool-threads",
		       (long long)a->workers[w], s->rate[w], "-", s->rate[w] / base,
		       "-", "-", 0);
	}
	series_fit(s, a->d->price, a->files);
	return 0;
}

/* Threads and processes: the queue, then the pool of the same kind. */
static int study_local(struct args *a)
{
	static const char *const names[] = { "", "queue threads", "queue processes" };

	printf("Queue and pool: %llu tasks of %s N = %lld; %ld CPUs online\n",
	       (unsigned long long)a->files, a->kernel, (long long)a->sizes[0],
	       a->d->cores);
	printf("%-14s %5s %9s %9s %8s %12s %12s %6s\n", "mode", "W",
	       "files/s", "MB/s", "speedup", "wait med ms", "wait max ms", "failed");
	for (int m = 1; m <= 2 && !stop_signal; m++) {
		struct series *s;
		double base = 0;

		if (a->mode != 0 && a->mode != m)
			continue;
		s = new_series(a, names[m]);
		for (size_t w = 0; w < a->nworkers && !stop_signal; w++, s->n++) {
			s->workers[w] = (double)a->workers[w];
			s->rate[w] = queue_point(a, (unsigned)a->workers[w],
						 m == 1 ? PERFKIT_HARNESS_THREADS :
							  PERFKIT_HARNESS_PROCESSES,
						 &base, &s->seconds[w]);
			if (s->rate[w] < 0)
				return -1;
		}
		series_fit(s, a->d->price, a->files);
		if (!stop_signal && study_pool(a, m == 2) != 0)
			return -1;
	}
	return 0;
}

/* On one node (rank 0 when under mpirun), then across the ranks. */
static int study_queue(struct args *a)
{
	struct mpi_plan p = { .kernel = a->kernel, .folder = a->folder,
			      .size = a->sizes[0], .tasks = a->files,
			      .workers = a->workers, .nworkers = a->nworkers,
			      .keep = a->keep, .stop = &stop_signal };
	int rc = wmpi_rank() == 0 ? study_local(a) : 0;

	if (!a->mpi)
		return rc;
	if (wmpi_hold(rc) != 0)
		return -1;
	if (wmpi_rank() == 0)
		printf("\n");
	return wmpi_study_queue(a->d, &p, a->outfile ? &a->all : NULL);
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-workshop [OPTION]...\n"
		"The HPC Python workshop's I/O and parallel studies: text, binary and HDF5\n"
		"files (numpy.savetxt, tofile, h5py), each profiled by regions; the same\n"
		"tasks through a queue and a pool (threads and processes), with the\n"
		"speedup, Amdahl and USL fits, the optimal worker count and the cost per\n"
		"result; and OMP_NUM_THREADS=1 against an oversubscribed BLAS. Started by\n"
		"mpirun: also the MPI queue (rank 0 hands out tasks) and MPI scatter on\n"
		"1, 2, ... ranks, and one HDF5 file written by all ranks (MPI-IO).\n"
		"      --study WHICH   all (default), io, queue or blas\n"
		"      --sizes N,...   grid sides N (N x N doubles per file); default 100;\n"
		"                      the queue study uses the first\n"
		"  -f, --files F,...   files per format (default 100,1000); the queue and\n"
		"                      the pool run the largest count as tasks\n"
		"  -w, --workers W,... workers of the queues and pools, and rank counts of\n"
		"                      the MPI studies (default 1, 2, 4\n"
		"                      ... up to the cores and one step beyond, with 3\n"
		"                      added when that makes fewer than 4 counts)\n"
		"      --mode MODE     both (default), threads or processes (queue and pool)\n"
		"      --kernel NAME   kernel of the queue's tasks (default write-binary)\n"
		"      --blas-size N   dgemm order of the BLAS study (default 512)\n"
		"      --blas-loops L  products per worker of the BLAS study (default 20)\n"
		"      --price P       price of one worker-hour for the cost per result\n"
		"                      (default 0.10)\n"
		"      --folder DIR    write into DIR, an existing writable folder (default:\n"
		"                      a fresh temporary folder); under mpirun one all\n"
		"                      ranks see\n"
		"      --keep          keep the files written\n"
		"  -o, --outfile FILE  write every task's record (.json, .csv, .jsonl), for\n"
		"                      perfkit-scaling --results or perfkit-compare\n"
		"      --report DIR    write DIR/report.md with speedup.png and io.png\n"
		"                      (DIR is made if its parent exists; needs gnuplot)\n"
		"      --quick         a small study: N = 50, 20 files, dgemm N = 128\n"
		"  -h, --help          this text\n"
		"      --version       the program's and libperfkit's version\n");
}

enum { OPT_STUDY = 256, OPT_SIZES, OPT_MODE, OPT_KERNEL, OPT_FOLDER, OPT_KEEP,
       OPT_QUICK, OPT_REPORT, OPT_PRICE, OPT_BLAS_SIZE, OPT_BLAS_LOOPS };

static int parse_option(int c, struct args *a)
{
	int v;

	switch (c) {
	case OPT_STUDY:
		return cli_parse_enum("--study", optarg, studies, 4, &a->study);
	case OPT_SIZES:
		return cli_parse_list_i64("--sizes", optarg, 1, 100000, a->sizes,
					  MAX_LIST, &a->nsizes);
	case 'f':
		return cli_parse_list_i64("--files", optarg, 1, PERFKIT_QUEUE_TASKS_MAX,
					  a->files_list, MAX_LIST, &a->nfiles);
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
	case OPT_REPORT:
		a->report = optarg;
		return 0;
	case OPT_PRICE:
		return cli_parse_double("--price", optarg, 0, 1e6, &a->d->price);
	case OPT_BLAS_SIZE:
		return cli_parse_i64("--blas-size", optarg, 16, 8192, &a->blas_size);
	case OPT_BLAS_LOOPS:
		return cli_parse_i64("--blas-loops", optarg, 1, 100000, &a->blas_loops);
	case OPT_QUICK:
		a->sizes[0] = 50, a->nsizes = 1;
		a->files_list[0] = 20, a->nfiles = 1;
		a->blas_size = 128;
		return 0;
	}
	return -1;
}

/* 1, 2, 4 ... up to the cores and one step beyond; 3 added when that
 * makes fewer than 4 counts (the USL fit's minimum). */
static void default_workers(struct args *a)
{
	int64_t w = 1;

	a->nworkers = 0;
	for (; w <= a->d->cores && a->nworkers < MAX_LIST - 2; w *= 2)
		a->workers[a->nworkers++] = w;
	a->workers[a->nworkers++] = w;
	if (a->nworkers < 4 && w >= 4) {
		a->workers[a->nworkers - 1] = 3;
		a->workers[a->nworkers++] = w;
	}
}

/* --report DIR: an existing folder, or a new one in an existing folder. */
static int check_report(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) && access(dir, W_OK) == 0 ? 0 :
		       cli_bad_value("--report", dir, "not a writable folder");
	if (errno != ENOENT || mkdir(dir, 0777) != 0)
		return cli_bad_value("--report", dir, strerror(errno));
	return 0;
}

static int check_args(struct args *a)
{
	const struct perfkit_kernel *k;
	struct stat st;

	if (perfkit_kernel_find(a->kernel, &k) != 0)
		return cli_bad_value("--kernel", a->kernel, "not a registered kernel");
	if (a->folder && (stat(a->folder, &st) != 0 || !S_ISDIR(st.st_mode)))
		return cli_bad_value("--folder", a->folder, "not an existing folder");
	if (a->report && (!plot_gnuplot_available("--outfile") ||
			  check_report(a->report) != 0))
		return -1;
	if (a->nworkers == 0)
		default_workers(a);
	a->files = 0;
	for (size_t i = 0; i < a->nfiles; i++)
		if ((uint64_t)a->files_list[i] > a->files)
			a->files = (uint64_t)a->files_list[i];
	return 0;
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
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "blas-size", required_argument, NULL, OPT_BLAS_SIZE },
		{ "blas-loops", required_argument, NULL, OPT_BLAS_LOOPS },
		{ "quick", no_argument, NULL, OPT_QUICK },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
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
	return check_args(a) != 0 ? CLI_EXIT_USAGE : -1;
}

/* The BLAS study runs on one node: rank 0 under mpirun. */
static int study_blas(struct args *a)
{
	int rc = wmpi_rank() == 0 ?
		 blas_study(a->d, a->blas_size, (uint64_t)a->blas_loops) : 0;

	return a->mpi ? wmpi_hold(rc) : rc;
}

static int run_studies(struct args *a)
{
	int rc = 0;

	if (a->study == 0 || a->study == 1)
		rc = study_io(a);
	if (rc == 0 && (a->study == 0 || a->study == 2) && !stop_signal) {
		if (a->study == 0 && wmpi_rank() == 0)
			printf("\n");
		rc = study_queue(a);
	}
	if (rc == 0 && (a->study == 0 || a->study == 3) && !stop_signal) {
		if (a->study == 0 && wmpi_rank() == 0)
			printf("\n");
		rc = study_blas(a);
	}
	return rc;
}

/* Rank 0's files: the records and the report. */
static int write_outputs(struct args *a, int rc)
{
	if (a->all && perfkit_results_write(a->all, a->outfile, PERFKIT_FORMAT_AUTO) != 0)
		rc = cli_error("--outfile %s: %s", a->outfile, perfkit_last_error());
	else if (a->all)
		printf("\nWrote %zu records to %s\n", perfkit_results_count(a->all),
		       a->outfile);
	if (rc == 0 && a->report && !stop_signal) {
		if (getloadavg(a->d->load, 3) != 3)
			a->d->load[0] = a->d->load[1] = a->d->load[2] = NAN;
		if ((rc = report_write(a->report, a->d)) == 0)
			printf("\nWrote %s/report.md\n", a->report);
	}
	return rc;
}

/* Under mpirun every rank parses the same options: only the first says
 * what is wrong with them. */
static int parse_quietly(int argc, char **argv, struct args *a)
{
	const char *r = getenv("OMPI_COMM_WORLD_RANK");
	int saved = -1, rc;

	if (!r)
		r = getenv("PMIX_RANK");
	if (r && strcmp(r, "0") != 0 && (saved = dup(2)) >= 0 &&
	    !freopen("/dev/null", "w", stderr))
		fprintf(stdout, "perfkit-workshop: cannot quiet rank %s\n", r);
	rc = parse(argc, argv, a);
	if (saved >= 0) {
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static struct study_data d = { .price = 0.10 };
	struct args a = { .sizes = { 100 }, .nsizes = 1,
			  .files_list = { 100, 1000 }, .nfiles = 2,
			  .blas_size = 512, .blas_loops = 20,
			  .kernel = "write-binary", .d = &d };
	int rc = 0;

	cli_set_program("perfkit-workshop");
	d.cores = sysconf(_SC_NPROCESSORS_ONLN);
	if ((rc = parse_quietly(argc, argv, &a)) >= 0)
		return rc;
	if (stop_catch())
		return CLI_EXIT_FAILED;
	a.mpi = wmpi_begin();
	d.kernel = a.kernel, d.size = a.sizes[0], d.tasks = a.files;
	rc = run_studies(&a);
	if (wmpi_rank() == 0)
		rc = write_outputs(&a, rc);
	perfkit_results_destroy(a.all);
	if (stop_signal)
		fprintf(stderr, "%s: stopped by %s\n", cli_program(),
			stop_name(stop_signal));
	wmpi_end();
	return stop_status(rc ? CLI_EXIT_FAILED : CLI_EXIT_OK);
}
