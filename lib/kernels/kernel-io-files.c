/* SPDX-License-Identifier: MIT */
/*
 * write-text and write-binary: the HPC Python workshop's many small files.
 * Each repetition generates the N x N grid of the next file and writes it
 * as one file: text as numpy.savetxt writes it ("%.18e", space-separated,
 * one row per line: exactly 25 N^2 bytes for the grid's values), or raw
 * native doubles as ndarray.tofile (8 N^2 bytes). Bytes count what the
 * files hold; items count files. Written to the page cache, as the
 * workshop's scripts do: no fsync.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "kernels.h"
#include "kernel-io.h"

enum io_format { TEXT, BINARY };

struct files_state {
	struct pk_io io;
	enum io_format format;
	char *text;      /* one buffer of whole rows (text) */
	size_t text_cap; /* its size in bytes */
};

/* Rows of text formatted at once before one write: about 256 KiB. */
#define TEXT_BUFFER (256u << 10)

static double text_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)PK_IO_TEXT_CELL * (double)size * (double)size;
}

static double binary_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)sizeof(double) * (double)size * (double)size;
}

static double one_file(int64_t size, void *userdata)
{
	(void)size;
	(void)userdata;
	return 1.0;
}

static void files_teardown(void *state)
{
	struct files_state *s = state;

	if (!s)
		return;
	pk_io_close(&s->io);
	free(s->text);
	free(s);
}

static int files_setup(int64_t size, const struct perfkit_kernel_options *options,
		       enum io_format format, void **state)
{
	const char *name = format == TEXT ? "write-text" : "write-binary";
	struct files_state *s = calloc(1, sizeof(*s));
	size_t row;
	int rc;

	if (!s)
		return pk_error(-ENOMEM, "kernel '%s': out of memory", name);
	s->format = format;
	rc = pk_io_open(&s->io, name, format == TEXT ? ".txt" : ".bin", size,
			format == TEXT ? PK_IO_TEXT_CELL : sizeof(double), options);
	if (rc) {
		free(s);
		return rc;
	}
	if (format == TEXT) {
		row = (size_t)s->io.n * PK_IO_TEXT_CELL;
		s->text_cap = row > TEXT_BUFFER ? row : TEXT_BUFFER - TEXT_BUFFER % row;
		if (!(s->text = malloc(s->text_cap + 32))) {
			files_teardown(s);
			return pk_error(-ENOMEM, "kernel '%s': out of memory", name);
		}
	}
	*state = s;
	return 0;
}

static int text_setup(int64_t size, const struct perfkit_kernel_options *options,
		      void *userdata, void **state)
{
	(void)userdata;
	return files_setup(size, options, TEXT, state);
}

static int binary_setup(int64_t size, const struct perfkit_kernel_options *options,
			void *userdata, void **state)
{
	(void)userdata;
	return files_setup(size, options, BINARY, state);
}

/* One row as savetxt writes it; returns its length. */
static size_t format_row(const double *row, uint64_t n, char *out)
{
	char *p = out;

	for (uint64_t j = 0; j < n; j++) {
		p += pk_io_format_e18(row[j], p);
		*p++ = j + 1 < n ? ' ' : '\n';
	}
	return (size_t)(p - out);
}

static int write_text(struct files_state *s, int fd, uint64_t *written)
{
	uint64_t n = s->io.n;
	size_t used = 0;
	int rc;

	for (uint64_t i = 0; i < n; i++) {
		if (used + n * PK_IO_TEXT_CELL > s->text_cap) {
			if ((rc = pk_io_write_all(fd, s->text, used, written)))
				return rc;
			used = 0;
		}
		used += format_row(s->io.grid + i * n, n, s->text + used);
	}
	return pk_io_write_all(fd, s->text, used, written);
}

