/* SPDX-License-Identifier: MIT */
/*
 * perfkit_mpi_pingpong(): NetPIPE's and the OSU micro-benchmarks' two
 * point-to-point measurements between ranks 0 and 1. Rank 0 times; rank
 * 1 follows the counts rank 0 sends it; other ranks only take part in
 * the checks and the context.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

#define REPS_MAX 1000000

int pk_mpi_p2p_options_copy(const struct perfkit_mpi_p2p_options *opt,
			    struct perfkit_mpi_p2p_options *full);
int pk_mpi_p2p_options_check(const struct perfkit_mpi_p2p_options *o);

struct pp {
	MPI_Comm comm;
	int rank;
	struct perfkit_mpi_p2p_options o;
	char *buf;
	MPI_Request *reqs;
	int64_t epoch_ns;
};

/* One round trip, or one window and its acknowledgement. */
static void once(struct pp *p, int64_t bytes)
{
	int n = (int)bytes, peer = 1 - p->rank, ack = 0;

	if (p->o.pattern == PERFKIT_MPI_PINGPONG) {
		if (p->rank == 0) {
			MPI_Send(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm);
			MPI_Recv(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm,
				 MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm,
				 MPI_STATUS_IGNORE);
			MPI_Send(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm);
		}
		return;
	}
	for (unsigned w = 0; w < p->o.window; w++) {
		if (p->rank == 0)
			MPI_Isend(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm,
				  &p->reqs[w]);
		else
			MPI_Irecv(p->buf, n, MPI_BYTE, peer, PK_MPI_TAG_PINGPONG, p->comm,
				  &p->reqs[w]);
	}
	MPI_Waitall((int)p->o.window, p->reqs, MPI_STATUSES_IGNORE);
	if (p->rank == 0)
		MPI_Recv(&ack, 1, MPI_INT, peer, PK_MPI_TAG_PINGPONG, p->comm, MPI_STATUS_IGNORE);
	else
		MPI_Send(&ack, 1, MPI_INT, peer, PK_MPI_TAG_PINGPONG, p->comm);
}

static double run(struct pp *p, int64_t bytes, uint64_t reps)
{
	double t0 = pk_mpi_now();

	for (uint64_t r = 0; r < reps; r++)
		once(p, bytes);
	return pk_mpi_now() - t0;
}

/* Rank 0 decides, rank 1 learns: the repetitions of a trial. */
static uint64_t agree_reps(struct pp *p, double one)
{
	uint64_t reps = pk_mpi_reps_for(p->o.trial_time, one, REPS_MAX);

	if (p->rank == 0)
		MPI_Send(&reps, 1, MPI_UINT64_T, 1, PK_MPI_TAG_PINGPONG, p->comm);
	else
		MPI_Recv(&reps, 1, MPI_UINT64_T, 0, PK_MPI_TAG_PINGPONG, p->comm,
			 MPI_STATUS_IGNORE);
	return reps;
}

/* Rank 0's @v, on ranks 0 and 1. */
static int from_rank0(struct pp *p, int v)
{
	if (p->rank == 0)
		MPI_Send(&v, 1, MPI_INT, 1, PK_MPI_TAG_PINGPONG, p->comm);
	else
		MPI_Recv(&v, 1, MPI_INT, 0, PK_MPI_TAG_PINGPONG, p->comm, MPI_STATUS_IGNORE);
	return v;
}

/* Batches of 1, 2, 4, ... repetitions until one lasts an eighth of a
 * trial (one slow round trip on a busy machine sets no count); then the
 * repetitions of a trial, from rank 0's time per repetition. */
