/* SPDX-License-Identifier: MIT */
/* libperfkit-mpi's internals, shared by the files of lib/mpi/. Not installed. */
#ifndef PERFKIT_MPI_PRIVATE_H
#define PERFKIT_MPI_PRIVATE_H

#include <errno.h>
#include <stdint.h>

#include "perfkit/perfkit.h"
#include "perfkit/mpi.h"

#include "export.h" /* PERFKIT_EXPORT: libperfkit-mpi's ABI */

/* Message tags on our duplicate of the caller's communicator. */
enum { PK_MPI_TAG_CLOCK = 1, PK_MPI_TAG_RECORDS = 2 };

/* Set the message (perfkit_set_error()) and return @code. */
#define pk_mpi_error(code, ...) perfkit_set_error((code), __VA_ARGS__)

/* Prefix the current message: "<fmt...>: <previous message>". */
int pk_mpi_wrap_error(int code, const char *fmt, ...)
	PK_PRINTF(2, 3);

/* What can be checked without communicating: @comm usable at all. */
int pk_mpi_comm_usable(MPI_Comm comm, const char *who);

/* A rank of @comm, or the message why not. */
int pk_mpi_check_root(MPI_Comm comm, int root, const char *who);

/* Collective. Every rank passes its own result; all return the code of
 * the lowest-numbered rank whose @rc is non-zero (0 if none), and that
 * rank's message, prefixed "rank R of N: ", becomes every rank's
 * perfkit_last_error(). */
int pk_mpi_agree(MPI_Comm comm, int rc);

/* Collective: a barrier that sleeps while it waits. MPI libraries
 * busy-poll in blocking calls; a rank that waits long (for a slower
 * rank's peak reference or workers) would take a core from the workers
 * of other ranks on its node. Leaves within ~0.2 ms of the last arrival:
 * follow with MPI_Barrier() where the ranks must leave together. */
void pk_mpi_quiet_barrier(MPI_Comm comm);

/* CLOCK_REALTIME in ns. */
int64_t pk_mpi_realtime_ns(void);

/* Collective: Cristian's method against @root (offset and half round
 * trip in seconds; both 0 on the root). */
void pk_mpi_clock_sync(MPI_Comm comm, int root, double *offset,
		       double *uncertainty);

/* What one rank contributes to a gather. */
struct pk_mpi_contribution {
	const struct perfkit_results *local; /* NULL: no records */
	int status;       /* this rank's run status, for the metadata */
	int64_t workers;  /* worker indices this rank owns; -1: from records */
	double offset, uncertainty, drift; /* clock against the root, s */
};

/* Collective gather on an already agreed, valid @comm (no argument
 * checks). *out is the new set on @root, NULL elsewhere. Returns the
 * agreed result. */
int pk_mpi_gather(MPI_Comm comm, const struct pk_mpi_contribution *mine,
		  int root, int harness, struct perfkit_results **out);

/* One rank's part as the root receives it. */
struct pk_mpi_part {
	char *text;          /* JSON Lines, NUL-terminated; NULL if none */
	int64_t len;
	int64_t status, workers;
	double offset, uncertainty, drift;
	char host[MPI_MAX_PROCESSOR_NAME + 1];
	struct perfkit_results *set; /* parsed; NULL if none */
};

/* On the root: parse the parts and build the gathered set. */
int pk_mpi_merge(struct pk_mpi_part *parts, int nranks, int root,
		 int harness, struct perfkit_results **out);

/* On the root, for harness runs: the job-wide harness.* keys. */
int pk_mpi_harness_meta(struct perfkit_results *res,
			const struct pk_mpi_part *parts, int nranks);

#endif /* PERFKIT_MPI_PRIVATE_H */
