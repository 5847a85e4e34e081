/* SPDX-License-Identifier: MIT */
/*
 * The HPC Python workshop's output, shared by the I/O kernels: a folder
 * (the user's, or a fresh one), file names that never collide between
 * workers, the generated grid, and removal of everything written unless
 * the user keeps it.
 */
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common.h"
#include "kernels.h"
#include "kernel-io.h"

/* Distinguishes instances of one process (threads); the pid tells
 * processes apart. */
static atomic_uint io_seq;

double pk_io_value(uint64_t n, uint64_t file, uint64_t i, uint64_t j)
{
	/* Like the workshop's X, Y = meshgrid(arange(x0 - size/2, ...)):
	 * a smooth field, different per file, always in [0.5, 1.5] so that
	 * every value prints as 24 characters with "%.18e". */
	double half = (double)(n / 2);
	double x = (double)j - half, y = (double)i + 500.0 - half;

	return 1.0 + 0.5 * sin(0.1 * x + 0.01 * (double)file) * cos(0.1 * y);
}

void pk_io_fill(const struct pk_io *io, uint64_t file, double *grid)
{
	uint64_t n = io->n;
	double half = (double)(n / 2);
	/* Separable: n sines and n cosines, then n * n products (the
	 * vectorised generate_data of the workshop). Row i reuses cos(y_i). */
	double *sx = grid + (n - 1) * n; /* the last row is filled last */

	for (uint64_t j = 0; j < n; j++)
		sx[j] = 0.5 * sin(0.1 * ((double)j - half) + 0.01 * (double)file);
	for (uint64_t i = 0; i < n; i++) {
		double cy = cos(0.1 * ((double)i + 500.0 - half));
		double *row = grid + i * n;

		if (i == n - 1) {
			for (uint64_t j = 0; j < n; j++)
				row[j] = 1.0 + row[j] * cy;
			break;
		}
		for (uint64_t j = 0; j < n; j++)
			row[j] = 1.0 + sx[j] * cy;
	}
}

int pk_io_path(const struct pk_io *io, uint64_t file, char *buf, size_t len)
{
	int k;

	if (file == UINT64_MAX)
		k = snprintf(buf, len, "%s/%s%s", io->dir, io->prefix, io->ext);
	else
		k = snprintf(buf, len, "%s/%s-%05llu%s", io->dir, io->prefix,
			     (unsigned long long)file, io->ext);
	if (k < 0 || (size_t)k >= len)
		return pk_error(-ENAMETOOLONG, "kernel '%s': output path in '%s' "
				"is too long", io->kernel, io->dir);
	return 0;
}

int pk_io_write_all(int fd, const void *buf, size_t len, uint64_t *written)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return -EIO;
		p += k;
		len -= (size_t)k;
		*written += (uint64_t)k;
	}
	return 0;
}

int pk_io_write_failed(const struct pk_io *io, const char *path, int err,
		       uint64_t written, uint64_t wanted)
{
	const char *why = err == -ENOSPC ? " (the disk is full)" :
			  err == -EFBIG ? " (over the file size limit)" :
			  err == -EDQUOT ? " (over the disk quota)" : "";

	unlink(path); /* never leave a half-written file */
	return pk_error(err, "kernel '%s': writing '%s' failed after %llu of "
			"%llu bytes: %s%s; the partial file was removed", io->kernel,
			path, (unsigned long long)written,
			(unsigned long long)wanted, strerror(-err), why);
}

/* The bytes of one grid and of one file, refused before allocating when
 * they overflow or exceed the memory. */
static int check_size(struct pk_io *io, int64_t n, double file_bytes_per_cell,
		      double *file_bytes)
{
	size_t total;
	uint64_t un = (uint64_t)n;
	int rc;

	if (un > UINT32_MAX)
		return pk_error(-ERANGE, "kernel '%s': a grid of %llu x %llu "
				"values overflows", io->kernel,
				(unsigned long long)un, (unsigned long long)un);
	rc = pk_kernel_check_bytes(io->kernel, un * un, sizeof(double), 1, &total);
	if (rc)
		return rc;
	io->n = un;
	io->cells = (size_t)(un * un);
	*file_bytes = file_bytes_per_cell * (double)io->cells;
	return 0;
}

