/* SPDX-License-Identifier: MIT */
/*
 * Gathering result sets on the root. Every rank first checks that it
 * writes the binary form the root reads (mpi-wire.c) and packs its set
 * in it (mpi-pack.c: the records as they lie in memory, plus their
 * strings: no text formatting or parsing); the root learns every rank's
 * size, clock and host in three MPI_Gather calls, then receives the
 * blocks one rank after the other and appends their records to one set
 * (mpi-merge.c).
 *
 * Every rank takes every step: a failure (another format, packing, the
 * root's memory) is agreed on before the next step that depends on it,
 * so nobody waits for a message that will never come.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

enum { HEAD_LEN, HEAD_STATUS, HEAD_WORKERS, HEAD_INTS };
enum { HEAD_OFFSET, HEAD_UNCERTAINTY, HEAD_DRIFT, HEAD_REALS };
#define HOST_LEN (MPI_MAX_PROCESSOR_NAME + 1)

struct gather {
	MPI_Comm comm;
	int rank, size, root;
	char *bytes;  /* this rank's records, packed */
	size_t len;
	int64_t *ints;  /* on the root: HEAD_INTS per rank */
	double *reals;  /* HEAD_REALS per rank */
	char *hosts;    /* HOST_LEN per rank */
	struct pk_mpi_part *parts;
};

/* Worker indices a set's records use: largest + 1. */
static int64_t workers_in(const struct perfkit_results *set)
{
	int64_t n = 0;

	for (size_t i = 0; i < perfkit_results_count(set); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(set, i, &r) == 0 && r->worker >= n)
			n = (int64_t)r->worker + 1;
	}
	return n;
}

/* Collective: the root's binary form against this rank's. */
static int check_form(struct gather *g)
{
	struct pk_mpi_wire_format root_form;

	pk_mpi_wire_format(&root_form);
	MPI_Bcast(&root_form, sizeof(root_form), MPI_BYTE, g->root, g->comm);
	return pk_mpi_wire_check(&root_form);
}

static int pack_local(struct gather *g, const struct perfkit_results *local)
{
	int rc;

	if (!local)
		return 0;
	if ((rc = pk_mpi_pack(local, &g->bytes, &g->len)))
		return rc;
	if (g->len > INT_MAX) /* an MPI count is an int */
		return pk_mpi_error(-ERANGE, "mpi gather: %zu bytes of records on one "
				    "rank: at most %d travel in one message",
				    g->len, INT_MAX);
	return 0;
}

static int alloc_heads(struct gather *g)
{
	size_t n = (size_t)g->size;

	if (g->rank != g->root)
		return 0;
	g->ints = calloc(n * HEAD_INTS, sizeof(*g->ints));
	g->reals = calloc(n * HEAD_REALS, sizeof(*g->reals));
	g->hosts = calloc(n, HOST_LEN);
	g->parts = calloc(n, sizeof(*g->parts));
	if (!g->ints || !g->reals || !g->hosts || !g->parts)
		return pk_mpi_error(-ENOMEM, "mpi gather: out of memory for %d ranks", g->size);
	return 0;
}

static void gather_heads(struct gather *g, const struct pk_mpi_contribution *mine)
{
	int64_t workers = mine->workers >= 0 ? mine->workers :
			  mine->local ? workers_in(mine->local) : 0;
	int64_t ints[HEAD_INTS] = { (int64_t)g->len, mine->status, workers };
	double reals[HEAD_REALS] = { mine->offset, mine->uncertainty, mine->drift };
	char host[HOST_LEN];
	int hl = 0;

	memset(host, 0, sizeof(host));
	MPI_Get_processor_name(host, &hl);
	MPI_Gather(ints, HEAD_INTS, MPI_INT64_T, g->ints, HEAD_INTS, MPI_INT64_T,
		   g->root, g->comm);
	MPI_Gather(reals, HEAD_REALS, MPI_DOUBLE, g->reals, HEAD_REALS, MPI_DOUBLE,
		   g->root, g->comm);
	MPI_Gather(host, HOST_LEN, MPI_CHAR, g->hosts, HOST_LEN, MPI_CHAR, g->root,
		   g->comm);
}

