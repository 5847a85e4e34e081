/* SPDX-License-Identifier: MIT */
/*
 * libperfkit-mpi's task queue (rank 0 hands out tasks over Send/Recv, or
 * scatters them up front) and write-hdf5-mpi (one HDF5 file shared by
 * all ranks) on real ranks: every task runs exactly once, also when tasks
 * or whole workers fail, each record says who ran it and how long it
 * waited; the HDF5 file is read back through the HDF5 API. Bad input
 * (NULL, zero and huge counts, options that differ between ranks, a
 * folder that is a file, a communicator of one rank) gives every rank the
 * same error, and nobody hangs.
 *
 * Started as test-mpi is: under $PERFKIT_TEST_MPIEXEC (2 to 4 ranks),
 * each rank behind $PERFKIT_TEST_MPI_WRAPPER if set. CK_NOFORK.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef PERFKIT_HAVE_HDF5_MPI
#include <hdf5.h>
#endif

#include "pk-mpi-check.h"
#include "pk-results-check.h"
#include "perfkit/perfkit.h"
#include "perfkit/mpi.h"


static int rank, nranks;

/* ---- kernels that fail on purpose ---- */

struct tiny {
	int64_t size;
};

static int tiny_setup(int64_t size, const struct perfkit_kernel_options *o, void *u,
		      void **state)
{
	struct tiny *t;

	(void)o;
	(void)u;
	if (size == 13)
		return perfkit_set_error(-EDOM, "size 13 is unlucky");
	if (!(t = malloc(sizeof(*t))))
		return -ENOMEM;
	t->size = size;
	*state = t;
	return 0;
}

static int tiny_run(void *state, uint64_t reps)
{
	(void)state;
	(void)reps;
	return 0;
}

/* fails on the last rank: a whole worker that fails every task */
static int broken_run(void *state, uint64_t reps)
{
	(void)state;
	(void)reps;
	return rank == nranks - 1 ? perfkit_set_error(-EIO, "this worker's disk is gone") : 0;
}

static void tiny_teardown(void *state)
{
	free(state);
}

static double one_item(int64_t size, void *u)
{
	(void)size;
	(void)u;
	return 1;
}

static int register_kernels(void)
{
	struct perfkit_kernel_ops ops = { .size = sizeof(ops), .name = "tiny",
					  .setup = tiny_setup, .run = tiny_run,
					  .teardown = tiny_teardown, .items = one_item };
	int rc = perfkit_kernel_register(&ops, NULL);

	ops.name = "broken-worker";
	ops.run = broken_run;
	return rc ? rc : perfkit_kernel_register(&ops, NULL);
}

/* ---- helpers ---- */

static void check_agreed(int rc, int want, const char *says)
{
	int lo = rc, hi = rc;

	MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	ck_assert_int_eq(lo, hi);
	ck_assert_int_eq(rc, want);
	ck_assert_msg(strstr(perfkit_last_error(), says), "message: %s", perfkit_last_error());
}

static const char *param(const struct perfkit_record *r, const char *key)
{
	const char *v = NULL;

	ck_assert_msg(perfkit_record_get_param(r, key, &v) == 0 && v, "no %s", key);
	return v;
}

static long param_long(const struct perfkit_record *r, const char *key)
{
	return atol(param(r, key));
}

static double param_double(const struct perfkit_record *r, const char *key)
{
	return atof(param(r, key));
}

static const char *extra_of(const struct perfkit_results *res, size_t i, const char *key)
{
	static char buf[512];

	if (perfkit_results_value(res, i, key, buf, sizeof(buf)) != 0)
		return NULL;
	return buf;
}

