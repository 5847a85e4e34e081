/* SPDX-License-Identifier: MIT */
/* Where each rank runs: its host and CPUs and the MPI library, gathered on
 * every rank so that each communication record can say what it measured
 * between. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

/* "0-3,8" from a CPU set; truncated lists end in "...". */
void pk_mpi_cpulist(const cpu_set_t *set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && n < len; c++) {
		int last = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
			last++;
		n += (size_t)snprintf(buf + n, len - n, last > c ? "%s%d-%d" : "%s%d",
				      n ? "," : "", c, last);
		c = last;
	}
	if (n >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

int pk_mpi_cpus_self(char *buf, size_t len)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		snprintf(buf, len, "?");
		return pk_mpi_error(-EIO, "mpi: sched_getaffinity failed");
	}
	pk_mpi_cpulist(&set, buf, len);
	return 0;
}

void pk_mpi_library(char *lib)
{
	int len = 0;

	memset(lib, 0, MPI_MAX_LIBRARY_VERSION_STRING + 1);
	MPI_Get_library_version(lib, &len);
	for (char *c = lib; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	for (size_t n = strlen(lib); n > 0 && lib[n - 1] == ' '; n--)
		lib[n - 1] = '\0';
}

const char *pk_mpi_context_host(const struct pk_mpi_context *ctx, int r)
{
	return ctx->hosts + (size_t)r * PK_MPI_HOST_LEN;
}

const char *pk_mpi_context_cores(const struct pk_mpi_context *ctx, int r)
{
	return ctx->cores + (size_t)r * PERFKIT_MPI_CORES_MAX;
}

static void count_nodes(struct pk_mpi_context *ctx)
{
	ctx->nodes = 0;
	for (int r = 0; r < ctx->nranks; r++) {
		int seen = 0;

		for (int q = 0; q < r && !seen; q++)
			seen = strcmp(pk_mpi_context_host(ctx, q), pk_mpi_context_host(ctx, r)) == 0;
		ctx->nodes += !seen;
	}
}

int pk_mpi_context_get(MPI_Comm comm, struct pk_mpi_context *ctx)
{
	char host[PK_MPI_HOST_LEN], cores[PERFKIT_MPI_CORES_MAX];
	int hl = 0, rc = 0;

	memset(ctx, 0, sizeof(*ctx));
	MPI_Comm_size(comm, &ctx->nranks);
	ctx->hosts = calloc((size_t)ctx->nranks, PK_MPI_HOST_LEN);
	ctx->cores = calloc((size_t)ctx->nranks, PERFKIT_MPI_CORES_MAX);
	if (!ctx->hosts || !ctx->cores)
		rc = pk_mpi_error(-ENOMEM, "mpi: out of memory for %d ranks' context",
				  ctx->nranks);
	if ((rc = pk_mpi_agree(comm, rc))) {
		pk_mpi_context_free(ctx);
		return rc;
	}
	memset(host, 0, sizeof(host));
	memset(cores, 0, sizeof(cores));
	MPI_Get_processor_name(host, &hl);
	pk_mpi_cpus_self(cores, sizeof(cores));
	MPI_Allgather(host, PK_MPI_HOST_LEN, MPI_CHAR, ctx->hosts, PK_MPI_HOST_LEN,
		      MPI_CHAR, comm);
	MPI_Allgather(cores, PERFKIT_MPI_CORES_MAX, MPI_CHAR, ctx->cores,
		      PERFKIT_MPI_CORES_MAX, MPI_CHAR, comm);
	for (int r = 0; r < ctx->nranks; r++) {
		ctx->hosts[(size_t)(r + 1) * PK_MPI_HOST_LEN - 1] = '\0';
		ctx->cores[(size_t)(r + 1) * PERFKIT_MPI_CORES_MAX - 1] = '\0';
	}
	pk_mpi_library(ctx->library);
	count_nodes(ctx);
	return 0;
}

void pk_mpi_context_free(struct pk_mpi_context *ctx)
{
	free(ctx->hosts);
	free(ctx->cores);
	ctx->hosts = ctx->cores = NULL;
}

int pk_mpi_context_meta(struct perfkit_results *res, const struct pk_mpi_context *ctx)
{
	char key[64], n[16];
	int rc;

	snprintf(n, sizeof(n), "%d", ctx->nranks);
	if ((rc = perfkit_results_meta_set(res, "mpi.library", ctx->library)) ||
	    (rc = perfkit_results_meta_set(res, "mpi.ranks", n)))
		return rc;
	for (int r = 0; r < ctx->nranks; r++) {
		snprintf(key, sizeof(key), "mpi.rank.%d.host", r);
		if ((rc = perfkit_results_meta_set(res, key, pk_mpi_context_host(ctx, r))))
			return rc;
		snprintf(key, sizeof(key), "mpi.rank.%d.cores", r);
		if ((rc = perfkit_results_meta_set(res, key, pk_mpi_context_cores(ctx, r))))
			return rc;
	}
	return 0;
}

/* "a;b;c" of one field per rank, in a new string. */
static char *joined(const struct pk_mpi_context *ctx, int cores)
{
	size_t cap = 1, n = 0;
	char *s;

	for (int r = 0; r < ctx->nranks; r++)
		cap += strlen(cores ? pk_mpi_context_cores(ctx, r) : pk_mpi_context_host(ctx, r)) + 1;
	if (!(s = malloc(cap)))
		return NULL;
	s[0] = '\0';
	for (int r = 0; r < ctx->nranks; r++)
		n += (size_t)snprintf(s + n, cap - n, "%s%s", r ? ";" : "",
				      cores ? pk_mpi_context_cores(ctx, r) : pk_mpi_context_host(ctx, r));
	return s;
}

int pk_mpi_context_tag_all(struct perfkit_results *res, size_t i,
			   const struct pk_mpi_context *ctx)
{
	char *hosts = joined(ctx, 0), *cores = joined(ctx, 1), n[16];
	int rc = -ENOMEM;

	if (hosts && cores) {
		snprintf(n, sizeof(n), "%d", ctx->nodes);
		if ((rc = perfkit_results_extra_set(res, i, "mpi_library", ctx->library)) == 0 &&
		    (rc = perfkit_results_extra_set(res, i, "nodes", n)) == 0 &&
		    (rc = perfkit_results_extra_set(res, i, "rank_hosts", hosts)) == 0 &&
		    (rc = perfkit_results_extra_set(res, i, "rank_cores", cores)) == 0)
			rc = perfkit_results_extra_set(res, i, "same_node",
						       ctx->nodes == 1 ? "yes" : "no");
	} else {
		pk_mpi_error(rc, "mpi: out of memory");
	}
	free(hosts);
	free(cores);
	return rc;
}

int pk_mpi_context_tag_pair(struct perfkit_results *res, size_t i,
			    const struct pk_mpi_context *ctx)
{
	int same = strcmp(pk_mpi_context_host(ctx, 0), pk_mpi_context_host(ctx, 1)) == 0;
	int rc;

	if ((rc = perfkit_results_extra_set(res, i, "mpi_library", ctx->library)) ||
	    (rc = perfkit_results_extra_set(res, i, "host_0", pk_mpi_context_host(ctx, 0))) ||
	    (rc = perfkit_results_extra_set(res, i, "cores_0", pk_mpi_context_cores(ctx, 0))) ||
	    (rc = perfkit_results_extra_set(res, i, "host_1", pk_mpi_context_host(ctx, 1))) ||
	    (rc = perfkit_results_extra_set(res, i, "cores_1", pk_mpi_context_cores(ctx, 1))))
		return rc;
	return perfkit_results_extra_set(res, i, "same_node", same ? "yes" : "no");
}
