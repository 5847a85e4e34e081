/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-correlate: the MPI-on-EC2 talk's pairwise Pearson
 * correlations ("scaling KNN": every pair of Netflix movies), with MPI as
 * the distributed engine.
 *
 *   mpirun -np 4 perfkit-mpi-correlate --items 2000 --users 5000 --ranks 1,2,4
 *   mpirun -np 4 perfkit-mpi-correlate --input ratings.csv --outfile corr.json
 *
 * Rank 0 makes (or reads) the rating vectors and computes every pair's r
 * serially, the textbook way, as the reference. Then, for each rank count
 * of --ranks (on the first ranks of the job, the others waiting asleep),
 * rank 0 scatters the vectors, every rank correlates its share against
 * all, and rank 0 gathers the pairs and compares them with the reference.
 * It prints the time per run, the most correlated pairs, speedup,
 * efficiency and, with --price, the cost of each count.
 *
 * Options are agreed over the ranks before any work, and so is the input:
 * a bad option or a bad file stops every rank with one message (exit 2).
 * SIGINT or SIGTERM: the job stops after the run in progress, and rank 0
 * reports and writes what finished; every rank exits 130 or 143.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <perfkit/mpi.h>

#include "cli.h"
#include "corr-args.h"
#include "corr-compute.h"
#include "corr-data.h"
#include "corr-report.h"
#include "corr-run.h"
#include "mpi-job.h"
#include "mpi-scaling.h"
#include "stop.h"

/* What rank 0 keeps. */
struct corr_job {
	struct corr_data d;     /* the vectors (their size on every rank) */
	double *tri, *ref;      /* every pair's r: gathered, and serial */
	double serial_s;        /* the serial computation's time */
	double worst;           /* the largest difference from the serial r */
	struct corr_run *runs;
	size_t n;
	struct mpi_runs times;
	int stopped, failed;
};

/* Rank 0 makes or reads the vectors and computes the reference; every
 * rank learns the size, or that the input was bad (exit 2 for all). */
