/* SPDX-License-Identifier: MIT */
/* perfkit-workshop built without MPI: never started as an MPI job, so
 * the MPI studies are never reached; these keep the program whole. */
#include "workshop.h"

int wmpi_begin(void)
{
	return 0;
}

int wmpi_rank(void)
{
	return 0;
}

int wmpi_hold(int rc)
{
	return rc;
}

void wmpi_end(void)
{
}

int wmpi_study_queue(struct study_data *d, const struct mpi_plan *p,
		     struct perfkit_results **keep)
{
	(void)d;
	(void)p;
	(void)keep;
	return 0;
}

int wmpi_io_row(struct study_data *d, int64_t n, uint64_t files,
		const char *folder, int keep, double text_seconds)
{
	(void)d;
	(void)n;
	(void)files;
	(void)folder;
	(void)keep;
	(void)text_seconds;
	return 1;
}