/* One record per task, in task order, each run once, by a worker rank. */
static void check_tasks(const struct perfkit_results *res, uint64_t tasks,
			enum perfkit_mpi_tasks d, int ranks)
{
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(perfkit_results_count(res), tasks);
	ck_assert_str_eq(meta(res, "queue.distribution"), perfkit_mpi_tasks_name(d));
	for (size_t i = 0; i < tasks; i++) {
		const struct perfkit_record *r = at(res, i);
		double wait = param_double(r, "wait_s");

		ck_assert_int_eq(param_long(r, "task"), (long)i);
		ck_assert_int_eq(r->status, 0);
		ck_assert_uint_eq(r->repetitions, 1);
		ck_assert(r->rank >= 0 && r->rank < ranks);
		if (d == PERFKIT_MPI_TASKS_QUEUE && ranks > 1) {
			ck_assert_int_ne(r->rank, 0); /* rank 0 only hands out */
			ck_assert_int_eq(r->worker, r->rank - 1);
			ck_assert_int_eq(param_long(r, "workers"), ranks - 1);
		} else {
			ck_assert_int_eq(r->worker, r->rank);
			ck_assert_int_eq(param_long(r, "workers"), ranks);
		}
		/* the wait is t_start - t_submit on rank 0's clock */
		ck_assert(isfinite(wait) && wait >= -1e-3 && wait < 60);
		ck_assert(fabs(wait - (r->t_start - r->t_submit)) < 1e-6);
		ck_assert(r->t_start <= r->t_setup && r->t_setup <= r->t_end);
		ck_assert(r->elapsed >= 0 && r->elapsed < 60);
	}
}

/* Scatter: rank r took tasks r T/n to (r+1) T/n - 1. */
static void check_scattered(const struct perfkit_results *res, uint64_t tasks, int n)
{
	for (size_t i = 0; i < tasks; i++) {
		int r = at(res, i)->rank;

		ck_assert_uint_ge(i, tasks * (uint64_t)r / (uint64_t)n);
		ck_assert_uint_lt(i, tasks * (uint64_t)(r + 1) / (uint64_t)n);
	}
}

/* ---- the queue ---- */

START_TEST(test_queue_every_task_once)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	o.kernel = "tiny";
	o.tasks = 37;
	ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), 0);
	if (rank != 0) {
		ck_assert_ptr_null(res);
		return;
	}
	check_tasks(res, 37, PERFKIT_MPI_TASKS_QUEUE, nranks);
	ck_assert_str_eq(meta(res, "queue.kernel"), "tiny");
	ck_assert_str_eq(meta(res, "queue.tasks"), "37");
	ck_assert_str_eq(meta(res, "mpi.ranks"), nranks == 2 ? "2" : nranks == 3 ? "3" : "4");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_scatter_every_task_once)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	o.kernel = "tiny";
	o.tasks = 10;
	o.distribution = PERFKIT_MPI_TASKS_SCATTER;
	ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), 0);
	if (rank != 0)
		return;
	check_tasks(res, 10, PERFKIT_MPI_TASKS_SCATTER, nranks);
	check_scattered(res, 10, nranks);
	perfkit_results_destroy(res);
}
END_TEST

/* Fewer tasks than ranks: some ranks get none, nobody waits forever. */
START_TEST(test_fewer_tasks_than_ranks)
{
	for (int d = 0; d < 2; d++) {
		struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
		struct perfkit_results *res = NULL;

		o.kernel = "tiny";
		o.tasks = 1;
		o.distribution = (enum perfkit_mpi_tasks)d;
		ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), 0);
		if (rank == 0) {
			check_tasks(res, 1, o.distribution, nranks);
			perfkit_results_destroy(res);
		}
	}
}
END_TEST

/* The real I/O kernel: files written and verified on the worker ranks. */
START_TEST(test_queue_write_binary)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	o.kernel = "write-binary";
	o.problem_size = 16;
	o.tasks = 8;
	ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), 0);
	if (rank != 0)
		return;
	check_tasks(res, 8, PERFKIT_MPI_TASKS_QUEUE, nranks);
	for (size_t i = 0; i < 8; i++) {
		ck_assert(at(res, i)->bytes == 8.0 * 16 * 16);
		ck_assert(at(res, i)->items == 1);
	}
	perfkit_results_destroy(res);
}
END_TEST

/* Failing tasks fail alone: the others run, each task once. */
START_TEST(test_failed_tasks_say_so)
{
	static const int64_t sizes[] = { 4, 13, 4, 4, 13, 4, 4 };

	for (int d = 0; d < 2; d++) {
		struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
		struct perfkit_results *res = NULL;

		o.kernel = "tiny";
		o.tasks = 7;
		o.sizes = sizes;
		o.distribution = (enum perfkit_mpi_tasks)d;
		check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EDOM,
			     "2 of 7 tasks failed");
		if (rank != 0)
			continue;
		ck_assert_uint_eq(perfkit_results_count(res), 7);
		for (size_t i = 0; i < 7; i++) {
			const struct perfkit_record *r = at(res, i);

			ck_assert_int_eq(param_long(r, "task"), (long)i);
			ck_assert_int_eq(r->problem_size, sizes[i]);
			ck_assert_int_eq(r->status, sizes[i] == 13 ? -EDOM : 0);
			if (sizes[i] == 13)
				ck_assert_ptr_nonnull(strstr(extra_of(res, i, "error"),
							     "size 13 is unlucky"));
		}
		perfkit_results_destroy(res);
	}
}
END_TEST

