/* SPDX-License-Identifier: MIT */
/*
 * write-hdf5: the workshop's write_hdf5.py. Each instance creates one HDF5
 * file; each repetition generates the next N x N grid and writes it as one
 * contiguous little-endian double dataset "data00000", "data00001", ...
 * (h5py's create_dataset(name, data=Z)). Each run() ends with a flush, so
 * what it timed is in the operating system's hands, as text and binary
 * files are after close(). Bytes count the datasets' data (8 N^2 each),
 * items count datasets.
 *
 * HDF5 prints its error stack by default; the library never prints, so
 * every call runs with the automatic printing off for the calling thread
 * and the stack's innermost message goes into the error instead.
 */
#include <hdf5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kernels.h"
#include "kernel-io.h"

struct h5_state {
	struct pk_io io;
	hid_t file;
};

/* Builds of HDF5 without thread safety need one caller at a time. */
static pthread_mutex_t h5_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t h5_once = PTHREAD_ONCE_INIT;
static int h5_serialise;

static void h5_probe(void)
{
	hbool_t safe = 0;

	H5is_library_threadsafe(&safe);
	h5_serialise = !safe;
}

struct h5_quiet {
	H5E_auto2_t func;
	void *data;
	int locked;
};

static void h5_enter(struct h5_quiet *q)
{
	pthread_once(&h5_once, h5_probe);
	q->locked = h5_serialise;
	if (q->locked)
		pthread_mutex_lock(&h5_lock);
	H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void h5_leave(struct h5_quiet *q)
{
	H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
	if (q->locked)
		pthread_mutex_unlock(&h5_lock);
}

static herr_t innermost(unsigned n, const H5E_error2_t *e, void *out)
{
	(void)n;
	snprintf(out, 160, "%s", e->desc ? e->desc : "");
	return 0;
}

/* An HDF5 call failed while doing @what with @path: say so with HDF5's own
 * words and the system's errno (a full disk shows as ENOSPC there). */
static int h5_error(const struct h5_state *s, const char *what, const char *path,
		    int saved_errno)
{
	char desc[160] = "";
	int rc = saved_errno == ENOSPC || saved_errno == EFBIG ||
		 saved_errno == EDQUOT ? -saved_errno : -EIO;

	H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, desc);
	return pk_error(rc, "kernel '%s': HDF5 failed to %s '%s': %s%s%s",
			s->io.kernel, what, path, desc[0] ? desc : "error",
			saved_errno ? ": " : "", saved_errno ? strerror(saved_errno) : "");
}

static double h5_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)sizeof(double) * (double)size * (double)size;
}

static double one_dataset(int64_t size, void *userdata)
{
	(void)size;
	(void)userdata;
	return 1.0;
}

static void h5_teardown(void *state)
{
	struct h5_state *s = state;
	struct h5_quiet q;

	if (!s)
		return;
	if (s->file >= 0) {
		h5_enter(&q);
		H5Fclose(s->file);
		h5_leave(&q);
	}
	pk_io_close(&s->io);
	free(s);
}

