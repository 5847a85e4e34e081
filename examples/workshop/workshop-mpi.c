/* SPDX-License-Identifier: MIT */
/* perfkit-workshop under mpirun: the workshop's MPI studies. The same
 * tasks through "our own workload manager" (rank 0 hands them out over
 * Send/Recv) and through MPI Scatter, on 1, 2, ... ranks (the first W
 * ranks of the job); and write-hdf5-mpi, one HDF5 file shared by all
 * ranks. While rank 0 runs the studies of one node (threads, processes,
 * pools, BLAS) the other ranks wait, asleep. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <perfkit/mpi.h>

#include "cli.h"
#include "workshop.h"

static int ranks, rank;

static int launched(void)
{
	static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
					    "PMI_RANK", "PMI_SIZE" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]))
			return 1;
	return 0;
}

int wmpi_begin(void)
{
	int provided;

	if (!launched())
		return 0;
	MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ranks);
	return ranks;
}

int wmpi_rank(void)
{
	return rank;
}

void wmpi_end(void)
{
	if (ranks > 0)
		MPI_Finalize();
}

int wmpi_hold(int rc)
{
	struct timespec nap = { 0, 1000000 };
	MPI_Request req;
	int done = 0;

	if (ranks == 0)
		return rc;
	MPI_Ibarrier(MPI_COMM_WORLD, &req);
	while (MPI_Test(&req, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done)
		nanosleep(&nap, NULL);
	if (rc && rank == 0)
		perfkit_set_error(-EIO, "rank 0 failed (its message is above)");
	return perfkit_mpi_agree(MPI_COMM_WORLD, rc ? -EIO : 0) ? -1 : 0;
}

/* ---- the queue and the scatter on the first W ranks ---- */

static void print_row(const char *mode, int w, const struct queue_figures *f,
		      double base)
{
	printf("%-14s %5d %9.0f %9.1f %8.2f %12.2f %12.2f %6zu\n", mode, w,
	       f->files_per_s, f->mb_per_s, base > 0 ? f->files_per_s / base : NAN,
	       f->wait_median * 1e3, f->wait_max * 1e3, f->failed);
}

/* The run's records into *keep, each with its extra columns and the
 * ranks the run had ("ranks"). */
static void append(struct perfkit_results **keep, struct perfkit_results *res, int w)
{
	const struct perfkit_record *r;
	char ranks[16];

	snprintf(ranks, sizeof(ranks), "%d", w);
	if (!keep && res)
		perfkit_results_destroy(res);
	if (!keep || !res)
		return;
	if (!*keep && perfkit_results_new(keep) != 0) {
		perfkit_results_destroy(res);
		return;
	}
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		size_t at = perfkit_results_count(*keep);

		if (perfkit_results_get(res, i, &r) || perfkit_results_append(*keep, r))
			continue;
		for (size_t j = 0; j < perfkit_results_extra_count(res, i); j++) {
			const char *k, *v;

			if (perfkit_results_extra_get(res, i, j, &k, &v) == 0)
				perfkit_results_extra_set(*keep, at, k, v);
		}
		perfkit_results_extra_set(*keep, at, "ranks", ranks);
	}
	perfkit_results_destroy(res);
}

/* Collective over the job: the first @w ranks run the tasks. */
static int point(const struct mpi_plan *p, int w, enum perfkit_mpi_tasks how,
		 struct perfkit_results **res)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	MPI_Comm sub;
	int rc = 0;

	*res = NULL;
	o.distribution = how;
	o.kernel = p->kernel;
	o.problem_size = p->size;
	o.tasks = p->tasks;
	o.output_dir = p->folder;
	o.keep_output = p->keep;
	o.cancel = p->stop;
	MPI_Comm_split(MPI_COMM_WORLD, rank < w ? 0 : MPI_UNDEFINED, rank, &sub);
	if (sub != MPI_COMM_NULL) {
		rc = perfkit_mpi_queue_run(sub, &o, res);
		MPI_Comm_free(&sub);
	}
	if (rc && rc != -ECANCELED && rank == 0 && !*res)
		cli_error("MPI %s: %s", perfkit_mpi_tasks_name(how), perfkit_last_error());
	else if (rc && rc != -ECANCELED && rank == 0)
		fprintf(stderr, "%s: %s\n", cli_program(), perfkit_last_error());
	/* the ranks left out wait asleep; a run that could not start stops all */
	return wmpi_hold(rc && rc != -ECANCELED && rank == 0 && !*res ? -1 : 0);
}

