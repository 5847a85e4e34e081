/* SPDX-License-Identifier: MIT */
/* The MPI example programs' shared steps (see mpi-cli.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mpi-cli.h"
#include "plot.h"

#include <perfkit/perfkit.h>

/* How often a sleeping wait looks at its request. */
#define QUIET_POLL_NS 200000

/* What a rank's parser printed, held back until the verdict. */
struct capture {
	FILE *saved_out, *saved_err;
	char *out, *err;
	size_t out_len, err_len;
};

static int capture_begin(struct capture *c)
{
	FILE *o, *e;

	memset(c, 0, sizeof(*c));
	fflush(stdout);
	fflush(stderr);
	o = open_memstream(&c->out, &c->out_len);
	e = open_memstream(&c->err, &c->err_len);
	if (!o || !e) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		free(c->out);
		free(c->err);
		c->out = c->err = NULL;
		return -1; /* then parse uncaptured */
	}
	c->saved_out = stdout;
	c->saved_err = stderr;
	stdout = o;
	stderr = e;
	return 0;
}

static void capture_end(struct capture *c)
{
	if (!c->saved_out)
		return;
	fclose(stdout);
	fclose(stderr);
	stdout = c->saved_out;
	stderr = c->saved_err;
}

/* The deciding rank's output; its messages name it when it is not
 * rank 0 ("prog: rank 2 of 3: --darts '0': ..."). */
static void capture_print(const struct capture *c, int rank, int size)
{
	const char *prog = cli_program();
	size_t plen = strlen(prog);
	const char *line = c->err;

	if (c->out)
		fwrite(c->out, 1, c->out_len, stdout);
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (rank != 0 && strncmp(line, prog, plen) == 0 &&
		    strncmp(line + plen, ": ", 2) == 0) {
			fprintf(stderr, "%s: rank %d of %d: ", prog, rank, size);
			fwrite(line + plen + 2, 1, len - plen - 2, stderr);
		} else {
			fwrite(line, 1, len, stderr);
		}
		line += len;
	}
	fflush(stdout);
	fflush(stderr);
}

int mpi_cli_parse(MPI_Comm comm, mpi_cli_parser parse, int argc, char **argv,
		  void *args)
{
	struct capture c;
	int rank, size, rc, mine, first, status;
	int captured;

	MPI_Comm_rank(comm, &rank);
	MPI_Comm_size(comm, &size);
	captured = capture_begin(&c) == 0;
	rc = parse(argc, argv, size, args);
	if (captured)
		capture_end(&c);
	/* the lowest rank that stops decides for all */
	mine = rc >= 0 ? rank : size;
	MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
	if (first == size) {
		status = -1;
	} else {
		status = rc;
		MPI_Bcast(&status, 1, MPI_INT, first, comm);
		if (rank == first && captured)
			capture_print(&c, rank, size);
	}
	if (captured) {
		free(c.out);
		free(c.err);
	}
	return status;
}

void mpi_counts_default(int size, int64_t *counts, size_t *n)
{
	*n = 0;
	for (int64_t k = 1; k < size && *n < MPI_COUNTS_MAX - 1; k *= 2)
		counts[(*n)++] = k;
	counts[(*n)++] = size;
}

int mpi_counts_check(const int64_t *counts, size_t n, int size)
{
	for (size_t i = 0; i < n; i++) {
		if (counts[i] > size)
			return cli_error("--ranks: %lld ranks asked for, the job has %d "
					 "(start it with mpirun -np %lld)",
					 (long long)counts[i], size, (long long)counts[i]);
		if (i > 0 && counts[i] <= counts[i - 1])
			return cli_error("--ranks: the counts must increase (%lld after %lld)",
					 (long long)counts[i], (long long)counts[i - 1]);
	}
	return 0;
}

MPI_Comm mpi_counts_comm(MPI_Comm world, int k)
{
	MPI_Comm sub = MPI_COMM_NULL;
	int rank;

	MPI_Comm_rank(world, &rank);
	MPI_Comm_split(world, rank < k ? 0 : MPI_UNDEFINED, rank, &sub);
	return sub;
}

int mpi_quiet_max(MPI_Comm comm, int v)
{
	struct timespec nap = { 0, QUIET_POLL_NS };
	MPI_Request req;
	int in = v, out = v, done = 0;

	MPI_Iallreduce(&in, &out, 1, MPI_INT, MPI_MAX, comm, &req);
	for (;;) {
		MPI_Test(&req, &done, MPI_STATUS_IGNORE);
		if (done)
			return out;
		nanosleep(&nap, NULL);
	}
}

const char *mpi_library_name(void)
{
	static char lib[MPI_MAX_LIBRARY_VERSION_STRING];
	int len = 0;

	MPI_Get_library_version(lib, &len);
	lib[strcspn(lib, ",\n")] = '\0';
	return lib;
}

int mpi_run_options_check(const int64_t *counts, size_t n, int size,
			  double price, double deadline, const char *outfile,
			  const char *plot, int rank)
{
	enum perfkit_format f;

	if (mpi_counts_check(counts, n, size) != 0)
		return -1;
	if (!isinf(deadline) && price < 0)
		return cli_error("--deadline needs --price (the cheapest count within it)");
	if (outfile && perfkit_format_from_path(outfile, &f) != 0)
		return cli_error("--outfile %s: the name must end in .json, .csv, "
				 ".jsonl or .ndjson", outfile);
	if (rank == 0 && outfile && cli_check_output_path("--outfile", outfile) != 0)
		return -1;
	if (rank == 0 && plot && plot_check_path(plot) != 0)
		return -1;
	return 0;
}
