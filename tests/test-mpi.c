/* SPDX-License-Identifier: MIT */
/*
 * libperfkit-mpi on real MPI ranks: the gathered harness run, staggered
 * starts, clock offsets, gathering user sets, sub-communicators, and the
 * faults (bad options on every rank or on one, a rank whose workers fail,
 * NULL arguments): every rank must return the same error and nobody may
 * hang.
 *
 * Run by meson as a plain program: it then starts itself under
 * $PERFKIT_TEST_MPIEXEC (e.g. "mpirun --oversubscribe -np 3"), each rank
 * behind $PERFKIT_TEST_MPI_WRAPPER if set (the valgrind setup puts
 * valgrind there, so that valgrind checks the ranks and not mpirun).
 * Check must not fork after MPI_Init: the suite runs with CK_NOFORK.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pk-mpi-check.h"
#include "pk-results-check.h"
#include "perfkit/perfkit.h"
#include "perfkit/mpi.h"


static int rank, nranks;

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Small and quick: 2 workers per rank of a short triad, twice. */
static struct perfkit_harness_options small(void)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;

	o.kernel = "triad";
	o.problem_size = 1000;
	o.loopcount = 2;
	o.workers = 2;
	o.placement = PERFKIT_HARNESS_PLACE_NONE; /* 3 ranks share 2 cores */
	return o;
}

static double meta_rank(const struct perfkit_results *res, int r, const char *what)
{
	char key[64];

	snprintf(key, sizeof(key), "mpi.rank.%d.%s", r, what);
	return atof(meta(res, key));
}

static const char *value(const struct perfkit_results *res, size_t i, const char *key)
{
	static char buf[512];

	ck_assert_msg(perfkit_results_value(res, i, key, buf, sizeof(buf)) == 0,
		      "record %zu has no %s", i, key);
	return buf;
}

/* ---- the gathered run ---- */

struct counts {
	unsigned progress, submits;
};

static void on_progress(const struct perfkit_harness_progress *p, void *userdata)
{
	(void)p;
	((struct counts *)userdata)->progress++;
}

static void on_submit(void *userdata)
{
	((struct counts *)userdata)->submits++;
}

static void check_record_times(const struct perfkit_record *r)
{
	ck_assert(isfinite(r->t_submit) && isfinite(r->t_collected));
	ck_assert(r->t_submit <= r->t_start && r->t_start <= r->t_setup);
	ck_assert(r->t_setup <= r->t_end && r->t_end <= r->t_collected);
}

/* Record times, as Unix ns on rank 0's clock, lie between what each rank
 * read just before and just after the call (ranks share this host's
 * clock; the slack covers the offset estimate). */
static void check_one_epoch(const struct perfkit_results *res, const int64_t *window)
{
	int64_t epoch = perfkit_results_epoch_ns(res);

	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);
		double unc = meta_rank(res, r->rank, "clock_uncertainty_s");
		double slack = 1e-3 + unc;
		double sub = (double)(window[2 * r->rank] - epoch) * 1e-9 - slack;
		double col = (double)(window[2 * r->rank + 1] - epoch) * 1e-9 + slack;

		ck_assert_msg(r->t_submit >= sub && r->t_collected <= col,
			      "rank %d: record [%.6f, %.6f] outside the call [%.6f, %.6f]",
			      r->rank, r->t_submit, r->t_collected, sub, col);
	}
}

