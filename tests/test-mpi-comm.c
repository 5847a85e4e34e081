/* SPDX-License-Identifier: MIT */
/*
 * libperfkit-mpi's communication benchmarks on real ranks: ping-pong and
 * streaming bandwidth, the collectives, placement of ranks on cores, and
 * agreed results; with bad input (NULL, sizes of 0, negative, too large,
 * options that differ between ranks, a communicator of one rank) every
 * rank must return the same error and nobody may hang.
 *
 * Started as test-mpi is: under $PERFKIT_TEST_MPIEXEC (2 to 4 ranks),
 * each rank behind $PERFKIT_TEST_MPI_WRAPPER if set. CK_NOFORK.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk-mpi-check.h"
#include "pk-results-check.h"
#include "perfkit/perfkit.h"
#include "perfkit/mpi.h"


static int rank, nranks;

static const char *extra(const struct perfkit_results *res, size_t i, const char *key)
{
	static char buf[1024];

	ck_assert_msg(perfkit_results_value(res, i, key, buf, sizeof(buf)) == 0,
		      "record %zu has no %s", i, key);
	return buf;
}

static double extra_num(const struct perfkit_results *res, size_t i, const char *key)
{
	return atof(extra(res, i, key));
}

/* Quick: tiny trials. */
static struct perfkit_mpi_p2p_options quick_p2p(void)
{
	struct perfkit_mpi_p2p_options o = PERFKIT_MPI_P2P_OPTIONS_INIT;

	o.max_bytes = 4096;
	o.trials = 3;
	o.trial_time = 1e-4;
	return o;
}

static struct perfkit_mpi_collective_options quick_coll(enum perfkit_mpi_collective op)
{
	struct perfkit_mpi_collective_options o = PERFKIT_MPI_COLLECTIVE_OPTIONS_INIT;

	o.op = op;
	o.max_bytes = 1024;
	o.time = 1e-4;
	return o;
}

/* The error every rank returned, and its message, are the same. */
static void check_agreed(int rc, int want, const char *says)
{
	int lo = rc, hi = rc;

	MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	ck_assert_int_eq(lo, hi);
	ck_assert_int_eq(rc, want);
	ck_assert_msg(strstr(perfkit_last_error(), says), "message: %s", perfkit_last_error());
}

/* ---- ping-pong ---- */

static void check_pair_context(const struct perfkit_results *res, size_t i)
{
	ck_assert_str_ne(extra(res, i, "mpi_library"), "");
	ck_assert_str_ne(extra(res, i, "host_0"), "");
	ck_assert_str_ne(extra(res, i, "cores_0"), "");
	ck_assert_str_ne(extra(res, i, "host_1"), "");
	ck_assert_str_ne(extra(res, i, "cores_1"), "");
	ck_assert_str_eq(extra(res, i, "same_node"), "yes"); /* one host here */
}