/* The user's folder: exists, is a folder, may be written, has room. */
static int check_dir(const struct pk_io *io, const char *dir, double file_bytes)
{
	struct statvfs vfs;
	struct stat st;
	double room;

	if (dir[0] == '\0')
		return pk_error(-EINVAL, "kernel '%s': the output folder is an "
				"empty string", io->kernel);
	if (stat(dir, &st) != 0)
		return pk_error(-errno, "kernel '%s': output folder '%s': %s",
				io->kernel, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pk_error(-ENOTDIR, "kernel '%s': output folder '%s' is not "
				"a folder", io->kernel, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return pk_error(-errno, "kernel '%s': cannot write into the output "
				"folder '%s': %s", io->kernel, dir, strerror(errno));
	if (statvfs(dir, &vfs) == 0) {
		room = (double)vfs.f_bavail * (double)vfs.f_frsize;
		if (room < file_bytes)
			return pk_error(-ENOSPC, "kernel '%s': output folder '%s' has "
					"%.0f bytes free, one file needs %.0f",
					io->kernel, dir, room, file_bytes);
	}
	return 0;
}

static int make_dir(struct pk_io *io)
{
	const char *tmp = getenv("TMPDIR");
	int k;

	if (!tmp || tmp[0] == '\0')
		tmp = "/tmp";
	k = snprintf(io->dir, sizeof(io->dir), "%s/perfkit-io-XXXXXX", tmp);
	if (k < 0 || (size_t)k >= sizeof(io->dir))
		return pk_error(-ENAMETOOLONG, "kernel '%s': TMPDIR is too long",
				io->kernel);
	if (!mkdtemp(io->dir))
		return pk_error(-errno, "kernel '%s': cannot make a folder in '%s': "
				"%s", io->kernel, tmp, strerror(errno));
	io->own_dir = 1;
	return 0;
}

int pk_io_open(struct pk_io *io, const char *kernel, const char *ext,
	       int64_t n, double file_bytes_per_cell,
	       const struct perfkit_kernel_options *options)
{
	double file_bytes = 0;
	int rc;

	memset(io, 0, sizeof(*io));
	io->kernel = kernel;
	io->ext = ext;
	io->keep = options->keep_output != 0;
	if ((rc = check_size(io, n, file_bytes_per_cell, &file_bytes)))
		return rc;
	if (options->output_dir) {
		if ((rc = check_dir(io, options->output_dir, file_bytes)))
			return rc;
		if (strlen(options->output_dir) >= sizeof(io->dir) - 80)
			return pk_error(-ENAMETOOLONG, "kernel '%s': output folder "
					"name is too long", kernel);
		strcpy(io->dir, options->output_dir);
	} else if ((rc = make_dir(io)) || (rc = check_dir(io, io->dir, file_bytes))) {
		pk_io_close(io);
		return rc;
	}
	snprintf(io->prefix, sizeof(io->prefix), "%s-%ld-%u", kernel,
		 (long)getpid(), atomic_fetch_add(&io_seq, 1));
	io->grid = pk_kernel_alloc(io->cells * sizeof(double));
	if (!io->grid) {
		pk_io_close(io);
		return pk_error(-ENOMEM, "kernel '%s': cannot allocate a %llu x "
				"%llu grid", kernel, (unsigned long long)io->n,
				(unsigned long long)io->n);
	}
	return 0;
}

void pk_io_close(struct pk_io *io)
{
	char path[PATH_MAX];

	free(io->grid);
	io->grid = NULL;
	if (io->keep)
		return;
	if (strcmp(io->ext, ".h5") == 0) {
		if (io->prefix[0] && pk_io_path(io, UINT64_MAX, path, sizeof(path)) == 0)
			unlink(path);
	} else {
		for (uint64_t f = 0; f < io->files; f++)
			if (pk_io_path(io, f, path, sizeof(path)) == 0)
				unlink(path);
	}
	if (io->own_dir)
		rmdir(io->dir);
}

int pk_io_verify_sizes(const struct pk_io *io, uint64_t bytes)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	for (uint64_t f = 0; f < io->files; f++) {
		if ((rc = pk_io_path(io, f, path, sizeof(path))))
			return rc;
		if (stat(path, &st) != 0)
			return pk_error(-EBADMSG, "kernel '%s': file '%s' is gone: %s",
					io->kernel, path, strerror(errno));
		if ((uint64_t)st.st_size != bytes)
			return pk_error(-EBADMSG, "kernel '%s': file '%s' has %lld "
					"bytes, expected %llu", io->kernel, path,
					(long long)st.st_size, (unsigned long long)bytes);
	}
	return 0;
}

/* ---- "%.18e", exactly and fast for the grid's range ---- */

static size_t format_slow(double v, char *out)
{
	int k = snprintf(out, 32, "%.18e", v);

	return k > 0 ? (size_t)k : 0;
}

size_t pk_io_format_e18(double v, char *out)
{
	static const uint64_t p18 = 1000000000000000000ull;
	unsigned __int128 prod, rem, half;
	uint64_t m, digits;
	int e, exp10, shift;
	double f;

	if (!(v >= 0.1 && v < 10.0))
		return format_slow(v, out);
	/* v = m * 2^(e - 53) exactly; the 19 significant digits are
	 * round(v * 10^(18 - exp10)) = round(m * 10^k / 2^shift). */
	f = frexp(v, &e);
	m = (uint64_t)ldexp(f, 53);
	shift = 53 - e;
	exp10 = v >= 1.0 ? 0 : -1;
	prod = (unsigned __int128)m * (exp10 == 0 ? p18 : p18 * 10);
	digits = (uint64_t)(prod >> shift);
	rem = prod & (((unsigned __int128)1 << shift) - 1);
	half = (unsigned __int128)1 << (shift - 1);
	if (rem > half || (rem == half && (digits & 1)))
		digits++;
	if (digits >= p18 * 10)
		return format_slow(v, out); /* rounded up to the next decade */
	for (int i = 19; i >= 2; i--) {
		out[i] = (char)('0' + digits % 10);
		digits /= 10;
	}
	out[0] = (char)('0' + digits);
	out[1] = '.';
	memcpy(out + 20, exp10 == 0 ? "e+00" : "e-01", 5);
	return PK_IO_TEXT_VALUE;
}