static void check_gathered(const struct perfkit_results *res, const int64_t *window)
{
	struct perfkit_harness_summary s;
	double flops = 0;
	char list[64] = "";

	ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks * 2);
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);

		ck_assert_int_eq(r->rank, (int)i / 2);
		ck_assert_int_eq(r->worker, (int)i);
		ck_assert_str_eq(value(res, i, "local_worker"), i % 2 ? "1" : "0");
		ck_assert_int_eq(r->status, 0);
		ck_assert_str_ne(r->host, "");
		check_record_times(r);
		flops += r->flops;
	}
	check_one_epoch(res, window);
	for (int q = 0; q < nranks; q++) {
		ck_assert(fabs(meta_rank(res, q, "clock_offset_s")) < 1.0);
		ck_assert(meta_rank(res, q, "clock_uncertainty_s") >= 0);
		ck_assert(meta_rank(res, q, "workers") == 2);
		ck_assert(meta_rank(res, q, "status") == 0);
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s2", q ? "," : "");
	}
	ck_assert(meta_rank(res, 0, "clock_offset_s") == 0);
	ck_assert_int_eq(atoi(meta(res, "mpi.ranks")), nranks);
	ck_assert_str_eq(meta(res, "mpi.workers_per_rank"), list);
	ck_assert_str_ne(meta(res, "mpi.library"), "");
	ck_assert_int_eq(atoi(meta(res, "harness.workers")), 2 * nranks);
	ck_assert_str_eq(meta(res, "harness.kernel"), "triad");
	/* the harness's aggregates over every rank */
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_uint_eq(s.workers, (size_t)nranks * 2);
	ck_assert_uint_eq(s.failed, 0);
	ck_assert(s.flops == flops);
	ck_assert(isfinite(s.effective_gflops) && s.effective_gflops > 0);
	ck_assert_close(s.effective_gflops, s.flops / s.span * 1e-9, 1e-12);
}

START_TEST(test_run_gathers_every_rank)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = (struct perfkit_results *)&res;
	struct counts n = { 0 };
	int64_t mine[2], *window = calloc(2 * (size_t)nranks, sizeof(int64_t));

	o.progress = on_progress;
	o.before_submit = on_submit;
	o.userdata = &n;
	mine[0] = realtime_ns();
	ck_assert_int_eq(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), 0);
	mine[1] = realtime_ns();
	MPI_Gather(mine, 2, MPI_INT64_T, window, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
	/* the caller's callbacks still see this rank's run */
	ck_assert_uint_eq(n.progress, 2);
	ck_assert_uint_eq(n.submits, 1);
	if (rank == 0) {
		ck_assert_ptr_nonnull(res);
		check_gathered(res, window);
	} else {
		ck_assert_ptr_null(res);
	}
	perfkit_results_destroy(res);
	free(window);
}
END_TEST

/* The gathered set written and read back keeps ranks, workers, times. */
START_TEST(test_run_written_and_read_back)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = NULL, *back = NULL;
	char path[] = "/tmp/perfkit-test-mpi-XXXXXX.json";
	int fd;

	o.workers = 1;
	ck_assert_int_eq(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), 0);
	if (rank != 0)
		return;
	fd = mkstemps(path, 5);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), 0);
	unlink(path);
	ck_assert_uint_eq(perfkit_results_count(back), (size_t)nranks);
	ck_assert_int_eq(perfkit_results_epoch_ns(back), perfkit_results_epoch_ns(res));
	for (size_t i = 0; i < (size_t)nranks; i++) {
		ck_assert_int_eq(at(back, i)->rank, (int)i);
		ck_assert_int_eq(at(back, i)->worker, (int)i);
		ck_assert(at(back, i)->t_end == at(res, i)->t_end);
		ck_assert_str_eq(value(back, i, "local_worker"), "0");
	}
	ck_assert_str_eq(meta(back, "mpi.ranks"), meta(res, "mpi.ranks"));
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_run_staggered_across_ranks)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = NULL;

	o.workers = 1;
	o.start = PERFKIT_HARNESS_START_STAGGERED;
	o.stagger = 0.002;
	ck_assert_int_eq(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), 0);
	if (rank == 0) {
		ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks);
		ck_assert_str_eq(meta(res, "harness.start"), "staggered");
		for (size_t i = 0; i < perfkit_results_count(res); i++)
			check_record_times(at(res, i));
	}
	perfkit_results_destroy(res);
}
END_TEST

