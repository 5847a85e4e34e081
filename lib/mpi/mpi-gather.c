/* SPDX-License-Identifier: MIT */
/*
 * Gathering result sets on the root. Each rank serialises its set as JSON
 * Lines (portable across architectures), the root learns every rank's
 * size, clock and host in three MPI_Gather calls, then receives the texts
 * one rank after the other and merges them (mpi-merge.c).
 *
 * Every rank takes every step: a failure (formatting, the root's memory)
 * is agreed on before the next step that depends on it, so nobody waits
 * for a message that will never come.
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
	char *text;  /* this rank's records */
	size_t len;
	int64_t *ints;  /* on the root: HEAD_INTS per rank */
	double *reals;  /* HEAD_REALS per rank */
	char *hosts;    /* HOST_LEN per rank */
	struct pk_mpi_part *parts;
};

static int format_local(struct gather *g, const struct perfkit_results *local)
{
	int rc;

	if (!local)
		return 0;
	if ((rc = perfkit_results_format(local, PERFKIT_FORMAT_JSONL, &g->text, &g->len)))
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
	int64_t ints[HEAD_INTS] = { (int64_t)g->len, mine->status, mine->workers };
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

/* On the root: each part's header, and room for its text. */
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
			p->text = g->text; /* the root's own, taken over */
			g->text = NULL;
			continue;
		}
		p->text = malloc((size_t)p->len + 1);
		if (!p->text)
			return pk_mpi_error(-ENOMEM, "mpi gather: out of memory for "
					    "%lld bytes of rank %d's records",
					    (long long)p->len, r);
		p->text[p->len] = '\0';
	}
	return 0;
}

static void move_texts(struct gather *g)
{
	if (g->rank != g->root) {
		if (g->len > 0)
			MPI_Send(g->text, (int)g->len, MPI_CHAR, g->root,
				 PK_MPI_TAG_RECORDS, g->comm);
		return;
	}
	for (int r = 0; r < g->size; r++)
		if (r != g->root && g->parts[r].len > 0)
			MPI_Recv(g->parts[r].text, (int)g->parts[r].len, MPI_CHAR, r,
				 PK_MPI_TAG_RECORDS, g->comm, MPI_STATUS_IGNORE);
}

static void gather_free(struct gather *g)
{
	for (int r = 0; g->parts && r < g->size; r++) {
		free(g->parts[r].text);
		perfkit_results_destroy(g->parts[r].set);
	}
	free(g->parts);
	free(g->text);
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
	rc = format_local(&g, mine->local);
	if (rc == 0)
		rc = alloc_heads(&g);
	if ((rc = pk_mpi_agree(comm, rc)))
		goto out;
	gather_heads(&g, mine);
	if ((rc = pk_mpi_agree(comm, alloc_parts(&g))))
		goto out;
	move_texts(&g);
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
