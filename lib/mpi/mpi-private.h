/* SPDX-License-Identifier: MIT */
/* libperfkit-mpi's internals, shared by the files of lib/mpi/. Not installed. */
#ifndef PERFKIT_MPI_PRIVATE_H
#define PERFKIT_MPI_PRIVATE_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>

#include "perfkit/perfkit.h"
#include "perfkit/mpi.h"

#include "export.h" /* PERFKIT_EXPORT: libperfkit-mpi's ABI */

/* Message tags on our duplicate of the caller's communicator. */
enum { PK_MPI_TAG_CLOCK = 1, PK_MPI_TAG_RECORDS = 2, PK_MPI_TAG_PINGPONG = 3,
       PK_MPI_TAG_TASK_ASK = 4, PK_MPI_TAG_TASK = 5 };

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

/* ---- the binary form of a rank's records (mpi-wire.c) ----
 *
 * A rank's result set travels as one block of bytes in the sender's own
 * layout: struct pk_mpi_wire_head, then the records as this header
 * declares struct perfkit_record (record_size bytes each), then one
 * uint32_t per record (its number of extra columns), then NUL-terminated
 * strings: the metadata's key/value pairs, then each record's extra
 * key/value pairs in record order. The format leads the block and is
 * agreed by every rank before any block is sent: a rank built with
 * another record layout or byte order is refused, never misread. */
#define PK_MPI_WIRE_MAGIC "PKRB"
#define PK_MPI_WIRE_VERSION 1
#define PK_MPI_WIRE_BYTE_ORDER 0x01020304u

/* 24 bytes, always moved as bytes (MPI_BYTE) so that MPI never converts
 * them: the byte order is what the bytes show. */
struct pk_mpi_wire_format {
	char magic[4];           /* PK_MPI_WIRE_MAGIC */
	uint32_t version;        /* PK_MPI_WIRE_VERSION */
	uint32_t byte_order;     /* PK_MPI_WIRE_BYTE_ORDER as stored here */
	uint32_t record_version; /* PERFKIT_RECORD_VERSION */
	uint32_t record_size;    /* sizeof(struct perfkit_record) */
	uint32_t reserved;       /* 0 */
};

struct pk_mpi_wire_head {
	struct pk_mpi_wire_format format;
	int64_t epoch_ns;
	uint64_t records; /* count */
	uint64_t meta;    /* metadata pairs */
	uint64_t strings; /* bytes of strings at the end */
};

/* This rank's format (the test suite can forge it: mpi-wire.c). */
void pk_mpi_wire_format(struct pk_mpi_wire_format *f);

/* 0 if this rank reads and writes @root_form, else -ENOTSUP with a
 * message that names both forms. */
int pk_mpi_wire_check(const struct pk_mpi_wire_format *root_form);

/* Sender (mpi-pack.c): @set in the binary form, in a new block. */
int pk_mpi_pack(const struct perfkit_results *set, char **bytes, size_t *len);

/* Receiver (mpi-unpack.c): a checked view of a block, pointing into it. */
struct pk_mpi_unpacked {
	int64_t epoch_ns;
	size_t records, meta;
	const char *record;  /* the first record (not aligned: memcpy) */
	const char *nextras; /* uint32_t per record (not aligned) */
	const char *strings; /* the metadata pairs, then the extras */
	const char *extras;  /* the first record's extra pairs */
};

/* -EBADMSG if @bytes are not a whole block of this rank's form. */
int pk_mpi_unpack(const char *bytes, size_t len, struct pk_mpi_unpacked *set);

/* The string after @s in a checked block. */
const char *pk_mpi_unpacked_next(const char *s);

/* A metadata value of a checked block, or NULL. */
const char *pk_mpi_unpacked_meta(const struct pk_mpi_unpacked *set, const char *key);

/* Record @i of a checked block, and its number of extra pairs. */
void pk_mpi_unpacked_record(const struct pk_mpi_unpacked *set, size_t i,
			    struct perfkit_record *rec, uint32_t *nextras);

/* ---- gathering (mpi-gather.c), merging on the root (mpi-merge.c) ---- */

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
	char *bytes;         /* the packed set; NULL if none */
	int64_t len;
	int64_t status, workers;
	double offset, uncertainty, drift;
	char host[MPI_MAX_PROCESSOR_NAME + 1];
	int has_set;                /* bytes were unpacked into set */
	struct pk_mpi_unpacked set;
};

/* On the root: check the parts and build the gathered set. */
int pk_mpi_merge(struct pk_mpi_part *parts, int nranks, int root,
		 int harness, struct perfkit_results **out);

/* ---- the gathered set's metadata (mpi-meta.c, mpi-meta-harness.c) ---- */

/* On the root: the mpi.* keys. */
int pk_mpi_meta_mpi(struct perfkit_results *res, const struct pk_mpi_part *parts,
		    int nranks, int root, int harness);

/* On the root, for harness runs: the job-wide harness.* keys. */
int pk_mpi_meta_harness(struct perfkit_results *res,
			const struct pk_mpi_part *parts, int nranks);


/* ---- where ranks run (mpi-context.c, mpi-place.c) ---- */

#define PK_MPI_HOST_LEN (MPI_MAX_PROCESSOR_NAME + 1)