/* On the root: each part's header, and room for its block. */
static int alloc_parts(struct gather *g)
{
	if (g->rank != g->root)
		return 0;
	for (int r = 0; r < g->size; r++) {
		struct pk_mpi_part *p = &g->parts[r];
		const int64_t *in = &g->ints[r * HEAD_INTS];
		const double *re = &g->reals[r * HEAD_REALS];

		p->len = in[HEAD_LEN];
		p->status = in[HEAD_STATUS];
		p->workers = in[HEAD_WORKERS];
		p->offset = re[HEAD_OFFSET];
		p->uncertainty = re[HEAD_UNCERTAINTY];
		p->drift = re[HEAD_DRIFT];
		memcpy(p->host, &g->hosts[(size_t)r * HOST_LEN], HOST_LEN - 1);
		p->host[HOST_LEN - 1] = '\0';
		if (p->len <= 0)
			continue;
		if (r == g->root) {
			p->bytes = g->bytes; /* the root's own, taken over */
			g->bytes = NULL;
			continue;
		}
		p->bytes = malloc((size_t)p->len);
		if (!p->bytes)
			return pk_mpi_error(-ENOMEM, "mpi gather: out of memory for "
					    "%lld bytes of rank %d's records",
					    (long long)p->len, r);
	}
	return 0;
}

static void move_blocks(struct gather *g)
{
	if (g->rank != g->root) {
		if (g->len > 0)
			MPI_Send(g->bytes, (int)g->len, MPI_BYTE, g->root,
				 PK_MPI_TAG_RECORDS, g->comm);
		return;
	}
	for (int r = 0; r < g->size; r++)
		if (r != g->root && g->parts[r].len > 0)
			MPI_Recv(g->parts[r].bytes, (int)g->parts[r].len, MPI_BYTE, r,
				 PK_MPI_TAG_RECORDS, g->comm, MPI_STATUS_IGNORE);
}

static void gather_free(struct gather *g)
{
	for (int r = 0; g->parts && r < g->size; r++)
		free(g->parts[r].bytes);
	free(g->parts);
	free(g->bytes);
	free(g->ints);
	free(g->reals);
	free(g->hosts);
}

int pk_mpi_gather(MPI_Comm comm, const struct pk_mpi_contribution *mine,
		  int root, int harness, struct perfkit_results **out)
{
	struct gather g = { .comm = comm, .root = root };
	int rc;

	*out = NULL;
	MPI_Comm_rank(comm, &g.rank);
	MPI_Comm_size(comm, &g.size);
	rc = check_form(&g);
	if (rc == 0)
		rc = pack_local(&g, mine->local);
	if (rc == 0)
		rc = alloc_heads(&g);
	if ((rc = pk_mpi_agree(comm, rc)))
		goto out;
	gather_heads(&g, mine);
	if ((rc = pk_mpi_agree(comm, alloc_parts(&g))))
		goto out;
	move_blocks(&g);
	if (g.rank == g.root)
		rc = pk_mpi_merge(g.parts, g.size, root, harness, out);
	if ((rc = pk_mpi_agree(comm, rc))) {
		perfkit_results_destroy(*out);
		*out = NULL;
	}
out:
	gather_free(&g);
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_results_gather(MPI_Comm comm,
					      const struct perfkit_results *local,
					      int root, struct perfkit_results **out)
{
	static const char who[] = "mpi_results_gather";
	struct pk_mpi_contribution mine = { .local = local, .workers = -1 };
	MPI_Comm c;
	int rc = pk_mpi_comm_usable(comm, who);

	if (rc)
		return rc;
	if (out)
		*out = NULL;
	if (!local || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !local ? "local" : "out");
	else
		rc = pk_mpi_check_root(comm, root, who);
	MPI_Comm_dup(comm, &c);
	if ((rc = pk_mpi_agree(c, rc)) == 0) {
		pk_mpi_clock_sync(c, root, &mine.offset, &mine.uncertainty);
		rc = pk_mpi_gather(c, &mine, root, 0, out);
	}
	MPI_Comm_free(&c);
	return rc;
}