/* Even and odd ranks each run on their own communicator; each group's
 * first rank gets its group's records. */
START_TEST(test_run_on_sub_communicator)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = NULL;
	MPI_Comm half;
	int sub, subsize;

	MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &half);
	MPI_Comm_rank(half, &sub);
	MPI_Comm_size(half, &subsize);
	o.workers = 1;
	ck_assert_int_eq(perfkit_mpi_harness_run(half, &o, &res), 0);
	if (sub == 0) {
		ck_assert_uint_eq(perfkit_results_count(res), (size_t)subsize);
		for (int i = 0; i < subsize; i++)
			ck_assert_int_eq(at(res, (size_t)i)->rank, i);
	} else {
		ck_assert_ptr_null(res);
	}
	perfkit_results_destroy(res);
	MPI_Comm_free(&half);
}
END_TEST

/* ---- faults ---- */

START_TEST(test_bad_options_on_every_rank)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = (struct perfkit_results *)&res;

	o.problem_size = 0;
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
			"rank 0 of ");
	ck_assert_msg(strstr(perfkit_last_error(), "problem size 0"), "%s",
		      perfkit_last_error());
	ck_assert_ptr_null(res);
}
END_TEST

START_TEST(test_bad_options_on_one_rank)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = (struct perfkit_results *)&res;
	char text[32];

	if (rank == nranks - 1)
		o.kernel = "no-such-kernel";
	snprintf(text, sizeof(text), "rank %d of %d: ", nranks - 1, nranks);
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), -EINVAL, text);
	ck_assert_msg(strstr(perfkit_last_error(), "unknown kernel 'no-such-kernel'"),
		      "%s", perfkit_last_error());
	ck_assert_ptr_null(res);
}
END_TEST

START_TEST(test_null_arguments)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = (struct perfkit_results *)&res;
	struct perfkit_results *local = NULL;
	double off, unc;

	/* nothing to talk on: at once, on every rank alike */
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_NULL, &o, &res), -EINVAL,
			"MPI_COMM_NULL");
	ck_assert_fails(perfkit_mpi_clock_offset(MPI_COMM_NULL, 0, &off, &unc), -EINVAL,
			"MPI_COMM_NULL");
	ck_assert_fails(perfkit_mpi_results_gather(MPI_COMM_NULL, NULL, 0, &res), -EINVAL,
			"MPI_COMM_NULL");
	/* NULL on every rank, then on one rank only: agreed everywhere */
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_WORLD, NULL, &res), -EINVAL,
			"opt is NULL");
	ck_assert_ptr_null(res);
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, rank == 1 ? NULL : &res),
			-EINVAL, "rank 1 of ");
	ck_assert_msg(strstr(perfkit_last_error(), "out is NULL"), "%s", perfkit_last_error());
	ck_assert_fails(perfkit_mpi_clock_offset(MPI_COMM_WORLD, 0, rank == 2 ? NULL : &off, &unc),
			-EINVAL, "offset is NULL");
	ck_assert_fails(perfkit_mpi_clock_offset(MPI_COMM_WORLD, 0, &off, NULL), -EINVAL,
			"uncertainty is NULL");
	ck_assert_int_eq(perfkit_results_new(&local), 0);
	ck_assert_fails(perfkit_mpi_results_gather(MPI_COMM_WORLD, rank == 0 ? NULL : local, 0,
						   &res), -EINVAL, "local is NULL");
	ck_assert_fails(perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 0, NULL), -EINVAL,
			"out is NULL");
	perfkit_results_destroy(local);
}
END_TEST

START_TEST(test_bad_root)
{
	struct perfkit_results *local = NULL, *res = NULL;
	double off, unc;

	ck_assert_int_eq(perfkit_results_new(&local), 0);
	ck_assert_fails(perfkit_mpi_clock_offset(MPI_COMM_WORLD, -1, &off, &unc), -EINVAL,
			"root -1 is not a rank");
	ck_assert_fails(perfkit_mpi_clock_offset(MPI_COMM_WORLD, nranks, &off, &unc), -EINVAL,
			"is not a rank");
	ck_assert_fails(perfkit_mpi_results_gather(MPI_COMM_WORLD, local, nranks, &res),
			-EINVAL, "is not a rank");
	ck_assert_ptr_null(res);
	perfkit_results_destroy(local);
}
END_TEST