/* A worker that fails every task it takes: its tasks fail, the queue
 * still runs each task exactly once. */
START_TEST(test_failing_worker)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int rc;

	o.kernel = "broken-worker";
	o.tasks = 12;
	rc = perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res);
	ck_assert(rc == 0 || rc == -EIO); /* the last rank may take none */
	check_agreed(rc, rc, "");
	if (rank != 0)
		return;
	ck_assert_uint_eq(perfkit_results_count(res), 12);
	for (size_t i = 0; i < 12; i++) {
		const struct perfkit_record *r = at(res, i);

		ck_assert_int_eq(param_long(r, "task"), (long)i);
		ck_assert_int_eq(r->status, r->rank == nranks - 1 ? -EIO : 0);
		if (r->status)
			ck_assert_ptr_nonnull(strstr(extra_of(res, i, "error"),
						     "disk is gone"));
	}
	perfkit_results_destroy(res);
}
END_TEST

/* Rank 0's stop request: no task handed out, every task recorded. */
START_TEST(test_cancelled)
{
	static volatile sig_atomic_t stop = 1;
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	o.kernel = "tiny";
	o.tasks = 5;
	o.cancel = &stop;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -ECANCELED,
		     "5 of 5 tasks failed");
	if (rank != 0)
		return;
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(at(res, i)->status, -ECANCELED);
		ck_assert_int_eq(at(res, i)->worker, -1);
		ck_assert_str_eq(extra_of(res, i, "error"), "cancelled before it was taken");
	}
	perfkit_results_destroy(res);
}
END_TEST

/* A size the I/O kernel refuses before allocating: every task fails
 * alone with the kernel's reason, every rank returns the same code. */
START_TEST(test_huge_size)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int rc;

	o.kernel = "write-binary";
	o.problem_size = INT64_MAX;
	o.tasks = 3;
	rc = perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res);
	ck_assert_int_lt(rc, 0);
	check_agreed(rc, rc, "3 of 3 tasks failed");
	if (rank != 0)
		return;
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(at(res, i)->status, rc);
		ck_assert_uint_eq(at(res, i)->repetitions, 0);
		ck_assert_ptr_nonnull(strstr(extra_of(res, i, "error"), "setup: "));
	}
	perfkit_results_destroy(res);
}
END_TEST

/* A communicator of one rank runs every task itself. */
START_TEST(test_one_rank)
{
	for (int d = 0; d < 2; d++) {
		struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
		struct perfkit_results *res = NULL;

		o.kernel = "tiny";
		o.tasks = 6;
		o.distribution = (enum perfkit_mpi_tasks)d;
		ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_SELF, &o, &res), 0);
		check_tasks(res, 6, o.distribution, 1);
		perfkit_results_destroy(res);
	}
}
END_TEST

START_TEST(test_bad_options)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = (void *)&o;
	static const int64_t bad[] = { 4, 0, 4 };

	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, NULL, &res), -EINVAL, "opt is NULL");
	ck_assert_ptr_null(res);
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, NULL), -EINVAL, "out is NULL");
	o.tasks = 0;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "tasks must be");
	o.tasks = PERFKIT_QUEUE_TASKS_MAX + 1;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "tasks must be");
	o.tasks = UINT64_MAX;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "tasks must be");
	o.tasks = 3;
	o.repetitions = 0;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "repetitions");
	o.repetitions = 1;
	o.kernel = "no-such-kernel";
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "unknown kernel");
	o.kernel = NULL;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "unknown kernel");
	o.kernel = "tiny";
	o.sizes = bad;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "task 1 has problem size 0");
	o.sizes = NULL;
	o.problem_size = -5;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "problem size -5");
	o.problem_size = 4;
	o.distribution = (enum perfkit_mpi_tasks)7;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "distribution 7");
	o.distribution = PERFKIT_MPI_TASKS_QUEUE;
	o.size = 8;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "opt->size");
	ck_assert_int_eq(perfkit_mpi_queue_run(MPI_COMM_NULL, &o, &res), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_queue_options_init(NULL), -EINVAL);
	ck_assert_ptr_null(perfkit_mpi_tasks_name((enum perfkit_mpi_tasks)9));
	ck_assert_str_eq(perfkit_mpi_tasks_name(PERFKIT_MPI_TASKS_QUEUE), "mpi-queue");
	ck_assert_str_eq(perfkit_mpi_tasks_name(PERFKIT_MPI_TASKS_SCATTER), "mpi-scatter");
}
END_TEST

