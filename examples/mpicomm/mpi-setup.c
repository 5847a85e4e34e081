/* SPDX-License-Identifier: MIT */
/* Options agreed by every rank: see mpi-setup.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mpi-setup.h"

/* What a rank that stopped on its own tells the others. */
enum { GO_ON = 0, STOP_OK = 1 };

/* Run @parse with stderr held in *text (malloc'd, may be empty). */
static int parse_quietly(int argc, char **argv, mpi_parse_fn parse, void *data,
			 int quiet, char **text)
{
	FILE *saved = stderr, *mem;
	size_t len = 0;
	int rc;

	*text = NULL;
	mem = open_memstream(text, &len);
	if (mem)
		stderr = mem;
	rc = parse(argc, argv, data, quiet);
	if (mem) {
		fclose(mem);
		stderr = saved;
	}
	return rc;
}

/* The first line of @text without "<program>: " (in place). */
static const char *first_line(char *text)
{
	size_t n = strlen(cli_program());
	char *nl;

	if (!text || !*text)
		return "refused its options";
	if ((nl = strchr(text, '\n')))
		*nl = '\0';
	if (strncmp(text, cli_program(), n) == 0 && strncmp(text + n, ": ", 2) == 0)
		text += n + 2;
	return text;
}

int mpi_setup_agreed(MPI_Comm comm, int argc, char **argv, mpi_parse_fn parse,
		     void *data)
{
	char *text = NULL;
	int rank, rc, mine, agreed;

	MPI_Comm_rank(comm, &rank);
	rc = parse_quietly(argc, argv, parse, data, rank != 0, &text);
	mine = rc < 0 ? GO_ON : rc == CLI_EXIT_OK ? STOP_OK : -EINVAL;
	if (mine < 0) {
		/* keep the whole text for rank 0's own refusal */
		char *copy = strdup(text ? text : "");

		perfkit_set_error(-EINVAL, "%s", first_line(copy));
		free(copy);
	}
	agreed = perfkit_mpi_agree(comm, mine);
	if (agreed < 0 && rank == 0) {
		if (mine < 0 && text && strncmp(perfkit_last_error(), "rank 0 ", 7) == 0)
			fputs(text, stderr); /* as the program says it alone */
		else
			cli_error("%s", perfkit_last_error());
	}
	if (agreed == GO_ON && rank == 0 && text)
		fputs(text, stderr); /* warnings of a command line accepted */
	free(text);
	if (agreed == GO_ON)
		return -1;
	return agreed > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int mpi_setup_parsed(int argc, char **argv, int help, int version, int quiet,
		     void (*usage)(FILE *out))
{
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!help && !version)
		return -1;
	if (!quiet && help)
		usage(stdout);
	else if (!quiet)
		cli_print_version(stdout);
	return CLI_EXIT_OK;
}