/* A user kernel whose setup fails on one rank only. */
static int fault_setup(int64_t size, const struct perfkit_kernel_options *o,
		       void *userdata, void **state)
{
	(void)size, (void)o, (void)userdata;
	if (rank == 1)
		return -ENOSPC;
	*state = calloc(1, sizeof(double));
	return *state ? 0 : -ENOMEM;
}

static int fault_run(void *state, uint64_t reps)
{
	for (uint64_t r = 0; r < reps; r++)
		*(double *)state += 1.0;
	return 0;
}

static double fault_flops(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)size;
}

START_TEST(test_one_rank_fails_setup)
{
	static const struct perfkit_kernel_ops ops = {
		.size = sizeof(ops), .name = "mpi-test-fault",
		.setup = fault_setup, .run = fault_run, .teardown = free,
		.flops = fault_flops,
	};
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;
	const struct perfkit_kernel *k;

	if (perfkit_kernel_find(ops.name, &k) != 0)
		ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), 0);
	o.kernel = ops.name;
	o.problem_size = 10;
	ck_assert_fails(perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res), -ENOSPC,
			"rank 1 of ");
	ck_assert_msg(strstr(perfkit_last_error(), "2 of 2 workers failed"), "%s",
		      perfkit_last_error());
	if (rank != 0) {
		ck_assert_ptr_null(res);
		return;
	}
	/* rank 0 still has everything: the failed records say why */
	ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks * 2);
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);

		ck_assert_int_eq(r->status, r->rank == 1 ? -ENOSPC : 0);
		if (r->rank == 1)
			ck_assert_msg(strstr(value(res, i, "error"), "setup: kernel 'mpi-test-fault'"),
				      "%s", value(res, i, "error"));
	}
	ck_assert(meta_rank(res, 1, "status") == -ENOSPC);
	ck_assert(meta_rank(res, 0, "status") == 0);
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_uint_eq(s.failed, 2);
	ck_assert(s.flops == (double)(nranks - 1) * 2 * 2 * 10);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- clock offsets and gathering user sets ---- */

START_TEST(test_clock_offset)
{
	for (int root = 0; root < nranks; root += nranks - 1) {
		double off = NAN, unc = NAN;

		ck_assert_int_eq(perfkit_mpi_clock_offset(MPI_COMM_WORLD, root, &off, &unc), 0);
		if (rank == root) {
			ck_assert(off == 0 && unc == 0);
		} else {
			/* one host, one clock: about 0 */
			ck_assert(isfinite(off) && fabs(off) < 1.0);
			ck_assert(isfinite(unc) && unc >= 0);
		}
	}
}
END_TEST

/* Each rank's own set: epoch shifted by rank seconds, two workers and a
 * record that is not a worker's, an extra column. */
static struct perfkit_results *user_set(void)
{
	struct perfkit_results *set = NULL;
	struct perfkit_record rec;

	ck_assert_int_eq(perfkit_results_new(&set), 0);
	ck_assert_int_eq(perfkit_results_set_epoch_ns(set, perfkit_results_epoch_ns(set) +
						       (int64_t)rank * 1000000000), 0);
	ck_assert_int_eq(perfkit_results_meta_set(set, "who", rank ? "other" : "root0"), 0);
	for (int w = -1; w < 2; w++) {
		perfkit_record_init(&rec);
		perfkit_record_set_name(&rec, "mine");
		rec.worker = w;
		rec.t_submit = 0.5 + w;
		rec.t_end = 2.0 + w;
		rec.flops = 100;
		rec.elapsed = 1;
		ck_assert_int_eq(perfkit_results_append(set, &rec), 0);
	}
	ck_assert_int_eq(perfkit_results_extra_set(set, 0, "note", rank ? "b" : "a"), 0);
	return set;
}