START_TEST(test_pingpong_sizes_and_records)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	static const int64_t want[] = { 0, 1, 2, 4, 5, 7, 8, 11, 13, 16, 19, 29, 32, 35,
					61, 64, 67, 125, 128, 131, 253, 256, 259, 509,
					512, 515, 1021, 1024, 1027, 2045, 2048, 2051,
					4093, 4096 };
	struct perfkit_results *res = NULL;
	const char *v;

	ck_assert_int_eq(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), 0);
	if (rank != 0) {
		ck_assert_ptr_null(res);
		return;
	}
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(perfkit_results_count(res), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);
		double lat = extra_num(res, i, "latency_s");

		ck_assert_str_eq(r->name, "pingpong");
		ck_assert_int_eq(r->problem_size, want[i]);
		ck_assert_uint_eq(r->repetitions % 3, 0);
		ck_assert(r->items == 2.0 * (double)r->repetitions);
		ck_assert(r->bytes == r->items * (double)want[i]);
		ck_assert(isfinite(lat) && lat > 0 && lat < 1.0);
		ck_assert(extra_num(res, i, "latency_median_s") >= lat);
		ck_assert(r->elapsed >= 2 * lat * (double)r->repetitions * 0.999);
		ck_assert(r->t_setup <= r->t_end);
		ck_assert(extra_num(res, i, "bandwidth_MBps") >= 0);
		ck_assert_str_eq(extra(res, i, "trials"), "3");
		check_pair_context(res, i);
	}
	ck_assert_int_eq(perfkit_results_meta_get(res, "mpi.library", &v), 0);
	ck_assert_int_eq(perfkit_results_meta_get(res, "mpi.rank.1.cores", &v), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_pingpong_without_perturbation)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;

	o.min_bytes = 3;
	o.max_bytes = 100;
	o.perturbation = 0;
	ck_assert_int_eq(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), 0);
	if (rank == 0) {
		static const int64_t want[] = { 3, 4, 8, 16, 32, 64, 100 };

		ck_assert_uint_eq(perfkit_results_count(res), 7);
		for (size_t i = 0; i < 7; i++)
			ck_assert_int_eq(at(res, i)->problem_size, want[i]);
	}
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_stream_window)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;

	o.pattern = PERFKIT_MPI_STREAM;
	o.window = 8;
	o.min_bytes = o.max_bytes = 65536;
	ck_assert_int_eq(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), 0);
	if (rank == 0) {
		const struct perfkit_record *r = at(res, 0);
		double bw = extra_num(res, 0, "bandwidth_MBps");

		ck_assert_uint_eq(perfkit_results_count(res), 1);
		ck_assert_str_eq(r->name, "stream");
		ck_assert(r->items == 8.0 * (double)r->repetitions);
		/* positive, and below 10 TB/s: no memory moves that fast */
		ck_assert(bw > 0 && bw < 1e7);
	}
	perfkit_results_destroy(res);
}
END_TEST

/* A pair of ranks other than 0 and 1: a communicator of two. */
START_TEST(test_pingpong_on_a_pair)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;
	MPI_Comm pair;
	int in = rank >= nranks - 2, r;

	MPI_Comm_split(MPI_COMM_WORLD, in, rank, &pair);
	o.max_bytes = 8;
	r = perfkit_mpi_pingpong(pair, &o, &res);
	if (!in) {
		/* the rest: 2 ranks too, or one (a one-rank communicator) */
		if (nranks - 2 >= 2)
			ck_assert_int_eq(r, 0);
		else
			ck_assert_int_eq(r, -EINVAL);
	} else {
		ck_assert_int_eq(r, 0);
		ck_assert((rank == nranks - 2) == (res != NULL));
	}
	perfkit_results_destroy(res);
	MPI_Comm_free(&pair);
}
END_TEST

START_TEST(test_pingpong_one_rank)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = (void *)&o;

	ck_assert_int_eq(perfkit_mpi_pingpong(MPI_COMM_SELF, &o, &res), -EINVAL);
	ck_assert_ptr_null(res);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "one rank"));
}
END_TEST

START_TEST(test_pingpong_bad_options)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;

	o.max_bytes = -1;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "max_bytes -1");
	o = quick_p2p();
	o.max_bytes = PERFKIT_MPI_BYTES_MAX + 1;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "max_bytes");
	o = quick_p2p();
	o.min_bytes = -5;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "min_bytes -5");
	o = quick_p2p();
	o.min_bytes = 8192; /* above max */
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "min_bytes");
	o = quick_p2p();
	o.trials = 0;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "trials 0");
	o = quick_p2p();
	o.trial_time = NAN;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "trial_time");
	o = quick_p2p();
	o.trial_time = 0;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "trial_time");
	o = quick_p2p();
	o.window = 0;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "window 0");
	o = quick_p2p();
	o.perturbation = -3;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "perturbation");
	o = quick_p2p();
	o.pattern = (enum perfkit_mpi_p2p)7;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "pattern 7");
	o = quick_p2p();
	o.size = 3;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, "opt->size");
	ck_assert_ptr_null(res);
}
END_TEST

/* Bad on the last rank only: everyone returns it, naming that rank. */
START_TEST(test_pingpong_bad_on_one_rank)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;
	char want[32];

	if (rank == nranks - 1)
		o.max_bytes = 0, o.min_bytes = 1;
	snprintf(want, sizeof(want), "rank %d of %d", nranks - 1, nranks);
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL, want);
	ck_assert_ptr_null(res);
	/* valid but different: refused as well */
	o = quick_p2p();
	if (rank == nranks - 1)
		o.max_bytes = 2048;
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "differ from rank 0's");
}
END_TEST