static int load(const struct corr_args *a, struct corr_job *job, int rank)
{
	unsigned long long size[3] = { 0, 0, 0 };
	struct corr_data *d = &job->d;

	if (rank == 0) {
		int rc = a->input ? corr_read_csv(a->input, d)
				  : corr_generate(d, (size_t)a->items, (size_t)a->users, a->seed);
		size_t pairs = rc == 0 ? corr_pairs(d->items) : 0;

		if (rc == 0) {
			job->tri = malloc(pairs * sizeof(double));
			job->ref = a->check ? malloc(pairs * sizeof(double)) : NULL;
			if (!job->tri || (a->check && !job->ref))
				rc = cli_error("out of memory for %zu pairs", pairs);
		}
		size[0] = rc == 0;
		size[1] = d->items;
		size[2] = d->users;
	}
	MPI_Bcast(size, 3, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
	d->items = size[1];
	d->users = size[2];
	if (!size[0])
		return CLI_EXIT_USAGE;
	if (rank == 0 && a->check)
		job->serial_s = corr_serial(d, job->ref);
	return -1;
}

/* Rank 0, after a count's first run: the gathered r against the serial. */
static void check_run(const struct corr_args *a, struct corr_job *job)
{
	double diff;

	if (!a->check)
		return;
	diff = corr_max_difference(job->tri, job->ref, corr_pairs(job->d.items));
	if (!(diff <= CORR_TOLERANCE)) {
		cli_error("%d ranks: r differs from the serial computation by %g (a bug)",
			  job->runs[job->n - 1].ranks, diff);
		job->failed = 1;
	}
	job->worst = fmax(job->worst, diff);
}

/* Every rank count, every run; after each, all agree whether to stop. */
static void run_counts(const struct corr_args *a, struct corr_job *job, int rank)
{
	for (size_t c = 0; c < a->ncounts && !job->stopped; c++) {
		MPI_Comm sub = mpi_counts_comm(MPI_COMM_WORLD, (int)a->counts[c]);

		for (int i = 0; i < a->repeat && !job->stopped; i++) {
			struct corr_run r = { .index = i };
			int bad = 0;

			if (sub != MPI_COMM_NULL)
				bad = corr_run(sub, &job->d, job->tri, &r) != 0;
			if (rank == 0 && !bad) {
				job->runs[job->n++] = r;
				corr_row(stdout, &job->d, &r);
				if (i == 0)
					check_run(a, job);
				bad = mpi_runs_add(&job->times, r.ranks, r.seconds) != 0;
			}
			job->failed |= bad;
			job->stopped = mpi_quiet_max(MPI_COMM_WORLD, stop_signal || job->failed);
		}
		if (sub != MPI_COMM_NULL)
			MPI_Comm_free(&sub);
	}
}

static int write_records(const struct corr_args *a, const struct corr_job *job, int argc,
			 char **argv)
{
	struct perfkit_results *res = NULL;
	const struct perfkit_machine *m = NULL;
	int rc = -1;

	if (perfkit_results_new(&res) != 0)
		return cli_error("%s", perfkit_last_error());
	/* The set's time axis starts at the first run, not at this report. */
	if (job->n)
		perfkit_results_set_epoch_ns(res, (int64_t)(job->runs[0].t_start * 1e9));
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	if (perfkit_machine_probe(&m) == 0)
		perfkit_results_set_machine(res, m);
	perfkit_results_meta_set(res, "mpi.library", mpi_library_name());
	for (size_t i = 0; i < job->n; i++)
		if (corr_record(res, &job->d, &job->runs[i]) != 0)
			goto out;
	if (perfkit_results_write(res, a->outfile, PERFKIT_FORMAT_AUTO) != 0) {
		cli_error("%s", perfkit_last_error());
		goto out;
	}
	printf("\nWrote %zu records to %s\n", job->n, a->outfile);
	rc = 0;
out:
	perfkit_results_destroy(res);
	return rc;
}

/* Rank 0: the check, the nearest pairs, scaling and cost, outputs. */
static int report(const struct corr_args *a, struct corr_job *job, int argc, char **argv)
{
	int status = job->failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;

	if (stop_signal)
		cli_error("%s: reporting and writing the runs that finished",
			  stop_name(stop_signal));
	if (a->check && job->n > 0 && !job->failed)
		printf("\ncheck    every rank count's r within %.1e of the serial two-pass "
		       "computation (%.4f s on rank 0): ok\n", job->worst, job->serial_s);
	if (job->n > 0)
		corr_top(stdout, job->tri, job->d.items, a->top);
	if (job->n > 0 && mpi_scaling_report(stdout, &job->times, a->price, a->deadline) != 0)
		status = CLI_EXIT_FAILED;
	if (a->outfile && write_records(a, job, argc, argv) != 0)
		status = CLI_EXIT_FAILED;
	if (a->plot && job->n > 0) {
		if (mpi_scaling_plot(a->plot, &job->times, "Pairwise correlations on MPI ranks") != 0)
			status = CLI_EXIT_FAILED;
		else
			printf("Plotted speedup and efficiency to %s\n", a->plot);
	}
	return status;
}

static void job_free(struct corr_job *job)
{
	corr_data_free(&job->d);
	free(job->tri);
	free(job->ref);
	free(job->runs);
	mpi_runs_free(&job->times);
}

int main(int argc, char **argv)
{
	struct corr_args a;
	struct corr_job job = { 0 };
	int rank, size, status;

	setvbuf(stdout, NULL, _IOLBF, 0); /* rows appear as runs end */
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	cli_set_program("perfkit-mpi-correlate");
	/* every rank parses; one verdict for all before any other collective */
	status = mpi_options_agree(MPI_COMM_WORLD, argc, argv, corr_parse, &a);
	if (status < 0)
		status = load(&a, &job, rank);
	if (status >= 0) {
		job_free(&job);
		MPI_Finalize();
		return status;
	}
	stop_catch();
	job.runs = calloc(a.ncounts * (size_t)a.repeat, sizeof(*job.runs));
	if (!job.runs) {
		cli_error("out of memory");
		MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILED);
	}
	if (rank == 0) {
		corr_headline(stdout, &a, &job.d, size);
		printf("  ranks  run      time, s     pairs/s  per rank: fastest  slowest, s\n");
	}
	run_counts(&a, &job, rank);
	status = rank == 0 ? report(&a, &job, argc, argv) : CLI_EXIT_OK;
	job_free(&job);
	/* rank 0's failures and any rank's signal count for the whole job */
	status = mpi_quiet_max(MPI_COMM_WORLD, stop_status(status));
	MPI_Finalize();
	return status;
}
