/* SPDX-License-Identifier: MIT */
/*
 * The command line of an MPI example, agreed by every rank before any
 * other collective. Each rank parses its own arguments (an MPMD launch,
 * "mpirun -np 2 prog ... : -np 1 prog ...", may give ranks different
 * ones) with what it prints held back; perfkit_mpi_agree() then makes
 * every rank go on, or every rank stop with one status: 2 when some rank
 * refused its options, 0 when the lowest rank that stopped asked for
 * --help or --version. Only that lowest rank prints what it had to say,
 * so the message appears once, and it names the rank when it is not
 * rank 0 ("prog: rank 2 of 3: --darts '0': ..."). No rank is left
 * waiting in a collective.
 */
#ifndef PK_EXAMPLES_MPI_OPTIONS_H
#define PK_EXAMPLES_MPI_OPTIONS_H

#include <stdio.h>

#include <mpi.h>

/* Where a command line is parsed: this rank of a job of @size ranks. */
struct mpi_rank {
	int rank, size;
};

/* A program's parser: fills @data; returns -1 when there is work to do,
 * else the exit status (0 after --help or --version, 2 after a bad
 * option), printing usage, version and errors as a serial program does. */
typedef int (*mpi_parse_fn)(int argc, char **argv, const struct mpi_rank *me,
			    void *data);

/*
 * Collective over @comm: run @parse on every rank and agree. Returns -1
 * when every rank has work to do (rank 0's warnings, if any, printed),
 * else the exit status every rank returns, said once as above.
 */
int mpi_options_agree(MPI_Comm comm, int argc, char **argv, mpi_parse_fn parse,
		      void *data);

/*
 * After getopt: a stray argument is a usage error (2); --help prints
 * @usage and --version the version, on stdout (0); otherwise -1: go on to
 * the program's own checks.
 */
int mpi_options_parsed(int argc, char **argv, int help, int version,
		       void (*usage)(FILE *out));

/*
 * --outfile's format (on every rank: they all agree) and, on rank 0,
 * which writes them, that --outfile and --plot can be written (other
 * nodes may not have the folder). Either may be NULL. 0, or -1 after
 * saying why.
 */
int mpi_outputs_check(const char *outfile, const char *plot, const struct mpi_rank *me);

#endif /* PK_EXAMPLES_MPI_OPTIONS_H */