/* One rank alone refuses, or passes other options than rank 0. */
START_TEST(test_bad_on_one_rank)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	ck_assert_int_eq(perfkit_mpi_queue_options_init(&o), 0);
	o.kernel = "tiny";
	if (rank == nranks - 1)
		o.tasks = 0;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "tasks must be");
	o.tasks = rank == nranks - 1 ? 9 : 8;
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "differ from rank 0's");
	o.tasks = 8;
	if (rank == nranks - 1)
		o.kernel = "write-binary";
	check_agreed(perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "differ from rank 0's");
	ck_assert_ptr_null(res);
}
END_TEST

/* ---- write-hdf5-mpi ---- */

#ifdef PERFKIT_HAVE_HDF5_MPI
/* Read every dataset back with the HDF5 API (serially, on rank 0). */
static void read_back(const char *path, uint64_t files, int64_t n)
{
	hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	double *got = malloc((size_t)(n * n) * sizeof(double));
	H5G_info_t info;

	ck_assert(f >= 0);
	ck_assert_ptr_nonnull(got);
	ck_assert(H5Gget_info(f, &info) >= 0);
	ck_assert_uint_eq(info.nlinks, files);
	for (uint64_t i = 0; i < files; i++) {
		char name[32];
		hsize_t dims[2];
		hid_t d, s;

		snprintf(name, sizeof(name), "data%05llu", (unsigned long long)i);
		d = H5Dopen2(f, name, H5P_DEFAULT);
		ck_assert_msg(d >= 0, "no dataset %s", name);
		s = H5Dget_space(d);
		ck_assert_int_eq(H5Sget_simple_extent_dims(s, dims, NULL), 2);
		ck_assert_uint_eq(dims[0], (hsize_t)n);
		ck_assert_uint_eq(dims[1], (hsize_t)n);
		ck_assert(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
		for (int64_t k = 0; k < n * n; k++) {
			double half = (double)(n / 2), x = (double)(k % n) - half;
			double y = (double)(k / n) + 500.0 - half;
			double want = 1.0 + 0.5 * sin(0.1 * x + 0.01 * (double)i) * cos(0.1 * y);

			ck_assert_msg(fabs(got[k] - want) < 1e-15, "%s[%lld]", name, (long long)k);
		}
		H5Sclose(s);
		H5Dclose(d);
	}
	H5Fclose(f);
	free(got);
}
#endif

START_TEST(test_write_hdf5_mpi)
{
	struct perfkit_mpi_io_options o = PERFKIT_MPI_IO_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	char dir[] = "/tmp/pk-h5mpi-XXXXXX";
	int rc;

	if (rank == 0)
		ck_assert_ptr_nonnull(mkdtemp(dir));
	MPI_Bcast(dir, sizeof(dir), MPI_CHAR, 0, MPI_COMM_WORLD);
	o.n = 12;
	o.files = 7;
	o.output_dir = dir;
	o.keep_output = 1;
	rc = perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res);
#ifndef PERFKIT_HAVE_HDF5_MPI
	check_agreed(rc, -ENOTSUP, "without parallel HDF5");
	if (rank == 0)
		rmdir(dir);
#else
	check_agreed(rc, 0, "");
	if (rank == 0) {
		double items = 0, bytes = 0;
		char path[256];

		ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks);
		for (int r = 0; r < nranks; r++) {
			const struct perfkit_record *x = at(res, (size_t)r);

			ck_assert_str_eq(x->name, "write-hdf5-mpi");
			ck_assert_int_eq(x->rank, r);
			ck_assert_uint_eq(x->repetitions,
					  7 * (uint64_t)(r + 1) / (uint64_t)nranks -
					  7 * (uint64_t)r / (uint64_t)nranks);
			ck_assert(x->elapsed > 0 && x->elapsed < 60);
			items += x->items;
			bytes += x->bytes;
		}
		ck_assert(items == 7 && bytes == 7 * 8.0 * 144);
		ck_assert_str_eq(meta(res, "io.datasets"), "7");
		snprintf(path, sizeof(path), "%s", meta(res, "io.file"));
		ck_assert_ptr_nonnull(strstr(path, dir));
		read_back(path, 7, 12);
		unlink(path);
		ck_assert_int_eq(rmdir(dir), 0); /* nothing else was left */
		perfkit_results_destroy(res);
	}
	/* not kept: the file and the fresh folder are gone */
	o.output_dir = NULL;
	o.keep_output = 0;
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), 0, "");
	if (rank == 0) {
		struct stat st;

		ck_assert_int_ne(stat(meta(res, "io.file"), &st), 0);
		perfkit_results_destroy(res);
	}
	/* one rank alone */
	o.files = 3;
	ck_assert_int_eq(perfkit_mpi_write_hdf5(MPI_COMM_SELF, &o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 1);
	ck_assert_uint_eq(at(res, 0)->repetitions, 3);
	perfkit_results_destroy(res);
#endif
}
END_TEST

