/* SPDX-License-Identifier: MIT */
/*
 * bench-mpi: what running the harness across MPI ranks costs in the
 * effective rate. Run under mpirun with R ranks:
 *
 *   mpirun -np 2 build/benchmarks/bench-mpi [WORKERS [N [LOOPCOUNT [ROUNDS]]]]
 *
 * Each round runs, in alternating order, (A) perfkit_mpi_harness_run()
 * with WORKERS per rank, and (B) perfkit_harness_run() in rank 0 alone
 * with R x WORKERS workers (the other ranks wait), both dgemm of order N.
 * It prints effective / summed GFLOPS of each (the share of the job's time
 * the workers computed) and the ratio A / B, medians over the rounds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <perfkit/perfkit.h>
#include <perfkit/mpi.h>

struct figures {
	double effective, summed, share;
};

static int summarize(const struct perfkit_results *res, struct figures *f)
{
	struct perfkit_harness_summary s;

	if (perfkit_harness_summarize(res, &s) != 0)
		return -1;
	f->effective = s.effective_gflops;
	f->summed = s.peak_gflops;
	f->share = s.effective_gflops / s.peak_gflops;
	return 0;
}

/* (A) across ranks; figures on rank 0. */
static int across(const struct perfkit_harness_options *o, int rank, struct figures *f)
{
	struct perfkit_results *res = NULL;
	int rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, o, &res);

	if (rc == 0 && rank == 0)
		rc = summarize(res, f);
	perfkit_results_destroy(res);
	return rc;
}

/* (B) one process with every worker; the other ranks idle. */
static int alone(const struct perfkit_harness_options *o, int rank, int nranks,
		 struct figures *f)
{
	struct perfkit_harness_options all = *o;
	struct perfkit_results *res = NULL;
	struct timespec nap = { 0, 200000 };
	MPI_Request req;
	int rc = 0, done = 0;

	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 0) {
		all.workers = o->workers * (unsigned)nranks;
		rc = perfkit_harness_run(&all, &res);
		if (rc == 0)
			rc = summarize(res, f);
		perfkit_results_destroy(res);
	}
	/* the idle ranks sleep: a polling MPI_Bcast would take a core */
	MPI_Ibcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
	for (;;) {
		MPI_Test(&req, &done, MPI_STATUS_IGNORE);
		if (done)
			return rc;
		nanosleep(&nap, NULL);
	}
}

static double median(double *v, int n)
{
	double p = 50, m = NAN;

	perfkit_stats_percentiles(v, (size_t)n, &p, 1, &m);
	return m;
}

int main(int argc, char **argv)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	int provided, rank, nranks, rounds;
	double *v;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	o.workers = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	o.problem_size = argc > 2 ? atoll(argv[2]) : 512;
	o.loopcount = argc > 3 ? (uint64_t)atoll(argv[3]) : 20;
	rounds = argc > 4 ? atoi(argv[4]) : 5;
	o.placement = PERFKIT_HARNESS_PLACE_NONE; /* ranks do not know each other's cores */
	v = calloc(6 * (size_t)(rounds > 0 ? rounds : 1), sizeof(double));
	if (rank == 0)
		printf("bench-mpi: dgemm N = %lld, loopcount %llu; (A) %d ranks x %u workers "
		       "vs (B) 1 process x %u workers, %d rounds alternating\n",
		       (long long)o.problem_size, (unsigned long long)o.loopcount, nranks,
		       o.workers, o.workers * (unsigned)nranks, rounds);
	for (int r = 0; v && r < rounds; r++) {
		struct figures a = { 0 }, b = { 0 };
		int rc = r % 2 ? (alone(&o, rank, nranks, &b) || across(&o, rank, &a))
			       : (across(&o, rank, &a) || alone(&o, rank, nranks, &b));

		if (rc != 0) {
			if (rank == 0)
				fprintf(stderr, "bench-mpi: %s\n", perfkit_last_error());
			break;
		}
		v[r] = a.share, v[rounds + r] = b.share, v[2 * rounds + r] = a.share / b.share;
		v[3 * rounds + r] = a.effective, v[4 * rounds + r] = b.effective;
		v[5 * rounds + r] = a.summed / b.summed;
		if (rank == 0)
			printf("  round %d: effective/summed (A) %.3f (B) %.3f; effective GFLOPS "
			       "(A) %.1f (B) %.1f\n", r + 1, a.share, b.share, a.effective, b.effective);
	}
	if (rank == 0 && v && rounds > 0)
		printf("median: effective/summed (A) %.3f, (B) %.3f, ratio A/B %.3f; "
		       "effective GFLOPS (A) %.1f, (B) %.1f; summed A/B %.3f\n",
		       median(v, rounds), median(v + rounds, rounds), median(v + 2 * rounds, rounds),
		       median(v + 3 * rounds, rounds), median(v + 4 * rounds, rounds),
		       median(v + 5 * rounds, rounds));
	free(v);
	MPI_Finalize();
	return 0;
}