START_TEST(test_pingpong_null)
{
	struct perfkit_mpi_p2p_options o = quick_p2p();
	struct perfkit_results *res = NULL;

	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, NULL, &res), -EINVAL, "opt is NULL");
	check_agreed(perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, NULL), -EINVAL, "out is NULL");
	ck_assert_int_eq(perfkit_mpi_pingpong(MPI_COMM_NULL, &o, &res), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_p2p_options_init(NULL), -EINVAL);
	memset(&o, 0xff, sizeof(o));
	ck_assert_int_eq(perfkit_mpi_p2p_options_init(&o), 0);
	ck_assert_int_eq(o.max_bytes, 4 << 20);
	ck_assert_int_eq(o.perturbation, 3);
	ck_assert_uint_eq(o.window, 64);
}
END_TEST

/* ---- collectives ---- */

START_TEST(test_collectives_every_op)
{
	for (int op = 0; op < PERFKIT_MPI_COLLECTIVES; op++) {
		struct perfkit_mpi_collective_options o = quick_coll((enum perfkit_mpi_collective)op);
		struct perfkit_results *res = NULL;
		size_t want = op == PERFKIT_MPI_BARRIER ? 1 : 9; /* 4 .. 1024 */

		o.root = nranks - 1;
		ck_assert_int_eq(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), 0);
		if (rank != 0) {
			ck_assert_ptr_null(res);
			continue;
		}
		ck_assert_uint_eq(perfkit_results_count(res), want);
		for (size_t i = 0; i < want; i++) {
			const struct perfkit_record *r = at(res, i);
			double lo = extra_num(res, i, "latency_min_s");
			double mean = extra_num(res, i, "latency_mean_s");
			double hi = extra_num(res, i, "latency_max_s");
			char n[8];

			ck_assert_str_eq(r->name, perfkit_mpi_collective_name((enum perfkit_mpi_collective)op));
			ck_assert_int_eq(r->problem_size, op == PERFKIT_MPI_BARRIER ? 0 : 4 << i);
			ck_assert(lo > 0 && lo <= mean * (1 + 1e-9) && mean <= hi * (1 + 1e-9));
			ck_assert(r->repetitions >= 1);
			ck_assert(r->items == (double)r->repetitions * nranks);
			ck_assert(r->elapsed >= hi * (double)r->repetitions * 0.999);
			ck_assert(r->t_setup <= r->t_end);
			snprintf(n, sizeof(n), "%d", nranks);
			ck_assert_str_eq(extra(res, i, "ranks"), n);
			ck_assert_str_eq(extra(res, i, "nodes"), "1");
			ck_assert_str_eq(extra(res, i, "same_node"), "yes");
			ck_assert_str_ne(extra(res, i, "mpi_library"), "");
			ck_assert_ptr_nonnull(strchr(extra(res, i, "rank_hosts"), ';'));
			ck_assert_ptr_nonnull(strchr(extra(res, i, "rank_cores"), ';'));
		}
		ck_assert_str_eq(meta(res, "mpi.rank.0.clock_offset_s"), "0");
		perfkit_results_destroy(res);
	}
}
END_TEST

