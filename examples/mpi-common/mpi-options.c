/* SPDX-License-Identifier: MIT */
/* Options agreed by every rank: see mpi-options.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/mpi.h>
#include <perfkit/perfkit.h>

#include "cli.h"
#include "mpi-options.h"
#include "plot.h"

/* What a rank tells the others through perfkit_mpi_agree(); a refusal
 * is -EINVAL. */
enum { GO_ON = 0, STOP_OK = 1 };

/* What a rank's parser printed, held back until the verdict. */
struct capture {
	FILE *saved_out, *saved_err;
	char *out, *err;
	size_t out_len, err_len;
};

/* 0 with stdout and stderr going to memory, or -1: then the parser
 * prints as usual (every rank may say it, but none waits). */
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
		return -1;
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

/* Print what was held back; "<prog>: ..." lines name the rank when it
 * is not rank 0 ("<prog>: rank 2 of 3: ..."). */
static void capture_print(const struct capture *c, const struct mpi_rank *me)
{
	const char *prog = cli_program();
	size_t plen = strlen(prog);
	const char *line = c->err;

	if (c->out)
		fwrite(c->out, 1, c->out_len, stdout);
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (me->rank != 0 && strncmp(line, prog, plen) == 0 &&
		    strncmp(line + plen, ": ", 2) == 0) {
			fprintf(stderr, "%s: rank %d of %d: ", prog, me->rank, me->size);
			fwrite(line + plen + 2, 1, len - plen - 2, stderr);
		} else {
			fwrite(line, 1, len, stderr);
		}
		line += len;
	}
	fflush(stdout);
	fflush(stderr);
}

/* The lowest rank that stopped, from perfkit_mpi_agree()'s message
 * ("rank R of N: ..."), or -1. */
static int deciding_rank(void)
{
	int first = -1, n = 0;

	if (sscanf(perfkit_last_error(), "rank %d of %d", &first, &n) != 2)
		return -1;
	return first;
}

/* This rank's word for perfkit_mpi_agree(), with a message for the
 * others' perfkit_last_error(). */
static int verdict(int rc, const struct capture *c)
{
	const char *err = c->err && *c->err ? c->err : "refused its options";

	if (rc < 0)
		return GO_ON;
	if (rc == CLI_EXIT_OK) {
		perfkit_set_error(-EINVAL, "stopped (--help or --version)");
		return STOP_OK;
	}
	perfkit_set_error(-EINVAL, "%.*s", (int)strcspn(err, "\n"), err);
	return -EINVAL;
}

int mpi_options_agree(MPI_Comm comm, int argc, char **argv, mpi_parse_fn parse,
		      void *data)
{
	struct mpi_rank me;
	struct capture c;
	int captured, rc, agreed, first;

	MPI_Comm_rank(comm, &me.rank);
	MPI_Comm_size(comm, &me.size);
	captured = capture_begin(&c) == 0;
	rc = parse(argc, argv, &me, data);
	capture_end(&c);
	agreed = perfkit_mpi_agree(comm, verdict(rc, &c));
	first = agreed == GO_ON ? 0 : deciding_rank();
	if (captured && me.rank == first)
		capture_print(&c, &me); /* the refusal, help, or rank 0's warnings */
	else if (first < 0 && me.rank == 0)
		cli_error("%s", perfkit_last_error());
	free(c.out);
	free(c.err);
	if (agreed == GO_ON)
		return -1;
	return agreed == STOP_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int mpi_options_parsed(int argc, char **argv, int help, int version,
		       void (*usage)(FILE *out))
{
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (help)
		usage(stdout);
	else if (version)
		cli_print_version(stdout);
	return help || version ? CLI_EXIT_OK : -1;
}

int mpi_outputs_check(const char *outfile, const char *plot, const struct mpi_rank *me)
{
	enum perfkit_format f;

	if (outfile && perfkit_format_from_path(outfile, &f) != 0)
		return cli_error("--outfile %s: the name must end in .json, .csv, "
				 ".jsonl or .ndjson", outfile);
	if (me->rank != 0)
		return 0;
	if (outfile && cli_check_output_path("--outfile", outfile) != 0)
		return -1;
	if (plot && plot_check_path(plot) != 0)
		return -1;
	return 0;
}
