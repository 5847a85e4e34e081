/* SPDX-License-Identifier: MIT */
/*
 * The command line of an MPI example, agreed by every rank before any
 * other collective: each rank parses its own arguments (an MPMD launch may
 * give ranks different ones), what it would say on stderr is held back,
 * and perfkit_mpi_agree() makes every rank go on, or every rank stop with
 * the same status. Rank 0 prints the message of the lowest rank that
 * refused its options, once; the others print nothing.
 */
#ifndef PK_EXAMPLES_MPI_SETUP_H
#define PK_EXAMPLES_MPI_SETUP_H

#include <stdio.h>

#include <perfkit/mpi.h>
#include <perfkit/perfkit.h>

/* Parse into @data. Returns -1 when there is work to do, else the exit
 * status (0 after --help or --version, printed unless @quiet; 2 after a
 * bad option, said on stderr). */
typedef int (*mpi_parse_fn)(int argc, char **argv, void *data, int quiet);

/*
 * Collective over @comm: -1 when every rank has work to do, else the exit
 * status every rank returns (2 when some rank refused its options, 0 when
 * the lowest rank that stopped asked for --help or --version).
 */
/* After getopt: a stray argument is a usage error (CLI_EXIT_USAGE);
 * --help or --version print (unless @quiet) and end (CLI_EXIT_OK);
 * otherwise -1: go on to the program's own checks. */
int mpi_setup_parsed(int argc, char **argv, int help, int version, int quiet,
		     void (*usage)(FILE *out));

int mpi_setup_agreed(MPI_Comm comm, int argc, char **argv, mpi_parse_fn parse,
		     void *data);

#endif /* PK_EXAMPLES_MPI_SETUP_H */