START_TEST(test_collectives_one_rank)
{
	struct perfkit_mpi_collective_options o = quick_coll(PERFKIT_MPI_ALLTOALL);
	struct perfkit_results *res = NULL;

	o.max_bytes = 16;
	ck_assert_int_eq(perfkit_mpi_collective_run(MPI_COMM_SELF, &o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	ck_assert_str_eq(extra(res, 0, "ranks"), "1");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_collectives_bad_options)
{
	struct perfkit_mpi_collective_options o = quick_coll(PERFKIT_MPI_BCAST);
	struct perfkit_results *res = NULL;

	o.min_bytes = 0;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "min_bytes 0");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.min_bytes = -4;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "min_bytes -4");
	o = quick_coll(PERFKIT_MPI_REDUCE);
	o.min_bytes = 6;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "multiple of 4");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.max_bytes = 0;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "max_bytes 0");
	o = quick_coll(PERFKIT_MPI_ALLTOALL);
	o.max_bytes = PERFKIT_MPI_BYTES_MAX; /* times the ranks: too large */
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "more than");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.max_bytes = INT64_MAX;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "max_bytes");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.time = -1;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "time -1");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.time = INFINITY;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "time");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.root = nranks;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "root");
	o = quick_coll((enum perfkit_mpi_collective)PERFKIT_MPI_COLLECTIVES);
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "op 7");
	o = quick_coll(PERFKIT_MPI_BCAST);
	o.warmup = 1000001;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL, "warmup");
	o = quick_coll(PERFKIT_MPI_BCAST);
	if (rank == 1)
		o.root = 1;
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, &res), -EINVAL,
		     "differ from rank 0's");
	ck_assert_ptr_null(res);
}
END_TEST

START_TEST(test_collectives_null_and_names)
{
	struct perfkit_mpi_collective_options o = quick_coll(PERFKIT_MPI_BCAST);
	struct perfkit_results *res = NULL;

	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, NULL, &res), -EINVAL,
		     "opt is NULL");
	check_agreed(perfkit_mpi_collective_run(MPI_COMM_WORLD, &o, NULL), -EINVAL,
		     "out is NULL");
	ck_assert_int_eq(perfkit_mpi_collective_run(MPI_COMM_NULL, &o, &res), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_collective_options_init(NULL), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_collective_options_init(&o), 0);
	ck_assert_int_eq(o.op, PERFKIT_MPI_ALLREDUCE);
	ck_assert_str_eq(perfkit_mpi_collective_name(PERFKIT_MPI_ALLTOALL), "alltoall");
	ck_assert_str_eq(perfkit_mpi_collective_name(PERFKIT_MPI_BARRIER), "barrier");
	ck_assert_ptr_null(perfkit_mpi_collective_name((enum perfkit_mpi_collective)-1));
	ck_assert_ptr_null(perfkit_mpi_collective_name((enum perfkit_mpi_collective)7));
}
END_TEST

/* ---- placement and agreement ---- */

/* Every rank's CPUs, as a set. */
static void own_cpus(cpu_set_t *set)
{
	CPU_ZERO(set);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(*set), set), 0);
}

START_TEST(test_place_splits_or_keeps)
{
	cpu_set_t before, after, *all = calloc((size_t)nranks, sizeof(cpu_set_t));
	enum perfkit_mpi_placement how = (enum perfkit_mpi_placement)-1;
	char cores[PERFKIT_MPI_CORES_MAX];
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int busy = 0;

	ck_assert_ptr_nonnull(all);
	own_cpus(&before);
	ck_assert_int_eq(perfkit_mpi_place(MPI_COMM_WORLD, &how, cores, sizeof(cores)), 0);
	own_cpus(&after);
	ck_assert(how == PERFKIT_MPI_PLACE_KEPT || how == PERFKIT_MPI_PLACE_SPLIT);
	ck_assert_int_gt(CPU_COUNT(&after), 0);
	ck_assert_str_ne(cores, "");
	MPI_Allgather(&after, sizeof(after), MPI_BYTE, all, sizeof(after), MPI_BYTE,
		      MPI_COMM_WORLD);
	/* no two ranks share a CPU while another CPU they had sits idle */
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int users = 0;

		for (int r = 0; r < nranks; r++)
			users += CPU_ISSET(c, &all[r]);
		busy += users > 0;
		if (nranks <= ncpus)
			ck_assert_int_le(users, 1);
	}
	ck_assert_int_eq(busy, nranks < ncpus ? busy : ncpus);
	/* a second call keeps what the first one dealt out */
	ck_assert_int_eq(perfkit_mpi_place(MPI_COMM_WORLD, &how, cores, sizeof(cores)), 0);
	if (nranks <= ncpus)
		ck_assert_int_eq(how, PERFKIT_MPI_PLACE_KEPT);
	/* back as we were, for the other tests */
	ck_assert_int_eq(sched_setaffinity(0, sizeof(before), &before), 0);
	free(all);
}
END_TEST

