/* SPDX-License-Identifier: MIT */
/*
 * perfkit_mpi_write_hdf5(), built with parallel HDF5 (Debian's
 * libhdf5-openmpi-dev): the workshop's write_final.py. All ranks open one
 * file through the MPI-IO driver; every rank takes part in creating each
 * dataset (metadata is collective in parallel HDF5) and writes the data
 * of its own share with independent transfers; the close flushes.
 *
 * Debian's HDF5 libraries version their symbols (HDF5_OPENMPI_* here,
 * HDF5_SERIAL_* in libperfkit's write-hdf5), so the two flavours live in
 * one process without mixing.
 *
 * HDF5 prints its error stack by default; the library never prints, so
 * each step runs with automatic printing off and HDF5's innermost message
 * goes into the error.
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpi-private.h"

static const char who[] = "mpi_write_hdf5";

struct h5_run {
	struct pk_mpi_io io;
	hid_t file;
	double *grid, *back;
	uint64_t t_start, t_setup, t_end; /* perfkit_now_ns() */
	uint64_t written;
};

static herr_t innermost(unsigned n, const H5E_error2_t *e, void *out)
{
	(void)n;
	snprintf(out, 160, "%s", e->desc ? e->desc : "");
	return 0;
}

static int h5_error(const char *what, const char *name, int saved_errno)
{
	char desc[160] = "";
	int rc = saved_errno == ENOSPC || saved_errno == EFBIG ||
		 saved_errno == EDQUOT ? -saved_errno : -EIO;

	H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, desc);
	return pk_mpi_error(rc, "%s: HDF5 failed to %s '%s': %s%s%s", who, what, name,
			    desc[0] ? desc : "error", saved_errno ? ": " : "",
			    saved_errno ? strerror(saved_errno) : "");
}

static hid_t open_file(struct h5_run *r, int create)
{
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1;

	if (fapl < 0)
		return -1;
	if (H5Pset_fapl_mpio(fapl, r->io.comm, MPI_INFO_NULL) >= 0)
		f = create ? H5Fcreate(r->io.path, H5F_ACC_EXCL, H5P_DEFAULT, fapl) :
			     H5Fopen(r->io.path, H5F_ACC_RDONLY, fapl);
	H5Pclose(fapl);
	return f;
}

static int mine(const struct h5_run *r, uint64_t i)
{
	return i >= r->io.first && i < r->io.first + r->io.count;
}

/* Collective: every dataset created; this rank's share written. A rank
 * whose write failed keeps taking part in the creations; a creation that
 * fails on any rank stops every rank there (parallel HDF5's metadata
 * must stay the same on all ranks, or the collective close can hang). */
static int write_all(struct h5_run *r)
{
	hsize_t dims[2] = { (hsize_t)r->io.opt.n, (hsize_t)r->io.opt.n };
	hid_t space = H5Screate_simple(2, dims, NULL);
	int rc = space < 0 ? h5_error("make a dataspace for", "the grid", 0) : 0;
	int made = pk_mpi_agree(r->io.comm, rc);

	for (uint64_t i = 0; made == 0 && i < r->io.opt.files; i++) {
		char name[32];
		hid_t set;

		snprintf(name, sizeof(name), "data%05llu", (unsigned long long)i);
		errno = 0;
		set = H5Dcreate2(r->file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT,
				 H5P_DEFAULT, H5P_DEFAULT);
		made = pk_mpi_agree(r->io.comm, set < 0 ?
				    h5_error("create the dataset", name, errno) : 0);
		if (made) {
			if (set >= 0)
				H5Dclose(set);
			rc = rc ? rc : made;
			break;
		}
		if (rc == 0 && mine(r, i)) {
			pk_mpi_io_fill(r->io.opt.n, i, r->grid);
			errno = 0;
			if (H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
				     H5P_DEFAULT, r->grid) < 0)
				rc = h5_error("write the dataset", name, errno);
			else
				r->written++;
		}
		H5Dclose(set);
	}
	if (space >= 0)
		H5Sclose(space);
	return rc ? rc : made;
}

