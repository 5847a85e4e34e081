/* SPDX-License-Identifier: MIT */
/* perfkit_mpi_write_hdf5() in a libperfkit-mpi built without parallel
 * HDF5: the arguments are checked as in the real one, then every rank
 * returns -ENOTSUP, nothing written. */
#include "mpi-private.h"

PERFKIT_EXPORT int perfkit_mpi_write_hdf5(MPI_Comm comm,
					  const struct perfkit_mpi_io_options *opt,
					  struct perfkit_results **out)
{
	static const char who[] = "mpi_write_hdf5";
	int rc;

	if ((rc = pk_mpi_comm_usable(comm, who)))
		return rc;
	if (out)
		*out = NULL;
	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !opt ? "opt" : "out");
	else
		rc = pk_mpi_error(-ENOTSUP, "%s: libperfkit-mpi was built without "
				  "parallel HDF5 (install libhdf5-openmpi-dev and "
				  "rebuild: meson option hdf5_mpi)", who);
	return pk_mpi_agree(comm, rc);
}