static uint64_t calibrate(struct pp *p, int64_t bytes)
{
	uint64_t n = 1;
	double t;

	for (;;) {
		t = run(p, bytes, n);
		if (!from_rank0(p, t < p->o.trial_time / 8 && n < REPS_MAX))
			break;
		n *= 2;
	}
	return agree_reps(p, t / (double)n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int put_real(struct perfkit_results *res, size_t i, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.9g", v);
	return perfkit_results_extra_set(res, i, key, buf);
}

/* Rank 0: the record of one size. */
static int record(struct pp *p, struct perfkit_results *res, const struct pk_mpi_context *ctx,
		  int64_t bytes, uint64_t reps, double *t, double t_first, double t_last)
{
	int stream = p->o.pattern == PERFKIT_MPI_STREAM;
	double per = stream ? (double)p->o.window : 2.0, sum = 0, best, median, lat;
	unsigned n = p->o.trials;
	struct perfkit_record r;
	size_t i = perfkit_results_count(res);
	char trials[24];
	int rc;

	for (unsigned k = 0; k < n; k++)
		sum += t[k];
	qsort(t, n, sizeof(*t), cmp_double);
	best = t[0];
	median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	lat = best / (double)reps / per;
	perfkit_record_init(&r);
	perfkit_record_set_name(&r, stream ? "stream" : "pingpong");
	perfkit_record_set_host(&r, pk_mpi_context_host(ctx, 0));
	r.rank = 0;
	r.problem_size = bytes;
	r.repetitions = reps * n;
	r.items = per * (double)reps * n;
	r.bytes = r.items * (double)bytes;
	r.elapsed = sum;
	r.t_setup = t_first;
	r.t_end = t_last;
	snprintf(trials, sizeof(trials), "%u", n);
	if ((rc = perfkit_results_append(res, &r)) ||
	    (rc = put_real(res, i, "latency_s", lat)) ||
	    (rc = put_real(res, i, "latency_median_s", median / (double)reps / per)) ||
	    (rc = put_real(res, i, "bandwidth_MBps", lat > 0 ? (double)bytes / lat / 1e6 : 0)) ||
	    (rc = perfkit_results_extra_set(res, i, "trials", trials)))
		return rc;
	return pk_mpi_context_tag_pair(res, i, ctx);
}

static double since_epoch(const struct pp *p)
{
	return (double)(pk_mpi_realtime_ns() - p->epoch_ns) * 1e-9;
}

/* Ranks 0 and 1: one size, warm-up, count, trials. */
static int measure(struct pp *p, struct perfkit_results *res,
		   const struct pk_mpi_context *ctx, int64_t bytes, double *t)
{
	double first, last;
	uint64_t reps;

	run(p, bytes, p->o.warmup);
	reps = calibrate(p, bytes);
	first = since_epoch(p);
	for (unsigned k = 0; k < p->o.trials; k++)
		t[k] = run(p, bytes, reps);
	last = since_epoch(p);
	return p->rank == 0 ? record(p, res, ctx, bytes, reps, t, first, last) : 0;
}

static int sweep(struct pp *p, struct perfkit_results *res, const struct pk_mpi_context *ctx)
{
	struct pk_mpi_sizes sizes;
	double *t = calloc(p->o.trials, sizeof(*t));
	int rc = t ? pk_mpi_sizes_netpipe(p->o.min_bytes, p->o.max_bytes,
					   p->o.perturbation, &sizes)
		   : pk_mpi_error(-ENOMEM, "mpi_pingpong: out of memory");

	if (!t)
		sizes.bytes = NULL;
	p->buf = malloc((size_t)p->o.max_bytes + 1);
	p->reqs = calloc(p->o.window, sizeof(*p->reqs));
	if (rc == 0 && (!p->buf || !p->reqs))
		rc = pk_mpi_error(-ENOMEM, "mpi_pingpong: out of memory for a %lld-byte "
				  "message", (long long)p->o.max_bytes);
	if (p->buf)
		memset(p->buf, 0x5a, (size_t)p->o.max_bytes + 1);
	/* a record rank 0 cannot keep stops nothing: rank 1 waits for it */
	if ((rc = pk_mpi_agree(p->comm, rc)) == 0 && p->rank < 2)
		for (size_t s = 0; s < sizes.n; s++) {
			int r = measure(p, res, ctx, sizes.bytes[s], t);

			rc = rc ? rc : r;
		}
	free(sizes.bytes);
	free(p->buf);
	free(p->reqs);
	free(t);
	return rc;
}

/* Checked and agreed: every rank's own, then the same as rank 0's. */
static int prepare(struct pp *p, const struct perfkit_mpi_p2p_options *opt,
		   struct perfkit_results **out)
{
	static const char who[] = "mpi_pingpong";
	int n, rc = 0;

	MPI_Comm_size(p->comm, &n);
	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !opt ? "opt" : "out");
	else if (n < 2)
		rc = pk_mpi_error(-EINVAL, "%s: the communicator has one rank: a ping-pong "
				  "needs two", who);
	else if ((rc = pk_mpi_p2p_options_copy(opt, &p->o)) == 0)
		rc = pk_mpi_p2p_options_check(&p->o);
	if ((rc = pk_mpi_agree(p->comm, rc)))
		return rc;
	return pk_mpi_agree(p->comm, pk_mpi_same_options(p->comm, &p->o, sizeof(p->o), who));
}

PERFKIT_EXPORT int perfkit_mpi_pingpong(MPI_Comm comm,
					const struct perfkit_mpi_p2p_options *opt,
					struct perfkit_results **out)
{
	struct pp p = { 0 };
	struct pk_mpi_context ctx;
	struct perfkit_results *res = NULL;
	int rc = pk_mpi_comm_usable(comm, "mpi_pingpong");

	if (rc)
		return rc;
	if (out)
		*out = NULL;
	MPI_Comm_dup(comm, &p.comm);
	MPI_Comm_rank(p.comm, &p.rank);
	if ((rc = prepare(&p, opt, out)) || (rc = pk_mpi_context_get(p.comm, &ctx)))
		goto done;
	if (p.rank == 0 && (rc = perfkit_results_new(&res)) == 0)
		rc = pk_mpi_context_meta(res, &ctx);
	p.epoch_ns = perfkit_results_epoch_ns(res);
	MPI_Bcast(&p.epoch_ns, 1, MPI_INT64_T, 0, p.comm); /* one host's clock */
	if ((rc = pk_mpi_agree(p.comm, rc)) == 0)
		rc = pk_mpi_agree(p.comm, sweep(&p, res, &ctx));
	pk_mpi_context_free(&ctx);
	if (rc == 0 && p.rank == 0)
		*out = res;
	else
		perfkit_results_destroy(res);
done:
	MPI_Comm_free(&p.comm);
	return rc;
}
