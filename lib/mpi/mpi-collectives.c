/* SPDX-License-Identifier: MIT */
/*
 * perfkit_mpi_collective_run(): one collective per message size, timed as
 * the OSU micro-benchmarks time them: every rank times a run of
 * iterations back to back and divides by their count; rank 0 reports the
 * minimum, mean and maximum of these means, and when, on its clock, the
 * first rank started and the last one ended.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

#define ITERS_MAX 1000000

int pk_mpi_coll_options_copy(const struct perfkit_mpi_collective_options *opt,
			     struct perfkit_mpi_collective_options *full);
int pk_mpi_coll_options_check(const struct perfkit_mpi_collective_options *o, int nranks);

struct coll {
	MPI_Comm comm;
	int rank, n;
	struct perfkit_mpi_collective_options o;
	char *send, *recv;
	double offset;    /* this rank's clock against rank 0's, s */
	int64_t epoch_ns; /* rank 0's set's epoch */
};

/* What all ranks measured for one size, on rank 0. */
struct coll_point {
	int64_t bytes;
	uint64_t iters;
	double min, sum, max; /* of the ranks' mean times */
	double slowest;       /* the longest run, s */
	double first, last;   /* start and end, s from the epoch */
};

static void once(struct coll *c, int64_t bytes)
{
	int b = (int)bytes, root = c->o.root;

	switch (c->o.op) {
	case PERFKIT_MPI_BARRIER:
		MPI_Barrier(c->comm);
		break;
	case PERFKIT_MPI_BCAST:
		MPI_Bcast(c->send, b, MPI_BYTE, root, c->comm);
		break;
	case PERFKIT_MPI_SCATTER:
		MPI_Scatter(c->send, b, MPI_BYTE, c->recv, b, MPI_BYTE, root, c->comm);
		break;
	case PERFKIT_MPI_GATHER:
		MPI_Gather(c->send, b, MPI_BYTE, c->recv, b, MPI_BYTE, root, c->comm);
		break;
	case PERFKIT_MPI_REDUCE:
		MPI_Reduce(c->send, c->recv, b / 4, MPI_FLOAT, MPI_SUM, root, c->comm);
		break;
	case PERFKIT_MPI_ALLREDUCE:
		MPI_Allreduce(c->send, c->recv, b / 4, MPI_FLOAT, MPI_SUM, c->comm);
		break;
	case PERFKIT_MPI_ALLTOALL:
		MPI_Alltoall(c->send, b, MPI_BYTE, c->recv, b, MPI_BYTE, c->comm);
		break;
	}
}

static double run(struct coll *c, int64_t bytes, uint64_t iters)
{
	double t0 = pk_mpi_now();

	for (uint64_t i = 0; i < iters; i++)
		once(c, bytes);
	return pk_mpi_now() - t0;
}

/* This rank's CLOCK_REALTIME now, on rank 0's clock, s from the epoch. */
static double on_root_clock(const struct coll *c)
{
	return (double)(pk_mpi_realtime_ns() - c->epoch_ns) * 1e-9 + c->offset;
}

/* Batches of 1, 2, 4, ... iterations until the slowest rank's lasts a
 * tenth of the time wanted (one iteration delayed by the operating system
 * sets no count): that batch's time, *n its iterations. */
static double calibrate(struct coll *c, int64_t bytes, uint64_t *n)
{
	double t;

	for (*n = 1;; *n *= 2) {
		t = run(c, bytes, *n);
		MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, c->comm);
		if (t >= c->o.time / 10 || *n >= ITERS_MAX)
			return t;
	}
}

static void measure(struct coll *c, int64_t bytes, struct coll_point *pt)
{
	double one, t, mean, start, end, mins[2], maxs[3];
	uint64_t n;

	run(c, bytes, c->o.warmup);
	MPI_Barrier(c->comm);
	one = calibrate(c, bytes, &n);
	pt->bytes = bytes;
	pt->iters = pk_mpi_reps_for(c->o.time, one / (double)n, ITERS_MAX);
	MPI_Barrier(c->comm);
	start = on_root_clock(c);
	t = run(c, bytes, pt->iters);
	end = on_root_clock(c);
	mean = t / (double)pt->iters;
	mins[0] = mean;
	mins[1] = start;
	maxs[0] = mean;
	maxs[1] = t;
	maxs[2] = end;
	MPI_Reduce(c->rank ? mins : MPI_IN_PLACE, mins, 2, MPI_DOUBLE, MPI_MIN, 0, c->comm);
	MPI_Reduce(c->rank ? maxs : MPI_IN_PLACE, maxs, 3, MPI_DOUBLE, MPI_MAX, 0, c->comm);
	MPI_Reduce(c->rank ? &mean : MPI_IN_PLACE, &mean, 1, MPI_DOUBLE, MPI_SUM, 0, c->comm);
	pt->min = mins[0];
	pt->first = mins[1];
	pt->max = maxs[0];
	pt->slowest = maxs[1];
	pt->last = maxs[2];
	pt->sum = mean;
}

static int put_real(struct perfkit_results *res, size_t i, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.9g", v);
	return perfkit_results_extra_set(res, i, key, buf);
}

