/* SPDX-License-Identifier: MIT */
/* What perfkit_mpi_write_hdf5() does around the file, with or without
 * parallel HDF5: its options, the folder rank 0 chooses or makes, the
 * file's path on every rank, the cleaning up, and the grids' values. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mpi-private.h"

PERFKIT_EXPORT int perfkit_mpi_io_options_init(struct perfkit_mpi_io_options *opt)
{
	const struct perfkit_mpi_io_options def = PERFKIT_MPI_IO_OPTIONS_INIT;

	if (!opt)
		return pk_mpi_error(-EINVAL, "mpi_io_options_init: opt is NULL");
	*opt = def;
	return 0;
}

void pk_mpi_io_fill(int64_t n, uint64_t file, double *grid)
{
	/* as lib/kernels/kernel-io.c's pk_io_value(): a smooth field in
	 * [0.5, 1.5], different per file */
	double half = (double)(n / 2);

	for (int64_t i = 0; i < n; i++) {
		double cy = cos(0.1 * ((double)i + 500.0 - half));

		for (int64_t j = 0; j < n; j++)
			grid[i * n + j] = 1.0 + 0.5 * sin(0.1 * ((double)j - half) +
							  0.01 * (double)file) * cy;
	}
}

static int read_options(struct pk_mpi_io *io, const struct perfkit_mpi_io_options *opt,
			const char *who)
{
	const size_t least = offsetof(struct perfkit_mpi_io_options, verify) +
			     sizeof(opt->verify);
	struct perfkit_mpi_io_options *o = &io->opt;

	perfkit_mpi_io_options_init(o);
	if (opt->size < least || opt->size > 4096)
		return pk_mpi_error(-EINVAL, "%s: opt->size %zu is not the size of a "
				    "struct perfkit_mpi_io_options", who, opt->size);
	memcpy(o, opt, opt->size < sizeof(*o) ? opt->size : sizeof(*o));
	o->size = sizeof(*o);
	if (o->n < 1 || o->n > PERFKIT_MPI_IO_N_MAX)
		return pk_mpi_error(-EINVAL, "%s: n must be 1 to %d, got %lld", who,
				    PERFKIT_MPI_IO_N_MAX, (long long)o->n);
	if (o->files < 1 || o->files > PERFKIT_QUEUE_TASKS_MAX)
		return pk_mpi_error(-EINVAL, "%s: files must be 1 to %d, got %llu", who,
				    PERFKIT_QUEUE_TASKS_MAX, (unsigned long long)o->files);
	return 0;
}

static int same_as_root(struct pk_mpi_io *io, const char *who)
{
	int64_t mine[3] = { io->opt.n, (int64_t)io->opt.files, io->opt.verify != 0 };
	int64_t root[3];

	memcpy(root, mine, sizeof(root));
	MPI_Bcast(root, 3, MPI_INT64_T, 0, io->comm);
	if (memcmp(root, mine, sizeof(root)) == 0)
		return 0;
	return pk_mpi_error(-EINVAL, "%s: options differ from rank 0's (n %lld "
			    "against %lld, files %lld against %lld, verify: every "
			    "rank must pass the same)", who, (long long)mine[0],
			    (long long)root[0], (long long)mine[1], (long long)root[1]);
}

/* Rank 0: the folder, and the file's path in it. */
static int choose_folder(struct pk_mpi_io *io, const char *who)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int k;

	if (io->opt.output_dir) {
		k = snprintf(io->dir, sizeof(io->dir), "%s", io->opt.output_dir);
		if (k < 0 || (size_t)k >= sizeof(io->dir) - 64)
			return pk_mpi_error(-ENAMETOOLONG, "%s: output_dir is too long", who);
		if (stat(io->dir, &st) != 0)
			return pk_mpi_error(-errno, "%s: output_dir '%s': %s", who,
					    io->dir, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return pk_mpi_error(-ENOTDIR, "%s: output_dir '%s' is not a "
					    "folder", who, io->dir);
		if (access(io->dir, W_OK | X_OK) != 0)
			return pk_mpi_error(-errno, "%s: output_dir '%s' is not "
					    "writable: %s", who, io->dir, strerror(errno));
	} else {
		if (!tmp || tmp[0] == '\0')
			tmp = "/tmp";
		k = snprintf(io->dir, sizeof(io->dir), "%s/perfkit-io-XXXXXX", tmp);
		if (k < 0 || (size_t)k >= sizeof(io->dir) - 64)
			return pk_mpi_error(-ENAMETOOLONG, "%s: TMPDIR is too long", who);
		if (!mkdtemp(io->dir))
			return pk_mpi_error(-errno, "%s: cannot make a folder in '%s': %s",
					    who, tmp, strerror(errno));
		io->own_dir = 1;
	}
	k = snprintf(io->path, sizeof(io->path), "%s/write-hdf5-mpi-%ld.h5", io->dir,
		     (long)getpid());
	if (k < 0 || (size_t)k >= sizeof(io->path))
		return pk_mpi_error(-ENAMETOOLONG, "%s: the folder's name is too long", who);
	return 0;
}

int pk_mpi_io_prepare(struct pk_mpi_io *io, const struct perfkit_mpi_io_options *opt,
		      struct perfkit_results **out, const char *who)
{
	int rc;

	MPI_Comm_rank(io->comm, &io->rank);
	MPI_Comm_size(io->comm, &io->size);
	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !opt ? "opt" : "out");
	else
		rc = read_options(io, opt, who);
	if ((rc = pk_mpi_agree(io->comm, rc)) ||
	    (rc = pk_mpi_agree(io->comm, same_as_root(io, who))))
		return rc;
	io->first = io->opt.files * (uint64_t)io->rank / (uint64_t)io->size;
	io->count = io->opt.files * (uint64_t)(io->rank + 1) / (uint64_t)io->size -
		    io->first;
	rc = io->rank == 0 ? choose_folder(io, who) : 0;
	if ((rc = pk_mpi_agree(io->comm, rc)))
		return rc;
	MPI_Bcast(io->dir, sizeof(io->dir), MPI_CHAR, 0, io->comm);
	MPI_Bcast(io->path, sizeof(io->path), MPI_CHAR, 0, io->comm);
	return 0;
}

void pk_mpi_io_cleanup(struct pk_mpi_io *io)
{
	if (io->path[0] == '\0')
		return;
	MPI_Barrier(io->comm); /* every rank has closed the file */
	if (io->rank != 0 || io->opt.keep_output)
		return;
	unlink(io->path);
	if (io->own_dir)
		rmdir(io->dir);
}
