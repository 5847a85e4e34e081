/* SPDX-License-Identifier: MIT */
/* Agreeing on one result across ranks, so that a failure on one rank is
 * returned, with its message, on every rank instead of leaving the others
 * waiting in a collective. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mpi-private.h"

/* Message bytes that travel with an agreed failure. */
#define MESSAGE_MAX 512

/* Poll interval of a quiet barrier. */
#define QUIET_POLL_NS 200000

void pk_mpi_quiet_barrier(MPI_Comm comm)
{
	struct timespec nap = { 0, QUIET_POLL_NS };
	MPI_Request req;
	int done = 0;

	MPI_Ibarrier(comm, &req);
	for (;;) {
		MPI_Test(&req, &done, MPI_STATUS_IGNORE);
		if (done)
			break;
		nanosleep(&nap, NULL);
	}
}

int pk_mpi_comm_usable(MPI_Comm comm, const char *who)
{
	int init = 0, fini = 0, inter = 0;

	MPI_Initialized(&init);
	MPI_Finalized(&fini);
	if (!init || fini)
		return pk_mpi_error(-EINVAL, "%s: MPI is %s (call it between MPI_Init "
				    "and MPI_Finalize)", who,
				    fini ? "already finalised" : "not initialised");
	if (comm == MPI_COMM_NULL)
		return pk_mpi_error(-EINVAL, "%s: comm is MPI_COMM_NULL", who);
	MPI_Comm_test_inter(comm, &inter);
	if (inter)
		return pk_mpi_error(-EINVAL, "%s: comm is an inter-communicator "
				    "(use an intra-communicator such as MPI_COMM_WORLD)", who);
	return 0;
}

int pk_mpi_wrap_error(int code, const char *fmt, ...)
{
	char cause[MESSAGE_MAX], what[MESSAGE_MAX];
	va_list ap;

	snprintf(cause, sizeof(cause), "%s", perfkit_last_error());
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return pk_mpi_error(code, "%s: %s", what, cause);
}

int pk_mpi_check_root(MPI_Comm comm, int root, const char *who)
{
	int size;

	MPI_Comm_size(comm, &size);
	if (root < 0 || root >= size)
		return pk_mpi_error(-EINVAL, "%s: root %d is not a rank of comm "
				    "(0 to %d)", who, root, size - 1);
	return 0;
}

int pk_mpi_agree(MPI_Comm comm, int rc)
{
	int rank, size, mine, first, code = rc;
	char msg[MESSAGE_MAX];

	MPI_Comm_rank(comm, &rank);
	MPI_Comm_size(comm, &size);
	mine = rc ? rank : size;
	MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
	if (first == size)
		return 0;
	memset(msg, 0, sizeof(msg));
	if (rank == first)
		snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	MPI_Bcast(&code, 1, MPI_INT, first, comm);
	MPI_Bcast(msg, MESSAGE_MAX, MPI_CHAR, first, comm);
	msg[MESSAGE_MAX - 1] = '\0';
	return pk_mpi_error(code, "rank %d of %d: %s", first, size, msg);
}