START_TEST(test_write_hdf5_mpi_bad_input)
{
	struct perfkit_mpi_io_options o = PERFKIT_MPI_IO_OPTIONS_INIT;
	struct perfkit_results *res = NULL;

	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, NULL, &res), -EINVAL, "opt is NULL");
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, NULL), -EINVAL, "out is NULL");
	ck_assert_int_eq(perfkit_mpi_write_hdf5(MPI_COMM_NULL, &o, &res), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_io_options_init(NULL), -EINVAL);
#ifdef PERFKIT_HAVE_HDF5_MPI
	o.n = 0;
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -EINVAL, "n must be");
	o.n = INT64_MAX; /* refused before allocating */
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -EINVAL, "n must be");
	o.n = 8;
	o.files = 0;
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -EINVAL, "files must be");
	o.files = 4;
	if (rank == nranks - 1)
		o.files = 5;
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "differ from rank 0's");
	o.files = 4;
	o.output_dir = "/etc/passwd"; /* a file, not a folder */
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -ENOTDIR,
		     "is not a folder");
	o.output_dir = "/no/such/folder";
	check_agreed(perfkit_mpi_write_hdf5(MPI_COMM_WORLD, &o, &res), -ENOENT,
		     "/no/such/folder");
	ck_assert_ptr_null(res);
#endif
}
END_TEST

static Suite *queue_suite(void)
{
	Suite *s = suite_create("mpi-queue");
	TCase *q = tcase_create("queue");
	TCase *io = tcase_create("write-hdf5-mpi");

	tcase_add_test(q, test_queue_every_task_once);
	tcase_add_test(q, test_scatter_every_task_once);
	tcase_add_test(q, test_fewer_tasks_than_ranks);
	tcase_add_test(q, test_queue_write_binary);
	tcase_add_test(q, test_failed_tasks_say_so);
	tcase_add_test(q, test_failing_worker);
	tcase_add_test(q, test_cancelled);
	tcase_add_test(q, test_huge_size);
	tcase_add_test(q, test_one_rank);
	tcase_add_test(q, test_bad_options);
	tcase_add_test(q, test_bad_on_one_rank);
	tcase_add_test(io, test_write_hdf5_mpi);
	tcase_add_test(io, test_write_hdf5_mpi_bad_input);
	suite_add_tcase(s, q);
	suite_add_tcase(s, io);
	return s;
}

int main(int argc, char **argv)
{
	struct perfkit_mpi_queue_options o = PERFKIT_MPI_QUEUE_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int any;

	(void)argc;
	if (pk_mpi_relaunch("test-mpi-queue", argv[0]) != 0)
		return EXIT_FAILURE;
	/* before MPI_Init: refused at once */
	if (perfkit_mpi_queue_run(MPI_COMM_WORLD, &o, &res) != -EINVAL) {
		fprintf(stderr, "test-mpi-queue: not refused before MPI_Init\n");
		return EXIT_FAILURE;
	}
	if (pk_mpi_init("test-mpi-queue", 2, 4, &rank, &nranks) != 0)
		return EXIT_FAILURE;
	if (register_kernels() != 0) {
		fprintf(stderr, "test-mpi-queue: %s\n", perfkit_last_error());
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	any = pk_mpi_run_suite(queue_suite());
	MPI_Finalize();
	return any == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