/* The rank counts: those of the plan up to the ranks, and the ranks. */
static size_t counts(const struct mpi_plan *p, int *w)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nworkers && n < MAX_LIST - 1; i++)
		if (p->workers[i] <= ranks)
			w[n++] = (int)p->workers[i];
	if (n == 0 || w[n - 1] != ranks)
		w[n++] = ranks;
	return n;
}

int wmpi_study_queue(struct study_data *d, const struct mpi_plan *p,
		     struct perfkit_results **keep)
{
	static const char *const names[] = { "mpi queue", "mpi scatter" };
	int w[MAX_LIST];
	size_t n = counts(p, w);

	if (rank == 0) {
		printf("MPI: %llu tasks of %s N = %lld on 1 to %d ranks; queue: rank 0 "
		       "hands out, the others work\n", (unsigned long long)p->tasks,
		       p->kernel, (long long)p->size, ranks);
		printf("%-14s %5s %9s %9s %8s %12s %12s %6s\n", "mode", "ranks",
		       "files/s", "MB/s", "speedup", "wait med ms", "wait max ms",
		       "failed");
	}
	for (int how = 0; how < 2 && !*p->stop; how++) {
		struct series *s = rank == 0 && d->nseries < MAX_SERIES ?
				   &d->series[d->nseries++] : NULL;
		double base = 0;

		if (s) {
			memset(s, 0, sizeof(*s));
			s->name = names[how];
		}
		for (size_t i = 0; i < n && !*p->stop; i++) {
			struct perfkit_results *res = NULL;
			struct queue_figures f;

			if (point(p, w[i], (enum perfkit_mpi_tasks)how, &res) != 0)
				return -1;
			if (rank != 0)
				continue;
			queue_figures_of(res, &f);
			if (i == 0 || !(base > 0))
				base = f.files_per_s;
			print_row(perfkit_mpi_tasks_name((enum perfkit_mpi_tasks)how), w[i],
				  &f, base);
			if (s) {
				s->workers[s->n] = w[i];
				s->rate[s->n] = f.files_per_s;
				s->seconds[s->n++] = f.span;
			}
			append(keep, res, w[i]);
		}
		if (s)
			series_fit(s, d->price, p->tasks);
	}
	return 0;
}

/* ---- write-hdf5-mpi ---- */

int wmpi_io_row(struct study_data *d, int64_t n, uint64_t files,
		const char *folder, int keep, double text_seconds)
{
	struct perfkit_mpi_io_options o = PERFKIT_MPI_IO_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	const struct perfkit_record *r;
	double t0 = INFINITY, t1 = -INFINITY, bytes = 0;
	struct io_row *row = &d->io[d->nio];
	int rc;

	o.n = n;
	o.files = files;
	o.output_dir = folder;
	o.keep_output = keep;
	rc = perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res);
	if (rc == -ENOTSUP) {
		if (rank == 0)
			printf("%-14s %6lld %6llu  (not built: parallel HDF5 missing)\n",
			       "write-hdf5-mpi", (long long)n, (unsigned long long)files);
		return 1;
	}
	if (rc)
		return rank == 0 ? cli_error("write-hdf5-mpi: %s", perfkit_last_error()) : -1;
	if (rank != 0)
		return 0;
	for (size_t i = 0; i < perfkit_results_count(res); i++)
		if (perfkit_results_get(res, i, &r) == 0) {
			t0 = fmin(t0, r->t_setup);
			t1 = fmax(t1, r->t_end);
			bytes += r->bytes;
		}
	perfkit_results_destroy(res);
	*row = (struct io_row){ .format = "write-hdf5-mpi", .n = n, .files = files,
				.seconds = t1 - t0,
				.files_per_s = (double)files / (t1 - t0),
				.mb_per_s = bytes / (t1 - t0) / 1e6,
				.x_text = text_seconds / (t1 - t0) };
	printf("%-14s %6lld %6llu %10.6f %9.0f %9.1f %8.2f  (%d ranks, one file)\n",
	       row->format, (long long)n, (unsigned long long)files, row->seconds,
	       row->files_per_s, row->mb_per_s, row->x_text, ranks);
	if (d->nio + 1 < MAX_IO)
		d->nio++;
	return 0;
}