START_TEST(test_results_gather)
{
	struct perfkit_results *local = user_set(), *res = (struct perfkit_results *)&res;
	int root = nranks - 1;
	int64_t *epochs = calloc((size_t)nranks, sizeof(int64_t)), mine;

	mine = perfkit_results_epoch_ns(local);
	MPI_Gather(&mine, 1, MPI_INT64_T, epochs, 1, MPI_INT64_T, root, MPI_COMM_WORLD);
	ck_assert_int_eq(perfkit_mpi_results_gather(MPI_COMM_WORLD, local, root, &res), 0);
	if (rank != root) {
		ck_assert_ptr_null(res);
		goto out;
	}
	ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks * 3);
	ck_assert_int_eq(perfkit_results_epoch_ns(res), epochs[root]);
	ck_assert_str_eq(meta(res, "who"), "other"); /* the root's metadata */
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);
		int q = (int)i / 3, w = (int)i % 3 - 1;
		double by = (double)(epochs[q] - epochs[root]) * 1e-9 +
			    meta_rank(res, q, "clock_offset_s");

		ck_assert_int_eq(r->rank, q);
		ck_assert_int_eq(r->worker, w < 0 ? -1 : 2 * q + w);
		ck_assert_str_ne(r->host, ""); /* the processor name */
		ck_assert_close(r->t_submit, 0.5 + w + by, 1e-9);
		ck_assert_close(r->t_end, 2.0 + w + by, 1e-9);
		ck_assert(isnan(r->t_start));
		if (w < 0)
			ck_assert_str_eq(value(res, i, "note"), q ? "b" : "a");
		else
			ck_assert_int_eq(atoi(value(res, i, "local_worker")), w);
	}
	ck_assert(meta_rank(res, 0, "records") == 3);
out:
	perfkit_results_destroy(res == (struct perfkit_results *)&res ? NULL : res);
	perfkit_results_destroy(local);
	free(epochs);
}
END_TEST

/* ---- the binary form: everything a record carries, and refusals ---- */

#define MANY 40    /* records per rank */
#define EXTRAS 12  /* extra columns on most of them */
#define LONG 3000  /* bytes of the longest extra value */

/* Text of @len bytes that writers quote: commas, quotes, a newline, UTF-8. */
static void awkward(char *buf, size_t len, int seed)
{
	static const char pieces[] = ",\"\n\\\t' \xc3\xa9\xe2\x82\xac";

	for (size_t k = 0; k < len; k++)
		buf[k] = k % 7 == 3 ? pieces[(k + (size_t)seed) % (sizeof(pieces) - 1)] :
			 (char)('a' + (k + (size_t)seed) % 26);
	/* never end inside a UTF-8 sequence, never hold a NUL */
	for (size_t k = 0; k < len; k++)
		if ((unsigned char)buf[k] >= 0x80)
			buf[k] = 'x';
	buf[len] = '\0';
}

/* Record @i of rank @q's set, as built and as expected back. */
static void full_record(struct perfkit_record *rec, int q, int i)
{
	char text[PERFKIT_RECORD_NAME_MAX + 1];

	perfkit_record_init(rec);
	awkward(text, PERFKIT_RECORD_NAME_MAX, q * 100 + i);
	perfkit_record_set_name(rec, text);
	awkward(text, PERFKIT_RECORD_HOST_MAX, q * 100 + i + 1);
	perfkit_record_set_host(rec, i % 5 == 0 ? "" : text);
	rec->worker = i % 4 == 0 ? -1 : i;
	rec->cpu = i;
	rec->status = i % 3 ? 0 : -ENOSPC;
	rec->repetitions = UINT64_MAX - (uint64_t)i;
	rec->problem_size = -(int64_t)i * 1000003;
	rec->flops = 1.0 / 3 * (i + 1);
	rec->bytes = 1e300 * (q + 1);
	rec->items = -0.0;
	rec->elapsed = 0.1 + i;
	for (int k = 0; k < PERFKIT_RECORD_PARAMS_MAX; k++) {
		char key[PERFKIT_RECORD_PARAM_KEY_MAX + 1];
		char val[PERFKIT_RECORD_PARAM_VALUE_MAX + 1];

		snprintf(key, sizeof(key), "p%d_%0*d", k, PERFKIT_RECORD_PARAM_KEY_MAX - 3, i);
		awkward(val, PERFKIT_RECORD_PARAM_VALUE_MAX, i + k);
		ck_assert_int_eq(perfkit_record_set_param(rec, key, val), 0);
	}
}

