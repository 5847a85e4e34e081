/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-pi: the MPI-on-EC2 talk's Monte Carlo pi, with MPI as the
 * distributed engine.
 *
 *   mpirun -np 4 perfkit-mpi-pi --darts 400000000 --ranks 1,2,4 --price 0.10
 *
 * Each rank throws its share of the darts from one counter-based random
 * stream (so a seed gives the same hits on any rank count), a reduce adds
 * the hits up on rank 0, which prints pi, its error against M_PI and the
 * time. Each rank count of --ranks runs on the first ranks of the job
 * while the others wait asleep; the times give speedup and efficiency
 * (libperfkit's scaling calculator) and, with --price, what each count
 * costs: the talk's "trade $ for time".
 *
 * Options are parsed on every rank and agreed before any work, so a bad
 * one stops every rank with one message. SIGINT or SIGTERM: the runs
 * stop at the next block of darts, and rank 0 reports and writes what
 * finished; every rank exits 130 or 143.
 */
#include <stdio.h>
#include <stdlib.h>

#include <perfkit/mpi.h>

#include "cli.h"
#include "mpi-job.h"
#include "mpi-scaling.h"
#include "pi-args.h"
#include "pi-run.h"
#include "stop.h"

/* What rank 0 keeps of the runs. */
struct pi_job {
	struct pi_run *runs;
	size_t n;
	struct mpi_runs times;  /* (ranks, seconds) for the scaling report */
	int stopped;            /* a signal ended the runs early */
};

/* Every rank count, every run; ranks outside a count wait asleep, and
 * after each run all agree whether a signal stops the job. */
static int run_counts(const struct pi_args *a, struct pi_job *job, int rank)
{
	for (size_t c = 0; c < a->ncounts && !job->stopped; c++) {
		MPI_Comm sub = mpi_counts_comm(MPI_COMM_WORLD, (int)a->counts[c]);

		for (int i = 0; i < a->repeat && !job->stopped; i++) {
			struct pi_run r = { .index = i };

			if (sub != MPI_COMM_NULL)
				pi_run(sub, a, &stop_signal, &r);
			if (rank == 0 && !r.stopped) {
				pi_row(stdout, a, &r);
				job->runs[job->n++] = r;
				if (mpi_runs_add(&job->times, r.ranks, r.seconds) != 0)
					return CLI_EXIT_FAILED;
			}
			job->stopped = mpi_quiet_max(MPI_COMM_WORLD, stop_signal);
		}
		if (sub != MPI_COMM_NULL)
			MPI_Comm_free(&sub);
	}
	return CLI_EXIT_OK;
}

/* The records of every run, with the job's metadata. */
static int write_records(const struct pi_args *a, const struct pi_job *job, int argc,
			 char **argv)
{
	struct perfkit_results *res = NULL;
	const struct perfkit_machine *m = NULL;
	char v[32];
	int rc = -1;

	if (perfkit_results_new(&res) != 0)
		return cli_error("%s", perfkit_last_error());
	/* The set's time axis starts at the first run, not at this report. */
	if (job->n)
		perfkit_results_set_epoch_ns(res, (int64_t)(job->runs[0].t_start * 1e9));
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	if (perfkit_machine_probe(&m) == 0)
		perfkit_results_set_machine(res, m);
	snprintf(v, sizeof(v), "%d", job->n ? job->runs[job->n - 1].ranks : 0);
	perfkit_results_meta_set(res, "mpi.ranks", v);
	perfkit_results_meta_set(res, "mpi.library", mpi_library_name());
	for (size_t i = 0; i < job->n; i++)
		if (pi_record(res, a, &job->runs[i]) != 0)
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

/* Rank 0: pi and its error, scaling and cost, the records, the plot. */
static int report(const struct pi_args *a, const struct pi_job *job, int argc, char **argv)
{
	int status = CLI_EXIT_OK;

	if (job->stopped)
		cli_error("%s: reporting and writing the runs that finished",
			  stop_name(stop_signal ? stop_signal : SIGTERM));
	if (pi_estimate_report(stdout, a, job->runs, job->n) != 0)
		status = CLI_EXIT_FAILED;
	if (job->n > 0 && mpi_scaling_report(stdout, &job->times, a->price, a->deadline) != 0)
		status = CLI_EXIT_FAILED;
	if (a->outfile && write_records(a, job, argc, argv) != 0)
		status = CLI_EXIT_FAILED;
	if (a->plot && job->n > 0) {
		if (mpi_scaling_plot(a->plot, &job->times, "Monte Carlo pi on MPI ranks") != 0)
			status = CLI_EXIT_FAILED;
		else
			printf("Plotted speedup and efficiency to %s\n", a->plot);
	}
	return status;
}

int main(int argc, char **argv)
{
	struct pi_args a;
	struct pi_job job = { 0 };
	int rank, size, status;

	setvbuf(stdout, NULL, _IOLBF, 0); /* rows appear as runs end */
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	cli_set_program("perfkit-mpi-pi");
	/* every rank parses; one verdict for all before any other collective */
	status = mpi_options_agree(MPI_COMM_WORLD, argc, argv, pi_parse, &a);
	if (status >= 0) {
		MPI_Finalize();
		return status;
	}
	stop_catch();
	job.runs = calloc(a.ncounts * (size_t)a.repeat, sizeof(*job.runs));
	if (!job.runs) {
		cli_error("out of memory");
		MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILED);
	}
	if (rank == 0)
		pi_headline(stdout, &a, size);
	status = run_counts(&a, &job, rank);
	if (rank == 0 && status == CLI_EXIT_OK)
		status = report(&a, &job, argc, argv);
	free(job.runs);
	mpi_runs_free(&job.times);
	/* rank 0's failures and any rank's signal count for the whole job */
	status = mpi_quiet_max(MPI_COMM_WORLD, stop_status(status));
	MPI_Finalize();
	return status;
}