static int check_one(struct h5_run *r, uint64_t i)
{
	size_t cells = (size_t)r->io.opt.n * (size_t)r->io.opt.n;
	hsize_t dims[2] = { 0, 0 };
	char name[32];
	hid_t set, space;
	int rc = 0;

	snprintf(name, sizeof(name), "data%05llu", (unsigned long long)i);
	if ((set = H5Dopen2(r->file, name, H5P_DEFAULT)) < 0)
		return h5_error("open the dataset", name, 0);
	space = H5Dget_space(set);
	if (space < 0 || H5Sget_simple_extent_ndims(space) != 2 ||
	    H5Sget_simple_extent_dims(space, dims, NULL) != 2 ||
	    dims[0] != (hsize_t)r->io.opt.n || dims[1] != (hsize_t)r->io.opt.n)
		rc = pk_mpi_error(-EBADMSG, "%s: dataset '%s' has the wrong shape", who,
				  name);
	if (space >= 0)
		H5Sclose(space);
	if (rc == 0 && H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
			       r->back) < 0)
		rc = h5_error("read the dataset", name, 0);
	H5Dclose(set);
	pk_mpi_io_fill(r->io.opt.n, i, r->grid);
	if (rc == 0 && memcmp(r->back, r->grid, cells * sizeof(double)) != 0)
		rc = pk_mpi_error(-EBADMSG, "%s: dataset '%s' reads back wrong", who, name);
	return rc;
}

/* Collective: reopen, rank 0 counts the datasets, each rank reads its own. */
static int verify(struct h5_run *r)
{
	H5G_info_t info;
	int rc = 0;

	memset(&info, 0, sizeof(info));
	r->file = open_file(r, 0);
	/* every rank opened it, or none goes on to the collective close */
	if ((rc = pk_mpi_agree(r->io.comm, r->file < 0 ?
			       h5_error("reopen", r->io.path, 0) : 0)))
		return rc;
	if (r->io.rank == 0 && H5Gget_info(r->file, &info) < 0)
		rc = h5_error("list", r->io.path, 0);
	else if (r->io.rank == 0 && info.nlinks != r->io.opt.files)
		rc = pk_mpi_error(-EBADMSG, "%s: '%s' holds %llu datasets, %llu were "
				  "written", who, r->io.path,
				  (unsigned long long)info.nlinks,
				  (unsigned long long)r->io.opt.files);
	for (uint64_t i = r->io.first; rc == 0 && i < r->io.first + r->io.count; i++)
		rc = check_one(r, i);
	if (H5Fclose(r->file) < 0 && rc == 0)
		rc = h5_error("close", r->io.path, 0);
	r->file = -1;
	return rc;
}

/* Collective: create, write, close; then verify. Agreed after each. */
static int run(struct h5_run *r)
{
	size_t cells = (size_t)r->io.opt.n * (size_t)r->io.opt.n;
	int rc;

	r->grid = malloc(cells * sizeof(double));
	r->back = malloc(cells * sizeof(double));
	rc = r->grid && r->back ? 0 :
	     pk_mpi_error(-ENOMEM, "%s: out of memory for a grid of %lld x %lld",
			  who, (long long)r->io.opt.n, (long long)r->io.opt.n);
	if ((rc = pk_mpi_agree(r->io.comm, rc)))
		return rc;
	MPI_Barrier(r->io.comm);
	r->t_start = perfkit_now_ns();
	errno = 0;
	if ((r->file = open_file(r, 1)) < 0)
		rc = h5_error("create", r->io.path, errno);
	if ((rc = pk_mpi_agree(r->io.comm, rc)))
		return rc;
	r->t_setup = perfkit_now_ns();
	rc = write_all(r);
	errno = 0;
	if (H5Fclose(r->file) < 0 && rc == 0)
		rc = h5_error("close", r->io.path, errno);
	r->file = -1;
	r->t_end = perfkit_now_ns();
	if ((rc = pk_mpi_agree(r->io.comm, rc)))
		return rc;
	return r->io.opt.verify ? pk_mpi_agree(r->io.comm, verify(r)) : 0;
}