static int write_one(struct files_state *s)
{
	char path[PATH_MAX];
	uint64_t written = 0, wanted;
	int fd, rc;

	if ((rc = pk_io_path(&s->io, s->io.files, path, sizeof(path))))
		return rc;
	pk_io_fill(&s->io, s->io.files, s->io.grid);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return pk_error(-errno, "kernel '%s': cannot create '%s': %s",
				s->io.kernel, path, strerror(errno));
	if (s->format == TEXT) {
		wanted = (uint64_t)s->io.cells * PK_IO_TEXT_CELL;
		rc = write_text(s, fd, &written);
	} else {
		wanted = (uint64_t)s->io.cells * sizeof(double);
		rc = pk_io_write_all(fd, s->io.grid, s->io.cells * sizeof(double),
				     &written);
	}
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc)
		return pk_io_write_failed(&s->io, path, rc, written, wanted);
	s->io.files++;
	return 0;
}

static int files_run(void *state, uint64_t repetitions)
{
	struct files_state *s = state;
	int rc;

	for (uint64_t r = 0; r < repetitions; r++)
		if ((rc = write_one(s)))
			return rc;
	return 0;
}

/* Read the last file back whole and compare it with its grid. */
static int read_back(const struct files_state *s, const char *path,
		     char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		return pk_error(-EBADMSG, "kernel '%s': cannot read '%s' back: %s",
				s->io.kernel, path, strerror(errno));
	got = fread(buf, 1, len, f);
	fclose(f);
	if (got != len)
		return pk_error(-EBADMSG, "kernel '%s': read %zu of %zu bytes of '%s'",
				s->io.kernel, got, len, path);
	return 0;
}

static int compare_text(const struct files_state *s, const char *text,
			const double *want, const char *path)
{
	const char *p = text;

	for (size_t k = 0; k < s->io.cells; k++) {
		char *end;
		double v = strtod(p, &end);

		if (end == p || v != want[k] ||
		    *end != ((k + 1) % s->io.n ? ' ' : '\n'))
			return pk_error(-EBADMSG, "kernel '%s': '%s': value %zu "
					"reads back wrong", s->io.kernel, path, k);
		p = end + 1;
	}
	return 0;
}

static int files_verify(void *state)
{
	struct files_state *s = state;
	size_t bytes = s->io.cells * (s->format == TEXT ? PK_IO_TEXT_CELL : sizeof(double));
	char path[PATH_MAX];
	double *want;
	char *buf;
	int rc;

	if (s->io.files == 0)
		return 0;
	if ((rc = pk_io_verify_sizes(&s->io, bytes)) ||
	    (rc = pk_io_path(&s->io, s->io.files - 1, path, sizeof(path))))
		return rc;
	want = malloc(s->io.cells * sizeof(double));
	buf = malloc(bytes + 1);
	if (!want || !buf) {
		rc = pk_error(-ENOMEM, "kernel '%s': out of memory to verify",
			      s->io.kernel);
		goto out;
	}
	pk_io_fill(&s->io, s->io.files - 1, want);
	if ((rc = read_back(s, path, buf, bytes)))
		goto out;
	buf[bytes] = '\0';
	if (s->format == TEXT)
		rc = compare_text(s, buf, want, path);
	else if (memcmp(buf, want, bytes) != 0)
		rc = pk_error(-EBADMSG, "kernel '%s': '%s' reads back wrong",
			      s->io.kernel, path);
out:
	free(want);
	free(buf);
	return rc;
}

const struct perfkit_kernel_ops pk_kernel_write_text_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "write-text",
	.description = "one N x N grid per repetition as a text file, as "
		       "numpy.savetxt writes it (25 N^2 bytes)",
	.setup = text_setup,
	.run = files_run,
	.teardown = files_teardown,
	.bytes = text_bytes,
	.verify = files_verify,
	.items = one_file,
};

const struct perfkit_kernel_ops pk_kernel_write_binary_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "write-binary",
	.description = "one N x N grid per repetition as a raw binary file of "
		       "doubles, as ndarray.tofile writes it (8 N^2 bytes)",
	.setup = binary_setup,
	.run = files_run,
	.teardown = files_teardown,
	.bytes = binary_bytes,
	.verify = files_verify,
	.items = one_file,
};
