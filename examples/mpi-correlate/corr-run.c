/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: one timed run (see corr-run.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "corr-compute.h"
#include "corr-run.h"

/* A rank's buffers; the root's also the packed rows and gathered pairs. */
struct bufs {
	double *mine, *z, *res, *packed, *recv;
	int *rcount, *rdispl, *pcount, *pdispl;
	size_t *first;
};

static void bufs_free(struct bufs *b)
{
	free(b->mine);
	free(b->z);
	free(b->res);
	free(b->packed);
	free(b->recv);
	free(b->rcount);
	free(b->rdispl);
	free(b->pcount);
	free(b->pdispl);
	free(b->first);
}

/* Counts and offsets of rows (in doubles) and of pairs, per rank. */
static int bufs_alloc(struct bufs *b, size_t m, size_t u, int k, int rank)
{
	size_t kk = (size_t)k, off = 0;

	memset(b, 0, sizeof(*b));
	b->mine = malloc((corr_rows_of(m, k, rank) * u + 1) * sizeof(double));
	b->z = malloc(m * u * sizeof(double));
	b->res = malloc((corr_pairs_of(m, k, rank) + 1) * sizeof(double));
	b->rcount = calloc(kk, sizeof(int));
	b->rdispl = calloc(kk, sizeof(int));
	b->pcount = calloc(kk, sizeof(int));
	b->pdispl = calloc(kk, sizeof(int));
	b->first = calloc(kk, sizeof(size_t));
	if (rank == 0) {
		b->packed = malloc(m * u * sizeof(double));
		b->recv = malloc((corr_pairs(m) + 1) * sizeof(double));
	}
	if (!b->mine || !b->z || !b->res || !b->rcount || !b->rdispl || !b->pcount ||
	    !b->pdispl || !b->first || (rank == 0 && (!b->packed || !b->recv)))
		return -1;
	for (int r = 0; r < k; r++) {
		b->first[r] = corr_first_of(m, k, r);
		b->rcount[r] = (int)(corr_rows_of(m, k, r) * u);
		b->rdispl[r] = (int)(b->first[r] * u);
		b->pcount[r] = (int)corr_pairs_of(m, k, r);
		b->pdispl[r] = (int)off;
		off += (size_t)b->pcount[r];
	}
	return 0;
}

/* Rank 0: the rows in rank order, rank r's being r, r + k, ... */
static void pack(const struct corr_data *d, int k, double *packed)
{
	size_t pos = 0;

	for (int r = 0; r < k; r++)
		for (size_t i = (size_t)r; i < d->items; i += (size_t)k)
			memcpy(packed + d->users * pos++, d->x + d->users * i,
			       d->users * sizeof(double));
}

/* This rank's rows against every later row, from all rows @z. */
static void correlate(const struct bufs *b, size_t m, size_t u, int k, int rank)
{
	size_t p = 0, t = 0;

	for (size_t i = (size_t)rank; i < m; i += (size_t)k, t++) {
		const double *zi = b->z + u * (b->first[rank] + t);

		for (size_t j = i + 1; j < m; j++)
			b->res[p++] = corr_dot(zi, b->z + u * (b->first[j % (size_t)k] +
							       j / (size_t)k), u);
	}
}

/* Rank 0: the gathered pairs into their places. */
static void unpack(const double *recv, size_t m, int k, double *tri)
{
	size_t q = 0;

	for (int r = 0; r < k; r++)
		for (size_t i = (size_t)r; i < m; i += (size_t)k)
			for (size_t j = i + 1; j < m; j++)
				tri[corr_pair_index(m, i, j)] = recv[q++];
}

int corr_run(MPI_Comm comm, const struct corr_data *d, double *tri, struct corr_run *out)
{
	struct bufs b;
	size_t m = d->items, u = d->users, mine;
	struct timespec ts;
	double t0, busy;
	int rank, k, ok, all_ok;

	MPI_Comm_rank(comm, &rank);
	MPI_Comm_size(comm, &k);
	ok = bufs_alloc(&b, m, u, k, rank) == 0;
	MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm);
	if (!all_ok) {
		if (rank == 0)
			cli_error("out of memory for %zu x %zu ratings on %d ranks", m, u, k);
		bufs_free(&b);
		return -1;
	}
	mine = corr_rows_of(m, k, rank);
	MPI_Barrier(comm);
	clock_gettime(CLOCK_REALTIME, &ts);
	out->t_start = (double)ts.tv_sec + ts.tv_nsec * 1e-9;
	t0 = MPI_Wtime();
	if (rank == 0)
		pack(d, k, b.packed);
	MPI_Scatterv(b.packed, b.rcount, b.rdispl, MPI_DOUBLE, b.mine, b.rcount[rank],
		     MPI_DOUBLE, 0, comm);
	for (size_t t = 0; t < mine; t++)
		corr_standardize(b.mine + t * u, u);
	MPI_Allgatherv(b.mine, b.rcount[rank], MPI_DOUBLE, b.z, b.rcount, b.rdispl,
		       MPI_DOUBLE, comm);
	correlate(&b, m, u, k, rank);
	busy = MPI_Wtime() - t0;
	MPI_Gatherv(b.res, b.pcount[rank], MPI_DOUBLE, b.recv, b.pcount, b.pdispl,
		    MPI_DOUBLE, 0, comm);
	if (rank == 0)
		unpack(b.recv, m, k, tri);
	out->seconds = MPI_Wtime() - t0;
	MPI_Reduce(&busy, &out->rank_min, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
	MPI_Reduce(&busy, &out->rank_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
	out->ranks = k;
	bufs_free(&b);
	return 0;
}