/* This rank's record, on its own time axis (monotonic -> epoch). */
static int record(const struct h5_run *r, struct perfkit_results **local)
{
	double n2 = (double)r->io.opt.n * (double)r->io.opt.n;
	struct perfkit_record rec;
	struct timespec rt;
	uint64_t mono;
	double axis;
	int rc = perfkit_results_new(local);

	if (rc)
		return rc;
	mono = perfkit_now_ns();
	clock_gettime(CLOCK_REALTIME, &rt);
	axis = (double)((int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
			perfkit_results_epoch_ns(*local)) * 1e-9;
	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, "write-hdf5-mpi");
	rec.worker = 0;
	rec.problem_size = r->io.opt.n;
	rec.repetitions = r->written;
	rec.items = (double)r->written;
	rec.bytes = 8.0 * n2 * (double)r->written;
	rec.t_start = axis - (double)(mono - r->t_start) * 1e-9;
	rec.t_submit = rec.t_start;
	rec.t_setup = axis - (double)(mono - r->t_setup) * 1e-9;
	rec.t_end = axis - (double)(mono - r->t_end) * 1e-9;
	rec.elapsed = (double)(r->t_end - r->t_setup) * 1e-9;
	if ((rc = perfkit_results_append(*local, &rec)) == 0)
		rc = perfkit_results_extra_set(*local, 0, "file", r->io.path);
	return rc;
}

static int add_meta(const struct h5_run *r, struct perfkit_results *set)
{
	unsigned maj = 0, min = 0, rel = 0;
	char buf[64];
	int rc = perfkit_results_meta_set(set, "io.kernel", "write-hdf5-mpi");

	if (rc == 0)
		rc = perfkit_results_meta_set(set, "io.file", r->io.path);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->io.opt.files);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "io.datasets", buf);
	snprintf(buf, sizeof(buf), "%lld", (long long)r->io.opt.n);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "io.n", buf);
	H5get_libversion(&maj, &min, &rel);
	snprintf(buf, sizeof(buf), "%u.%u.%u (parallel, MPI-IO)", maj, min, rel);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "io.hdf5", buf);
	return rc;
}

/* Collective: every rank's record on rank 0. */
static int gather(struct h5_run *r, struct perfkit_results **out)
{
	struct pk_mpi_contribution mine = { .workers = 1 };
	struct perfkit_results *local = NULL;
	int rc = pk_mpi_agree(r->io.comm, record(r, &local));

	if (rc == 0) {
		pk_mpi_clock_sync(r->io.comm, 0, &mine.offset, &mine.uncertainty);
		mine.local = local;
		rc = pk_mpi_gather(r->io.comm, &mine, 0, 0, out);
	}
	if (rc == 0)
		rc = pk_mpi_agree(r->io.comm, *out ? add_meta(r, *out) : 0);
	if (rc) {
		perfkit_results_destroy(*out);
		*out = NULL;
	}
	perfkit_results_destroy(local);
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_write_hdf5(MPI_Comm comm,
					  const struct perfkit_mpi_io_options *opt,
					  struct perfkit_results **out)
{
	struct h5_run r;
	H5E_auto2_t func;
	void *data;
	int rc;

	memset(&r, 0, sizeof(r));
	r.file = -1;
	if (out)
		*out = NULL;
	if ((rc = pk_mpi_comm_usable(comm, who)))
		return rc;
	MPI_Comm_dup(comm, &r.io.comm);
	H5Eget_auto2(H5E_DEFAULT, &func, &data);
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	if ((rc = pk_mpi_io_prepare(&r.io, opt, out, who)) == 0) {
		rc = run(&r);
		if (rc == 0)
			rc = gather(&r, out);
		pk_mpi_io_cleanup(&r.io);
	}
	H5Eset_auto2(H5E_DEFAULT, func, data);
	free(r.grid);
	free(r.back);
	MPI_Comm_free(&r.io.comm);
	return rc;
}