/* Every rank's host and CPUs, and the library, known on every rank. */
struct pk_mpi_context {
	int nranks, nodes;
	char library[MPI_MAX_LIBRARY_VERSION_STRING + 1];
	char *hosts; /* PK_MPI_HOST_LEN per rank */
	char *cores; /* PERFKIT_MPI_CORES_MAX per rank */
};

/* "0-3,8" from a CPU set (operating-system numbers). */
void pk_mpi_cpulist(const cpu_set_t *set, char *buf, size_t len);

/* The calling thread's CPUs as such a list. */
int pk_mpi_cpus_self(char *buf, size_t len);

/* MPI_Get_library_version() on one line. */
void pk_mpi_library(char *lib);

/* Collective (allgather); the result is agreed. */
int pk_mpi_context_get(MPI_Comm comm, struct pk_mpi_context *ctx);
void pk_mpi_context_free(struct pk_mpi_context *ctx);
const char *pk_mpi_context_host(const struct pk_mpi_context *ctx, int r);
const char *pk_mpi_context_cores(const struct pk_mpi_context *ctx, int r);

/* mpi.library, mpi.ranks and per rank host and cores. */
int pk_mpi_context_meta(struct perfkit_results *res, const struct pk_mpi_context *ctx);

/* Extra columns of record @i: every rank's place, or ranks 0 and 1's. */
int pk_mpi_context_tag_all(struct perfkit_results *res, size_t i,
			   const struct pk_mpi_context *ctx);
int pk_mpi_context_tag_pair(struct perfkit_results *res, size_t i,
			    const struct pk_mpi_context *ctx);

/* ---- communication benchmarks (mpi-p2p-*.c, mpi-coll-*.c) ---- */

/* Sizes of a sweep: ascending, without repeats. */
struct pk_mpi_sizes {
	int64_t *bytes;
	size_t n;
};

/* NetPIPE's sizes: min, powers of two with +-pert, max. */
int pk_mpi_sizes_netpipe(int64_t min, int64_t max, int pert, struct pk_mpi_sizes *s);

/* min and its doublings up to max. */
int pk_mpi_sizes_doubling(int64_t min, int64_t max, struct pk_mpi_sizes *s);

/* Repetitions so that @want seconds pass, from one that took @one. */
uint64_t pk_mpi_reps_for(double want, double one, uint64_t max);

/* The monotonic clock, seconds. */
double pk_mpi_now(void);

/* Collective: 0 if this rank's @len bytes at @opt equal rank 0's, else
 * -EINVAL naming @who. */
int pk_mpi_same_options(MPI_Comm comm, const void *opt, size_t len, const char *who);

/* ---- task queues across ranks (mpi-queue*.c) ---- */

struct pk_mpi_queue {
	MPI_Comm comm;
	int rank, size;
	struct perfkit_mpi_queue_options opt; /* full size, defaults filled */
	const struct perfkit_kernel *kernel;
	struct perfkit_results *local; /* this rank's records */
	int worker;        /* 0, or -1 when rank 0 only hands out */
	unsigned workers;  /* ranks that run tasks */
	uint64_t mono0;    /* perfkit_now_ns() at ... */
	double axis0;      /* ... this many seconds from local's epoch */
	double submit;     /* rank 0 filled the queue: s from local's epoch */
	double offset, uncertainty; /* clock against rank 0 */
	int err;           /* a record could not be kept (-ENOMEM) */
};

/* mpi-queue-options.c: the caller's options over the defaults, checked
 * on this rank (sizes on rank 0 only), then against rank 0's. */
int pk_mpi_queue_options_read(struct pk_mpi_queue *q,
			      const struct perfkit_mpi_queue_options *opt);
int pk_mpi_queue_options_same(struct pk_mpi_queue *q);

/* Problem size of task @i on rank 0. */
int64_t pk_mpi_queue_size_of(const struct pk_mpi_queue *q, uint64_t i);

/* mpi-queue-task.c: run task @task of @size here and keep its record;
 * or keep the record of a task never taken. */
void pk_mpi_queue_task(struct pk_mpi_queue *q, uint64_t task, int64_t size);
void pk_mpi_queue_untaken(struct pk_mpi_queue *q, uint64_t task, int64_t size);

/* mpi-queue-order.c, on rank 0: the gathered set in task order, with the
 * queue.* metadata; returns the first failed task's status (message
 * set), 0 if none failed. */
int pk_mpi_queue_finish(struct pk_mpi_queue *q, struct perfkit_results **set);

/* ---- write-hdf5-mpi (mpi-io-*.c) ---- */

struct pk_mpi_io {
	MPI_Comm comm;
	int rank, size;
	struct perfkit_mpi_io_options opt; /* full size, defaults filled */
	char dir[4096];  /* rank 0's folder, known on every rank */
	char path[4096]; /* the one file */
	int own_dir;     /* rank 0 made the folder */
	uint64_t first, count; /* this rank's datasets */
};

/* Collective: options checked everywhere and against rank 0's, the
 * folder chosen (or made) by rank 0 and the file's path sent to all. */
int pk_mpi_io_prepare(struct pk_mpi_io *io, const struct perfkit_mpi_io_options *opt,
		      struct perfkit_results **out, const char *who);

/* Collective: the file (and a folder rank 0 made) removed unless kept. */
void pk_mpi_io_cleanup(struct pk_mpi_io *io);

/* The write-hdf5 kernel's grid of file @file: rows of N values. */
void pk_mpi_io_fill(int64_t n, uint64_t file, double *grid);

#endif /* PERFKIT_MPI_PRIVATE_H */