static void full_extra(char *key, size_t klen, char *val, int q, int i, int j)
{
	snprintf(key, klen, "extra_%d", j);
	awkward(val, j == 0 ? 0 : (size_t)(LONG / (j + 1) + q + i), q + i + j);
}

static struct perfkit_results *full_set(void)
{
	struct perfkit_results *set = NULL;
	static char val[LONG + 1];
	char key[32];
	struct perfkit_record rec;

	ck_assert_int_eq(perfkit_results_new(&set), 0);
	awkward(val, LONG, rank);
	ck_assert_int_eq(perfkit_results_meta_set(set, "long", val), 0);
	for (int i = 0; i < MANY; i++) {
		full_record(&rec, rank, i);
		ck_assert_int_eq(perfkit_results_append(set, &rec), 0);
		for (int j = 0; i % 2 == 0 && j < EXTRAS; j++) {
			full_extra(key, sizeof(key), val, rank, i, j);
			ck_assert_int_eq(perfkit_results_extra_set(set, (size_t)i, key, val), 0);
		}
	}
	return set;
}

/* Record @idx of the gathered set is rank @q's record @i; the rank's
 * workers follow @base workers of lower ranks. */
/* An extra column's value of any length (value() has a small buffer). */
static const char *extra(const struct perfkit_results *res, size_t i, const char *key)
{
	for (size_t j = 0; j < perfkit_results_extra_count(res, i); j++) {
		const char *k, *v;

		if (perfkit_results_extra_get(res, i, j, &k, &v) == 0 && strcmp(k, key) == 0)
			return v;
	}
	ck_abort_msg("record %zu has no extra column %s", i, key);
	return NULL;
}

static void check_full(const struct perfkit_results *res, size_t idx, int q, int i,
		       int base)
{
	static char val[LONG + 1];
	const struct perfkit_record *got = at(res, idx);
	struct perfkit_record want;
	char key[32];

	full_record(&want, q, i);
	ck_assert_str_eq(got->name, want.name);
	if (want.host[0])
		ck_assert_str_eq(got->host, want.host);
	ck_assert_int_eq(got->rank, q);
	ck_assert_int_eq(got->worker, want.worker < 0 ? -1 : base + want.worker);
	ck_assert_int_eq(got->cpu, want.cpu);
	ck_assert_int_eq(got->status, want.status);
	ck_assert(got->repetitions == want.repetitions);
	ck_assert(got->problem_size == want.problem_size);
	ck_assert(memcmp(&got->flops, &want.flops, sizeof(double)) == 0);
	ck_assert(memcmp(&got->bytes, &want.bytes, sizeof(double)) == 0);
	ck_assert(memcmp(&got->items, &want.items, sizeof(double)) == 0); /* -0.0 */
	ck_assert(memcmp(&got->elapsed, &want.elapsed, sizeof(double)) == 0);
	ck_assert(isnan(got->t_start) && isnan(got->t_end));
	ck_assert_uint_eq(got->nparams, want.nparams);
	for (uint32_t k = 0; k < want.nparams; k++) {
		ck_assert_str_eq(got->params[k].key, want.params[k].key);
		ck_assert_str_eq(got->params[k].value, want.params[k].value);
	}
	ck_assert_uint_eq(perfkit_results_extra_count(res, idx),
			  (i % 2 == 0 ? EXTRAS : 0) + (want.worker >= 0));
	for (int j = 0; i % 2 == 0 && j < EXTRAS; j++) {
		full_extra(key, sizeof(key), val, q, i, j);
		ck_assert_str_eq(extra(res, idx, key), val);
	}
	if (want.worker >= 0)
		ck_assert_int_eq(atoi(value(res, idx, "local_worker")), want.worker);
}

