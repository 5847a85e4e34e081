/* SPDX-License-Identifier: MIT */
/* Options of perfkit_mpi_pingpong(): defaults, checks, and the caller's
 * struct copied over the defaults as far as its size reaches. */
#include <math.h>
#include <string.h>

#include "mpi-private.h"

PERFKIT_EXPORT int perfkit_mpi_p2p_options_init(struct perfkit_mpi_p2p_options *opt)
{
	const struct perfkit_mpi_p2p_options def = PERFKIT_MPI_P2P_OPTIONS_INIT;

	if (!opt)
		return pk_mpi_error(-EINVAL, "mpi_p2p_options_init: opt is NULL");
	memset(opt, 0, sizeof(*opt));
	opt->size = def.size;
	opt->pattern = def.pattern;
	opt->min_bytes = def.min_bytes;
	opt->max_bytes = def.max_bytes;
	opt->perturbation = def.perturbation;
	opt->trials = def.trials;
	opt->trial_time = def.trial_time;
	opt->warmup = def.warmup;
	opt->window = def.window;
	return 0;
}

/* The caller's options over zeroed defaults: canonical bytes, so that
 * ranks can compare them. */
int pk_mpi_p2p_options_copy(const struct perfkit_mpi_p2p_options *opt,
			    struct perfkit_mpi_p2p_options *full)
{
	static const char who[] = "mpi_pingpong";

	perfkit_mpi_p2p_options_init(full);
	if (opt->size < offsetof(struct perfkit_mpi_p2p_options, window) ||
	    opt->size > 4096)
		return pk_mpi_error(-EINVAL, "%s: opt->size %zu is not the size of a "
				    "struct perfkit_mpi_p2p_options", who, opt->size);
	full->pattern = opt->pattern;
	full->min_bytes = opt->min_bytes;
	full->max_bytes = opt->max_bytes;
	full->perturbation = opt->perturbation;
	full->trials = opt->trials;
	full->trial_time = opt->trial_time;
	full->warmup = opt->warmup;
	if (opt->size >= offsetof(struct perfkit_mpi_p2p_options, window) + sizeof(opt->window))
		full->window = opt->window;
	return 0;
}

int pk_mpi_p2p_options_check(const struct perfkit_mpi_p2p_options *o)
{
	static const char who[] = "mpi_pingpong";

	if (o->pattern != PERFKIT_MPI_PINGPONG && o->pattern != PERFKIT_MPI_STREAM)
		return pk_mpi_error(-EINVAL, "%s: pattern %d is not a perfkit_mpi_p2p",
				    who, (int)o->pattern);
	if (o->max_bytes < 0 || o->max_bytes > PERFKIT_MPI_BYTES_MAX)
		return pk_mpi_error(-EINVAL, "%s: max_bytes %lld is outside 0 to %lld",
				    who, (long long)o->max_bytes,
				    (long long)PERFKIT_MPI_BYTES_MAX);
	if (o->min_bytes < 0 || o->min_bytes > o->max_bytes)
		return pk_mpi_error(-EINVAL, "%s: min_bytes %lld is outside 0 to max_bytes "
				    "(%lld)", who, (long long)o->min_bytes,
				    (long long)o->max_bytes);
	if (o->perturbation < 0 || o->perturbation > 1024)
		return pk_mpi_error(-EINVAL, "%s: perturbation %d is outside 0 to 1024",
				    who, o->perturbation);
	if (o->trials < 1 || o->trials > 1000)
		return pk_mpi_error(-EINVAL, "%s: trials %u is outside 1 to 1000", who,
				    o->trials);
	if (!(o->trial_time >= 1e-6 && o->trial_time <= 60))
		return pk_mpi_error(-EINVAL, "%s: trial_time %g is outside 1e-6 to 60 s",
				    who, o->trial_time);
	if (o->warmup > 1000000)
		return pk_mpi_error(-EINVAL, "%s: warmup %llu is above 1000000", who,
				    (unsigned long long)o->warmup);
	if (o->window < 1 || o->window > 1024)
		return pk_mpi_error(-EINVAL, "%s: window %u is outside 1 to 1024", who,
				    o->window);
	return 0;
}