static int h5_setup(int64_t size, const struct perfkit_kernel_options *options,
		    void *userdata, void **state)
{
	struct h5_state *s = calloc(1, sizeof(*s));
	char path[PATH_MAX];
	struct h5_quiet q;
	int rc;

	(void)userdata;
	if (!s)
		return pk_error(-ENOMEM, "kernel 'write-hdf5': out of memory");
	s->file = -1;
	rc = pk_io_open(&s->io, "write-hdf5", ".h5", size, sizeof(double), options);
	if (rc) {
		free(s);
		return rc;
	}
	if ((rc = pk_io_path(&s->io, UINT64_MAX, path, sizeof(path)))) {
		h5_teardown(s);
		return rc;
	}
	h5_enter(&q);
	errno = 0;
	s->file = H5Fcreate(path, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
	if (s->file < 0)
		rc = h5_error(s, "create", path, errno);
	h5_leave(&q);
	if (rc) {
		h5_teardown(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int write_dataset(struct h5_state *s, hid_t space)
{
	char name[32];
	hid_t set;
	herr_t w;

	snprintf(name, sizeof(name), "data%05llu", (unsigned long long)s->io.files);
	pk_io_fill(&s->io, s->io.files, s->io.grid);
	errno = 0;
	set = H5Dcreate2(s->file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT,
			 H5P_DEFAULT, H5P_DEFAULT);
	if (set < 0)
		return h5_error(s, "create a dataset in", name, errno);
	w = H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
		     s->io.grid);
	if (H5Dclose(set) < 0 || w < 0)
		return h5_error(s, "write the dataset", name, errno);
	s->io.files++;
	return 0;
}

static int h5_run(void *state, uint64_t repetitions)
{
	struct h5_state *s = state;
	hsize_t dims[2] = { s->io.n, s->io.n };
	struct h5_quiet q;
	hid_t space;
	int rc = 0;

	h5_enter(&q);
	space = H5Screate_simple(2, dims, NULL);
	if (space < 0)
		rc = h5_error(s, "make a dataspace for", "the grid", 0);
	for (uint64_t r = 0; rc == 0 && r < repetitions; r++)
		rc = write_dataset(s, space);
	if (space >= 0)
		H5Sclose(space);
	errno = 0;
	if (rc == 0 && H5Fflush(s->file, H5F_SCOPE_LOCAL) < 0)
		rc = h5_error(s, "flush", "the file", errno);
	h5_leave(&q);
	return rc;
}

/* The file holds one dataset per repetition; the last reads back equal. */
static int h5_check(struct h5_state *s, double *got, double *want)
{
	char name[32];
	H5G_info_t info;
	hid_t set;
	herr_t r;

	if (H5Gget_info(s->file, &info) < 0)
		return h5_error(s, "list", "the file", 0);
	if (info.nlinks != s->io.files)
		return pk_error(-EBADMSG, "kernel 'write-hdf5': the file holds "
				"%llu datasets, %llu were written",
				(unsigned long long)info.nlinks,
				(unsigned long long)s->io.files);
	snprintf(name, sizeof(name), "data%05llu",
		 (unsigned long long)(s->io.files - 1));
	if ((set = H5Dopen2(s->file, name, H5P_DEFAULT)) < 0)
		return h5_error(s, "open the dataset", name, 0);
	r = H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got);
	H5Dclose(set);
	if (r < 0)
		return h5_error(s, "read the dataset", name, 0);
	pk_io_fill(&s->io, s->io.files - 1, want);
	if (memcmp(got, want, s->io.cells * sizeof(double)) != 0)
		return pk_error(-EBADMSG, "kernel 'write-hdf5': dataset '%s' "
				"reads back wrong", name);
	return 0;
}

static int h5_verify(void *state)
{
	struct h5_state *s = state;
	double *got, *want;
	struct h5_quiet q;
	int rc;

	if (s->io.files == 0)
		return 0;
	got = malloc(s->io.cells * sizeof(double));
	want = malloc(s->io.cells * sizeof(double));
	if (!got || !want)
		rc = pk_error(-ENOMEM, "kernel 'write-hdf5': out of memory to verify");
	else {
		h5_enter(&q);
		rc = h5_check(s, got, want);
		h5_leave(&q);
	}
	free(got);
	free(want);
	return rc;
}

const struct perfkit_kernel_ops pk_kernel_write_hdf5_ops = {
	.size = sizeof(struct perfkit_kernel_ops),
	.name = "write-hdf5",
	.description = "one N x N grid per repetition as a dataset of one "
		       "HDF5 file, as h5py's create_dataset writes it (8 N^2 "
		       "bytes of data)",
	.setup = h5_setup,
	.run = h5_run,
	.teardown = h5_teardown,
	.bytes = h5_bytes,
	.verify = h5_verify,
	.items = one_dataset,
};