/* Long strings, many extras, every field's extremes: intact on the root. */
START_TEST(test_gather_keeps_everything)
{
	struct perfkit_results *local = full_set(), *res = NULL;
	static char val[LONG + 1];

	ck_assert_int_eq(perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 0, &res), 0);
	if (rank == 0) {
		ck_assert_uint_eq(perfkit_results_count(res), (size_t)nranks * MANY);
		for (int q = 0; q < nranks; q++)
			for (int i = 0; i < MANY; i++)
				check_full(res, (size_t)(q * MANY + i), q, i, q * MANY);
		awkward(val, LONG, 0);
		ck_assert_str_eq(meta(res, "long"), val);
		ck_assert(meta_rank(res, 1, "records") == MANY);
		ck_assert(meta_rank(res, 2, "workers") == MANY);
	}
	perfkit_results_destroy(res);
	perfkit_results_destroy(local);
}
END_TEST

/* Empty sets, and ranks without records among ranks with them. */
START_TEST(test_gather_empty_sets)
{
	struct perfkit_results *local = NULL, *res = NULL;

	ck_assert_int_eq(perfkit_results_new(&local), 0);
	if (rank == 1)
		perfkit_results_destroy(local), local = full_set();
	ck_assert_int_eq(perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 2, &res), 0);
	if (rank == 2) {
		ck_assert_uint_eq(perfkit_results_count(res), MANY);
		for (int i = 0; i < MANY; i++)
			check_full(res, (size_t)i, 1, i, 0);
		ck_assert(meta_rank(res, 0, "records") == 0);
		ck_assert(meta_rank(res, 0, "workers") == 0);
	} else {
		ck_assert_ptr_null(res);
	}
	perfkit_results_destroy(res);
	perfkit_results_destroy(local);
}
END_TEST

#define FORGE "PERFKIT_MPI_TEST_FORGE_WIRE"

/* One rank built otherwise (forged through libperfkit-mpi's test hook):
 * every rank refuses, with a message that names the rank and both forms. */
static void refused_form(int forged, int named, const char *how, const char *mine,
			 const char *root)
{
	struct perfkit_results *local = user_set(), *res = (struct perfkit_results *)&res;
	char text[64];
	int rc;

	if (rank == forged)
		setenv(FORGE, how, 1);
	rc = perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 0, &res);
	unsetenv(FORGE); /* before any assertion can leave */
	perfkit_results_destroy(local);
	snprintf(text, sizeof(text), "rank %d of %d: ", named, nranks);
	ck_assert_int_eq(rc, -ENOTSUP);
	ck_assert_ptr_null(res);
	ck_assert_msg(strstr(perfkit_last_error(), text) && strstr(perfkit_last_error(), mine) &&
		      strstr(perfkit_last_error(), root), "%s", perfkit_last_error());
}

START_TEST(test_gather_refuses_another_form)
{
	char mine[64], root[64];
	const char *order = ((const union { uint32_t u; char c; }){ 1 }).c ?
			    "little-endian" : "big-endian";

	snprintf(root, sizeof(root), "(form 1, %zu-byte records of version %d, %s)",
		 sizeof(struct perfkit_record), PERFKIT_RECORD_VERSION, order);
	snprintf(mine, sizeof(mine), "(form 1, %zu-byte records",
		 sizeof(struct perfkit_record) + 8);
	refused_form(2, 2, "record-size", mine, root);
	refused_form(1, 1, "version", "(form 2, ", root);
	refused_form(1, 1, "byte-order", order[0] == 'l' ? "big-endian)" : "little-endian)",
		     root);
	/* the root forged: the first other rank is the one that differs */
	refused_form(0, 1, "record-size", root, mine);
}
END_TEST