/* Rank 0: the record of one size. */
static int record(const struct coll *c, struct perfkit_results *res,
		  const struct pk_mpi_context *ctx, const struct coll_point *pt)
{
	const char *name = perfkit_mpi_collective_name(c->o.op);
	size_t i = perfkit_results_count(res);
	struct perfkit_record r;
	char ranks[16];
	int rc;

	perfkit_record_init(&r);
	perfkit_record_set_name(&r, name);
	perfkit_record_set_host(&r, pk_mpi_context_host(ctx, 0));
	r.rank = 0;
	r.problem_size = pt->bytes;
	r.repetitions = pt->iters;
	r.items = (double)pt->iters * c->n;
	r.elapsed = pt->slowest;
	r.t_setup = pt->first;
	r.t_end = pt->last;
	snprintf(ranks, sizeof(ranks), "%d", c->n);
	if ((rc = perfkit_results_append(res, &r)) ||
	    (rc = perfkit_results_extra_set(res, i, "op", name)) ||
	    (rc = perfkit_results_extra_set(res, i, "ranks", ranks)) ||
	    (rc = put_real(res, i, "latency_min_s", pt->min)) ||
	    (rc = put_real(res, i, "latency_mean_s", pt->sum / c->n)) ||
	    (rc = put_real(res, i, "latency_max_s", pt->max)))
		return rc;
	return pk_mpi_context_tag_all(res, i, ctx);
}

static int sweep(struct coll *c, struct perfkit_results *res, const struct pk_mpi_context *ctx)
{
	int spread = c->o.op == PERFKIT_MPI_SCATTER || c->o.op == PERFKIT_MPI_GATHER ||
		     c->o.op == PERFKIT_MPI_ALLTOALL;
	size_t len = (size_t)c->o.max_bytes * (size_t)(spread ? c->n : 1);
	struct pk_mpi_sizes sizes = { 0 };
	int rc = c->o.op == PERFKIT_MPI_BARRIER ? pk_mpi_sizes_doubling(0, 0, &sizes)
		 : pk_mpi_sizes_doubling(c->o.min_bytes, c->o.max_bytes, &sizes);

	c->send = calloc(1, len);
	c->recv = calloc(1, len);
	if (rc == 0 && (!c->send || !c->recv))
		rc = pk_mpi_error(-ENOMEM, "mpi_collective_run: out of memory for two "
				  "%zu-byte buffers", len);
	/* a record rank 0 cannot keep stops nothing: the others are in the
	 * next collective */
	if ((rc = pk_mpi_agree(c->comm, rc)) == 0)
		for (size_t s = 0; s < sizes.n; s++) {
			struct coll_point pt;
			int r;

			measure(c, sizes.bytes[s], &pt);
			r = c->rank == 0 ? record(c, res, ctx, &pt) : 0;
			rc = rc ? rc : r;
		}
	free(sizes.bytes);
	free(c->send);
	free(c->recv);
	return rc;
}

static int prepare(struct coll *c, const struct perfkit_mpi_collective_options *opt,
		   struct perfkit_results **out)
{
	static const char who[] = "mpi_collective_run";
	int rc = 0;

	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !opt ? "opt" : "out");
	else if ((rc = pk_mpi_coll_options_copy(opt, &c->o)) == 0)
		rc = pk_mpi_coll_options_check(&c->o, c->n);
	if ((rc = pk_mpi_agree(c->comm, rc)))
		return rc;
	return pk_mpi_agree(c->comm, pk_mpi_same_options(c->comm, &c->o, sizeof(c->o), who));
}

/* Rank 0: each rank's clock offset in the metadata. */
static int meta_offsets(const struct coll *c, struct perfkit_results *res)
{
	double *off = c->rank == 0 ? calloc((size_t)c->n, sizeof(*off)) : NULL;
	int rc = 0;

	if (c->rank == 0 && !off)
		rc = pk_mpi_error(-ENOMEM, "mpi_collective_run: out of memory");
	if ((rc = pk_mpi_agree(c->comm, rc)))
		return rc;
	MPI_Gather(&c->offset, 1, MPI_DOUBLE, off, 1, MPI_DOUBLE, 0, c->comm);
	for (int r = 0; off && r < c->n && rc == 0; r++) {
		char key[64], v[40];

		snprintf(key, sizeof(key), "mpi.rank.%d.clock_offset_s", r);
		snprintf(v, sizeof(v), "%.9g", off[r]);
		rc = perfkit_results_meta_set(res, key, v);
	}
	free(off);
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_collective_run(MPI_Comm comm,
					      const struct perfkit_mpi_collective_options *opt,
					      struct perfkit_results **out)
{
	struct coll c = { 0 };
	struct pk_mpi_context ctx;
	struct perfkit_results *res = NULL;
	double unc;
	int rc = pk_mpi_comm_usable(comm, "mpi_collective_run");

	if (rc)
		return rc;
	if (out)
		*out = NULL;
	MPI_Comm_dup(comm, &c.comm);
	MPI_Comm_rank(c.comm, &c.rank);
	MPI_Comm_size(c.comm, &c.n);
	if ((rc = prepare(&c, opt, out)) || (rc = pk_mpi_context_get(c.comm, &ctx)))
		goto done;
	pk_mpi_clock_sync(c.comm, 0, &c.offset, &unc);
	if (c.rank == 0 && (rc = perfkit_results_new(&res)) == 0)
		rc = pk_mpi_context_meta(res, &ctx);
	c.epoch_ns = perfkit_results_epoch_ns(res);
	MPI_Bcast(&c.epoch_ns, 1, MPI_INT64_T, 0, c.comm);
	if ((rc = pk_mpi_agree(c.comm, rc)) == 0 &&
	    (rc = pk_mpi_agree(c.comm, meta_offsets(&c, res))) == 0)
		rc = pk_mpi_agree(c.comm, sweep(&c, res, &ctx));
	pk_mpi_context_free(&ctx);
	if (rc == 0 && c.rank == 0)
		*out = res;
	else
		perfkit_results_destroy(res);
done:
	MPI_Comm_free(&c.comm);
	return rc;
}