START_TEST(test_place_bad_input)
{
	char cores[8];

	check_agreed(perfkit_mpi_place(MPI_COMM_WORLD, NULL, NULL, 8), -EINVAL, "cores is NULL");
	check_agreed(perfkit_mpi_place(MPI_COMM_WORLD, NULL, cores, 0), -EINVAL, "len is 0");
	ck_assert_int_eq(perfkit_mpi_place(MPI_COMM_NULL, NULL, cores, 8), -EINVAL);
	/* a short buffer holds a truncated, terminated list */
	ck_assert_int_eq(perfkit_mpi_place(MPI_COMM_SELF, NULL, cores, 2), 0);
	ck_assert_uint_le(strlen(cores), 1);
}
END_TEST

START_TEST(test_agree)
{
	char want[64];

	ck_assert_int_eq(perfkit_mpi_agree(MPI_COMM_WORLD, 0), 0);
	if (rank == nranks - 1)
		perfkit_set_error(-ERANGE, "option -n '0': must be 1 or more");
	snprintf(want, sizeof(want), "rank %d of %d: option -n '0'", nranks - 1, nranks);
	check_agreed(perfkit_mpi_agree(MPI_COMM_WORLD, rank == nranks - 1 ? -ERANGE : 0),
		     -ERANGE, want);
	/* the lowest failing rank wins */
	if (rank >= 1)
		perfkit_set_error(-EIO, "rank-specific %d", rank);
	check_agreed(perfkit_mpi_agree(MPI_COMM_WORLD, rank >= 1 ? -EIO : 0), -EIO,
		     "rank-specific 1");
	ck_assert_int_eq(perfkit_mpi_agree(MPI_COMM_NULL, 0), -EINVAL);
	ck_assert_int_eq(perfkit_mpi_agree(MPI_COMM_SELF, -EDOM), -EDOM);
}
END_TEST

static Suite *comm_suite(void)
{
	Suite *s = suite_create("mpi-comm");
	TCase *p2p = tcase_create("pingpong");
	TCase *coll = tcase_create("collectives");
	TCase *place = tcase_create("place");

	tcase_add_test(p2p, test_pingpong_sizes_and_records);
	tcase_add_test(p2p, test_pingpong_without_perturbation);
	tcase_add_test(p2p, test_stream_window);
	tcase_add_test(p2p, test_pingpong_on_a_pair);
	tcase_add_test(p2p, test_pingpong_one_rank);
	tcase_add_test(p2p, test_pingpong_bad_options);
	tcase_add_test(p2p, test_pingpong_bad_on_one_rank);
	tcase_add_test(p2p, test_pingpong_null);
	tcase_add_test(coll, test_collectives_every_op);
	tcase_add_test(coll, test_collectives_one_rank);
	tcase_add_test(coll, test_collectives_bad_options);
	tcase_add_test(coll, test_collectives_null_and_names);
	tcase_add_test(place, test_place_splits_or_keeps);
	tcase_add_test(place, test_place_bad_input);
	tcase_add_test(place, test_agree);
	suite_add_tcase(s, p2p);
	suite_add_tcase(s, coll);
	suite_add_tcase(s, place);
	return s;
}

int main(int argc, char **argv)
{
	struct perfkit_mpi_p2p_options o = PERFKIT_MPI_P2P_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	int any;

	(void)argc;
	if (pk_mpi_relaunch("test-mpi-comm", argv[0]) != 0)
		return EXIT_FAILURE;
	/* before MPI_Init: refused at once */
	if (perfkit_mpi_pingpong(MPI_COMM_WORLD, &o, &res) != -EINVAL ||
	    perfkit_mpi_agree(MPI_COMM_WORLD, 0) != -EINVAL) {
		fprintf(stderr, "test-mpi-comm: not refused before MPI_Init\n");
		return EXIT_FAILURE;
	}
	if (pk_mpi_init("test-mpi-comm", 2, 4, &rank, &nranks) != 0)
		return EXIT_FAILURE;
	any = pk_mpi_run_suite(comm_suite());
	MPI_Finalize();
	return any == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
