/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: the command line, parsed alike on every rank and
 * checked before any work starts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "pi-args.h"
#include "pi-darts.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options]\n"
		"Estimate pi by throwing darts at the unit square on every MPI rank, as the\n"
		"MPI-on-EC2 talk does; a reduce adds up the hits. Runs each rank count of\n"
		"--ranks on the first ranks of the job and prints the estimate, its error,\n"
		"the time, speedup and efficiency and, with --price, what each count costs.\n"
		"Start it with as many ranks as the largest count:\n"
		"  mpirun -np 4 %s --ranks 1,2,4 --price 0.10\n"
		"  -n, --darts N            darts per run, all ranks together (default 100000000)\n"
		"  -s, --seed S             the random stream; the same seed gives the same\n"
		"                           hits on any number of ranks (default 1)\n"
		"  -r, --ranks LIST         rank counts to run, increasing (default 1,2,4,... and\n"
		"                           the job's size)\n"
		"      --repeat R           timed runs per rank count (default 3)\n"
		"      --price DOLLARS      price of one CPU for an hour: print time against cost\n"
		"      --deadline SECONDS   with --price: the cheapest count that takes at most this\n"
		"  -o, --outfile FILE       write a record per run: .json, .csv, .jsonl or .ndjson\n"
		"      --plot FILE          draw speedup and efficiency, .png or .svg (gnuplot)\n"
		"  -h, --help               this text\n"
		"      --version            the program's and libperfkit's version\n",
		cli_program(), cli_program());
}

enum { OPT_REPEAT = 256, OPT_PRICE, OPT_DEADLINE, OPT_PLOT };

static int parse_one(int c, struct pi_args *a, int *help, int *version)
{
	switch (c) {
	case 'n':
		return cli_parse_u64("--darts", optarg, 1, PI_DARTS_MAX, &a->darts);
	case 's':
		return cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &a->seed);
	case 'r':
		return cli_parse_list_i64("--ranks", optarg, 1, 1 << 24, a->counts,
					  MPI_COUNTS_MAX, &a->ncounts);
	case OPT_REPEAT:
		return cli_parse_int("--repeat", optarg, 1, 1000, &a->repeat);
	case OPT_PRICE:
		return cli_parse_double("--price", optarg, 0, 1e6, &a->price);
	case OPT_DEADLINE:
		return cli_parse_positive("--deadline", optarg, INFINITY, &a->deadline);
	case 'o': a->outfile = optarg; return 0;
	case OPT_PLOT: a->plot = optarg; return 0;
	case 'h': *help = 1; return 0;
	case CLI_OPT_VERSION: *version = 1; return 0;
	default: return -1;
	}
}

/* Checks of the whole line; the output paths only where they are
 * written (rank 0), since other nodes may not have the folder. */
static int check(const struct pi_args *a, const struct mpi_rank *me)
{
	return mpi_run_options_check(a->counts, a->ncounts, a->price, a->deadline,
				     a->outfile, a->plot, me);
}

int pi_parse(int argc, char **argv, const struct mpi_rank *me, void *args)
{
	static const struct option opts[] = {
		{ "darts", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "ranks", required_argument, NULL, 'r' },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "outfile", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	struct pi_args *a = args;
	int c, help = 0, version = 0;

	memset(a, 0, sizeof(*a));
	a->darts = 100000000;
	a->seed = 1;
	a->repeat = 3;
	a->price = -1;
	a->deadline = INFINITY;
	while ((c = cli_getopt(argc, argv, "n:s:r:o:h", opts)) != -1)
		if (c == '?' || parse_one(c, a, &help, &version) != 0)
			return CLI_EXIT_USAGE;
	if ((c = mpi_options_parsed(argc, argv, help, version, usage)) >= 0)
		return c;
	if (a->ncounts == 0)
		mpi_counts_default(me->size, a->counts, &a->ncounts);
	return check(a, me) == 0 ? -1 : CLI_EXIT_USAGE;
}
