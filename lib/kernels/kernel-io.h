/* SPDX-License-Identifier: MIT */
/* What the I/O kernels (write-text, write-binary, write-hdf5) share: the
 * output folder, file names, the workshop's generated grid, sizes checked
 * before allocating, and cleaning up. Not installed. */
#ifndef PERFKIT_KERNEL_IO_H
#define PERFKIT_KERNEL_IO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "perfkit/kernel.h"

/* Characters of one value as "%.18e" writes it for the grid's values
 * (positive, exponent of two digits), and of one text row of n values:
 * n values, n - 1 spaces and a newline, as numpy.savetxt writes them. */
#define PK_IO_TEXT_VALUE 24
#define PK_IO_TEXT_CELL (PK_IO_TEXT_VALUE + 1)

struct pk_io {
	const char *kernel;  /* name, for messages */
	const char *ext;     /* ".txt", ".bin", ".h5" */
	uint64_t n;          /* grid side */
	size_t cells;        /* n * n */
	double *grid;        /* n * n values of the current file */
	char dir[PATH_MAX];
	char prefix[64];     /* "<kernel>-<pid>-<seq>" */
	int own_dir;         /* made by us (mkdtemp): removed at the end */
	int keep;
	uint64_t files;      /* files (or datasets) complete so far */
};

/*
 * Check the size (grid and one file of @file_bytes per n * n cell, refused
 * before allocating when it overflows or exceeds the memory), resolve the
 * folder (make a fresh one when options->output_dir is NULL; else it must
 * be a writable folder with room for one file) and allocate the grid.
 * 0 or a negative errno with the message set.
 */
int pk_io_open(struct pk_io *io, const char *kernel, const char *ext,
	       int64_t n, double file_bytes_per_cell,
	       const struct perfkit_kernel_options *options);

/* Remove what the instance wrote (unless keep) and free the grid. */
void pk_io_close(struct pk_io *io);

/* The workshop's generate_data for file @file: fills io->grid. */
void pk_io_fill(const struct pk_io *io, uint64_t file, double *grid);

/* The value at row @i, column @j of file @file (what pk_io_fill writes). */
double pk_io_value(uint64_t n, uint64_t file, uint64_t i, uint64_t j);

/* Path of file @file (text and binary), or of the one HDF5 file when
 * @file is UINT64_MAX. 0, or -ENAMETOOLONG with the message set. */
int pk_io_path(const struct pk_io *io, uint64_t file, char *buf, size_t len);

/* A write to @path failed with -@err: remove the partial file and say so
 * (full disk, file size limit, ...). Returns the negative errno. */
int pk_io_write_failed(const struct pk_io *io, const char *path, int err,
		       uint64_t written, uint64_t wanted);

/* Write all of @len bytes to @fd; 0 or -errno. */
int pk_io_write_all(int fd, const void *buf, size_t len, uint64_t *written);

/* Format @v as printf("%.18e") does into @out (at least 32 bytes); returns
 * the length. Exact (correctly rounded, ties to even) and fast for
 * 0.1 <= v < 10, snprintf otherwise. */
size_t pk_io_format_e18(double v, char *out);

/* Check the file sizes of files 0 .. io->files - 1 against @bytes each;
 * 0 or -EBADMSG with the message naming the first wrong one. */
int pk_io_verify_sizes(const struct pk_io *io, uint64_t bytes);

#endif /* PERFKIT_KERNEL_IO_H */