START_TEST(test_run_refuses_another_form)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = (struct perfkit_results *)&res;
	int rc;

	o.workers = 1;
	if (rank == 1)
		setenv(FORGE, "record-size", 1);
	rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res);
	unsetenv(FORGE);
	ck_assert_int_eq(rc, -ENOTSUP);
	ck_assert_ptr_null(res);
	ck_assert_msg(strstr(perfkit_last_error(), "rank 1 of ") &&
		      strstr(perfkit_last_error(), "are not the root's"), "%s",
		      perfkit_last_error());
}
END_TEST

static Suite *mpi_suite(void)
{
	Suite *s = suite_create("mpi");
	TCase *runs = tcase_create("runs");
	TCase *faults = tcase_create("faults");
	TCase *gather = tcase_create("gather");

	tcase_add_test(runs, test_run_gathers_every_rank);
	tcase_add_test(runs, test_run_written_and_read_back);
	tcase_add_test(runs, test_run_staggered_across_ranks);
	tcase_add_test(runs, test_run_on_sub_communicator);
	tcase_add_test(faults, test_bad_options_on_every_rank);
	tcase_add_test(faults, test_bad_options_on_one_rank);
	tcase_add_test(faults, test_null_arguments);
	tcase_add_test(faults, test_bad_root);
	tcase_add_test(faults, test_one_rank_fails_setup);
	tcase_add_test(gather, test_clock_offset);
	tcase_add_test(gather, test_results_gather);
	tcase_add_test(gather, test_gather_keeps_everything);
	tcase_add_test(gather, test_gather_empty_sets);
	tcase_add_test(gather, test_gather_refuses_another_form);
	tcase_add_test(gather, test_run_refuses_another_form);
	suite_add_tcase(s, runs);
	suite_add_tcase(s, faults);
	suite_add_tcase(s, gather);
	return s;
}

/* Outside MPI_Init .. MPI_Finalize every call fails at once with a
 * message (no MPI call but MPI_Initialized and MPI_Finalized is made). */
static int refused_outside_mpi(const char *why)
{
	struct perfkit_harness_options o = small();
	struct perfkit_results *res = NULL, *local = NULL;
	double off, unc;
	int ok = perfkit_results_new(&local) == 0;

	ok = ok && perfkit_mpi_harness_run(MPI_COMM_WORLD, &o, &res) == -EINVAL &&
	     strstr(perfkit_last_error(), why) && !res;
	ok = ok && perfkit_mpi_clock_offset(MPI_COMM_WORLD, 0, &off, &unc) == -EINVAL &&
	     strstr(perfkit_last_error(), why);
	ok = ok && perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 0, &res) == -EINVAL &&
	     strstr(perfkit_last_error(), why);
	if (!ok)
		fprintf(stderr, "test-mpi: MPI %s: not refused as it should: %s\n", why,
			perfkit_last_error());
	perfkit_results_destroy(local);
	return ok;
}

int main(int argc, char **argv)
{
	int any;

	(void)argc;
	if (pk_mpi_relaunch("test-mpi", argv[0]) != 0)
		return EXIT_FAILURE;
	/* before MPI_Init and after MPI_Finalize: refused at once */
	if (!refused_outside_mpi("not initialised"))
		return EXIT_FAILURE;
	if (pk_mpi_init("test-mpi", 3, INT_MAX, &rank, &nranks) != 0)
		return EXIT_FAILURE;
	any = pk_mpi_run_suite(mpi_suite());
	MPI_Finalize();
	if (!refused_outside_mpi("already finalised"))
		any++;
	return any == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
