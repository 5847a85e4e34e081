/* SPDX-License-Identifier: MIT */
/*
 * As layout.c, for the structs of libperfkit-mpi the Python package mirrors
 * (built only where MPI is): test_layout.py compares them with
 * perfkit/_structs.py's MPI_MIRRORS.
 */
#include <perfkit/mpi.h>

#include "layout.h"

int main(void)
{
	printf("{");
	STRUCT(perfkit_mpi_p2p_options);
	FIELD(perfkit_mpi_p2p_options, size);
	FIELD(perfkit_mpi_p2p_options, pattern);
	FIELD(perfkit_mpi_p2p_options, min_bytes);
	FIELD(perfkit_mpi_p2p_options, max_bytes);
	FIELD(perfkit_mpi_p2p_options, perturbation);
	FIELD(perfkit_mpi_p2p_options, trials);
	FIELD(perfkit_mpi_p2p_options, trial_time);
	FIELD(perfkit_mpi_p2p_options, warmup);
	FIELD(perfkit_mpi_p2p_options, window);
	END();
	STRUCT(perfkit_mpi_collective_options);
	FIELD(perfkit_mpi_collective_options, size);
	FIELD(perfkit_mpi_collective_options, op);
	FIELD(perfkit_mpi_collective_options, min_bytes);
	FIELD(perfkit_mpi_collective_options, max_bytes);
	FIELD(perfkit_mpi_collective_options, time);
	FIELD(perfkit_mpi_collective_options, warmup);
	FIELD(perfkit_mpi_collective_options, root);
	END();
	printf("}\n");
	return ferror(stdout) ? 1 : 0;
}
