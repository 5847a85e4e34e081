/* SPDX-License-Identifier: MIT */
/* Options of perfkit_mpi_collective_run() and the operations' names. */
#include <stddef.h>
#include <string.h>

#include "mpi-private.h"

static const char *const names[PERFKIT_MPI_COLLECTIVES] = {
	"barrier", "bcast", "scatter", "gather", "reduce", "allreduce", "alltoall",
};

PERFKIT_EXPORT const char *perfkit_mpi_collective_name(enum perfkit_mpi_collective op)
{
	return (unsigned)op < PERFKIT_MPI_COLLECTIVES ? names[op] : NULL;
}

PERFKIT_EXPORT int
perfkit_mpi_collective_options_init(struct perfkit_mpi_collective_options *opt)
{
	const struct perfkit_mpi_collective_options def = PERFKIT_MPI_COLLECTIVE_OPTIONS_INIT;

	if (!opt)
		return pk_mpi_error(-EINVAL, "mpi_collective_options_init: opt is NULL");
	memset(opt, 0, sizeof(*opt));
	opt->size = def.size;
	opt->op = def.op;
	opt->min_bytes = def.min_bytes;
	opt->max_bytes = def.max_bytes;
	opt->time = def.time;
	opt->warmup = def.warmup;
	opt->root = def.root;
	return 0;
}

int pk_mpi_coll_options_copy(const struct perfkit_mpi_collective_options *opt,
			     struct perfkit_mpi_collective_options *full)
{
	perfkit_mpi_collective_options_init(full);
	if (opt->size < offsetof(struct perfkit_mpi_collective_options, root) +
			sizeof(opt->root) || opt->size > 4096)
		return pk_mpi_error(-EINVAL, "mpi_collective_run: opt->size %zu is not the "
				    "size of a struct perfkit_mpi_collective_options",
				    opt->size);
	full->op = opt->op;
	full->min_bytes = opt->min_bytes;
	full->max_bytes = opt->max_bytes;
	full->time = opt->time;
	full->warmup = opt->warmup;
	full->root = opt->root;
	return 0;
}

/* Bytes the largest size needs in one buffer on one rank. */
static int64_t footprint(const struct perfkit_mpi_collective_options *o, int nranks)
{
	int spread = o->op == PERFKIT_MPI_SCATTER || o->op == PERFKIT_MPI_GATHER ||
		     o->op == PERFKIT_MPI_ALLTOALL;

	return spread ? o->max_bytes * nranks : o->max_bytes;
}

int pk_mpi_coll_options_check(const struct perfkit_mpi_collective_options *o, int nranks)
{
	static const char who[] = "mpi_collective_run";

	if (!perfkit_mpi_collective_name(o->op))
		return pk_mpi_error(-EINVAL, "%s: op %d is not a perfkit_mpi_collective",
				    who, (int)o->op);
	if (o->max_bytes < 4 || o->max_bytes > PERFKIT_MPI_BYTES_MAX)
		return pk_mpi_error(-EINVAL, "%s: max_bytes %lld is outside 4 to %lld", who,
				    (long long)o->max_bytes, (long long)PERFKIT_MPI_BYTES_MAX);
	if (o->min_bytes < 4 || o->min_bytes > o->max_bytes || o->min_bytes % 4)
		return pk_mpi_error(-EINVAL, "%s: min_bytes %lld is not a multiple of 4 from "
				    "4 to max_bytes (%lld)", who, (long long)o->min_bytes,
				    (long long)o->max_bytes);
	if (footprint(o, nranks) > PERFKIT_MPI_BYTES_MAX)
		return pk_mpi_error(-EINVAL, "%s: %s of %lld bytes per rank on %d ranks "
				    "needs more than %lld bytes in one buffer", who,
				    names[o->op], (long long)o->max_bytes, nranks,
				    (long long)PERFKIT_MPI_BYTES_MAX);
	if (!(o->time >= 1e-6 && o->time <= 60))
		return pk_mpi_error(-EINVAL, "%s: time %g is outside 1e-6 to 60 s", who,
				    o->time);
	if (o->warmup > 1000000)
		return pk_mpi_error(-EINVAL, "%s: warmup %llu is above 1000000", who,
				    (unsigned long long)o->warmup);
	if (o->root < 0 || o->root >= nranks)
		return pk_mpi_error(-EINVAL, "%s: root %d is not a rank of comm (0 to %d)",
				    who, o->root, nranks - 1);
	return 0;
}
