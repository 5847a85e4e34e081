/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: the command line, parsed alike on every rank and
 * checked before any work starts. */
#include <math.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "corr-args.h"
#include "corr-data.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options]\n"
		"Pearson's correlation of every pair of rating vectors, as the MPI-on-EC2 talk\n"
		"computed it for Netflix movies: rank 0 scatters the vectors, every rank\n"
		"correlates its share with all of them, rank 0 gathers the results and checks\n"
		"them against a serial computation. Runs each rank count of --ranks on the\n"
		"first ranks of the job and prints the time, speedup and efficiency:\n"
		"  mpirun -np 4 %s --items 2000 --users 5000 --ranks 1,2,4\n"
		"  -m, --items M            rating vectors (movies) to generate (default 500)\n"
		"  -u, --users U            ratings per vector (default 1000)\n"
		"  -s, --seed S             the generated ratings (default 1)\n"
		"  -i, --input FILE         read the vectors from a CSV file instead: one line\n"
		"                           per vector, numbers separated by commas\n"
		"  -r, --ranks LIST         rank counts to run, increasing (default 1,2,4,... and\n"
		"                           the job's size)\n"
		"      --repeat R           timed runs per rank count (default 3)\n"
		"      --top K              show the K most correlated pairs (default 5)\n"
		"      --no-check           skip the serial computation and the check\n"
		"      --price DOLLARS      price of one CPU for an hour: print time against cost\n"
		"      --deadline SECONDS   with --price: the cheapest count that takes at most this\n"
		"  -o, --outfile FILE       write a record per run: .json, .csv, .jsonl or .ndjson\n"
		"      --plot FILE          draw speedup and efficiency, .png or .svg (gnuplot)\n"
		"  -h, --help               this text\n"
		"      --version            the program's and libperfkit's version\n",
		cli_program(), cli_program());
}

enum { OPT_REPEAT = 256, OPT_TOP, OPT_NOCHECK, OPT_PRICE, OPT_DEADLINE, OPT_PLOT };

static int parse_one(int c, struct corr_args *a, int *sized, int *help, int *version)
{
	switch (c) {
	case 'm':
		*sized = 1;
		return cli_parse_i64("--items", optarg, 2, CORR_ITEMS_MAX, &a->items);
	case 'u':
		*sized = 1;
		return cli_parse_i64("--users", optarg, 2, CORR_USERS_MAX, &a->users);
	case 's':
		return cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &a->seed);
	case 'i': a->input = optarg; return 0;
	case 'r':
		return cli_parse_list_i64("--ranks", optarg, 1, 1 << 24, a->counts,
					  MPI_COUNTS_MAX, &a->ncounts);
	case OPT_REPEAT:
		return cli_parse_int("--repeat", optarg, 1, 1000, &a->repeat);
	case OPT_TOP:
		return cli_parse_int("--top", optarg, 0, 1000, &a->top);
	case OPT_NOCHECK: a->check = 0; return 0;
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
 * written (rank 0). */
static int check(const struct corr_args *a, int sized, const struct mpi_rank *me)
{
	if (a->input && sized)
		return cli_error("--input and --items/--users: choose one (a file has its size)");
	if (a->input && a->input[0] == '\0')
		return cli_error("--input: the file name is empty");
	if ((uint64_t)a->items * (uint64_t)a->users > CORR_VALUES_MAX)
		return cli_error("--items %lld x --users %lld: more than 2^28 ratings",
				 (long long)a->items, (long long)a->users);
	return mpi_run_options_check(a->counts, a->ncounts, a->price, a->deadline,
				     a->outfile, a->plot, me);
}

int corr_parse(int argc, char **argv, const struct mpi_rank *me, void *args)
{
	static const struct option opts[] = {
		{ "items", required_argument, NULL, 'm' },
		{ "users", required_argument, NULL, 'u' },
		{ "seed", required_argument, NULL, 's' },
		{ "input", required_argument, NULL, 'i' },
		{ "ranks", required_argument, NULL, 'r' },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "no-check", no_argument, NULL, OPT_NOCHECK },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "outfile", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	struct corr_args *a = args;
	int c, sized = 0, help = 0, version = 0;

	memset(a, 0, sizeof(*a));
	a->items = 500;
	a->users = 1000;
	a->seed = 1;
	a->repeat = 3;
	a->top = 5;
	a->check = 1;
	a->price = -1;
	a->deadline = INFINITY;
	while ((c = cli_getopt(argc, argv, "m:u:s:i:r:o:h", opts)) != -1)
		if (c == '?' || parse_one(c, a, &sized, &help, &version) != 0)
			return CLI_EXIT_USAGE;
	if ((c = mpi_options_parsed(argc, argv, help, version, usage)) >= 0)
		return c;
	if (a->ncounts == 0)
		mpi_counts_default(me->size, a->counts, &a->ncounts);
	return check(a, sized, me) == 0 ? -1 : CLI_EXIT_USAGE;
}
